import { planErrorKey, planFromForm } from './plan.form';

describe('plan editor form', () => {
  it('turns rows into measures, skipping blank and removed rows', () => {
    const { plain, rowOf } = planFromForm(
      {
        'm.0.level': 'ORANGE',
        'm.0.line': '1#烧结机',
        'm.0.action': 'LIMIT_PERCENT',
        'm.0.params': '{"percent":30}',
        'm.0.description': '限产30%',
        'm.0.so2': '12.5',
        'm.0.nox': '3',
        'm.0.verification': 'POWER_SUBMETER',
        'm.1.level': 'RED',
        'm.1.action': 'STOP',
        'm.1.description': '停产',
        'm.1.remove': 'on',
        'm.2.level': 'RED',
        'm.3.level': 'RED',
        'm.3.action': 'STOP',
        'm.3.description': '停产',
        'm.3.fromHour': 'abc',
        'm.3.verification': 'CEMS',
      },
      4,
    );
    expect(rowOf).toEqual([0, 3]);
    expect(plain.measures[0]).toEqual({
      level: 'ORANGE',
      line: '1#烧结机',
      action: 'LIMIT_PERCENT',
      params: { percent: 30 },
      description: '限产30%',
      fromHour: null,
      toHour: null,
      reduction: { so2: 12.5, nox: 3, pm: 0, vocs: 0 },
      verification: 'POWER_SUBMETER',
    });
    expect(plain.measures[1]).toMatchObject({ line: null, fromHour: 'abc' });
  });

  it('names the editor row an error belongs to', () => {
    expect(planErrorKey('measures[1].reduction.so2', [0, 3])).toBe('m.3');
    expect(planErrorKey('season', [])).toBe('season');
  });
});
