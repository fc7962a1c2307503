import type { MeasureInput } from './enterprise.types';
import type { DomainError } from '../common/errors/domain-error';
import { diffPlans, measureChanges, versionParam } from './plan-diff.rules';

const m = (over: Partial<MeasureInput> = {}): MeasureInput => ({
  level: 'YELLOW',
  line: 'JL1',
  action: 'LIMIT_PERCENT',
  params: { percent: 20 },
  description: '限产20%',
  fromHour: null,
  toHour: null,
  reduction: { so2: 20, nox: 40, pm: 10, vocs: 8 },
  verification: 'POWER_SUBMETER',
  ...over,
});

describe('plan diff rules', () => {
  it('finds nothing between a plan and itself: every measure unchanged', () => {
    const plan = [m(), m({ level: 'RED', action: 'STOP', params: {}, description: '停产' })];
    const diff = diffPlans(
      plan,
      plan.map((x) => ({ ...x })),
    );
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
    expect(diff.levels.map((l) => l.level)).toEqual(['YELLOW', 'RED']);
  });

  it('reports a changed field old → new for the measure with the same level, line and action', () => {
    const before = [m()];
    const after = [
      m({
        params: { percent: 30 },
        description: '限产30%',
        reduction: { so2: 30, nox: 40, pm: 10, vocs: 8 },
      }),
    ];
    const [yellow] = diffPlans(before, after).levels;
    expect(yellow.added).toEqual([]);
    expect(yellow.removed).toEqual([]);
    expect(yellow.changed).toHaveLength(1);
    expect(yellow.changed[0].changes).toEqual([
      { field: 'params.percent', before: 20, after: 30 },
      { field: 'description', before: '限产20%', after: '限产30%' },
      { field: 'reduction.so2', before: 20, after: 30 },
    ]);
  });

  it('treats another line or another action as a measure removed and one added', () => {
    const before = [m({ line: 'JL1' }), m({ level: 'ORANGE', action: 'LIMIT_PERCENT' })];
    const after = [
      m({ line: 'JL2' }),
      m({ level: 'ORANGE', action: 'STOP', params: {}, description: '停产' }),
    ];
    const diff = diffPlans(before, after);
    expect(diff.counts).toEqual({ added: 2, removed: 2, changed: 0, unchanged: 0 });
    const [yellow, orange] = diff.levels;
    expect(yellow.removed.map((x) => x.line)).toEqual(['JL1']);
    expect(yellow.added.map((x) => x.line)).toEqual(['JL2']);
    expect(orange.removed.map((x) => x.action)).toEqual(['LIMIT_PERCENT']);
    expect(orange.added.map((x) => x.action)).toEqual(['STOP']);
  });

  it('lists a level only one version has, with all its measures added or removed', () => {
    const diff = diffPlans([m({ level: 'BLUE' })], [m({ level: 'RED', action: 'STOP', params: {} })]);
    expect(diff.levels.map((l) => [l.level, l.added.length, l.removed.length])).toEqual([
      ['BLUE', 0, 1],
      ['RED', 1, 0],
    ]);
  });

  it('matches a blank line with a missing one (both the whole plant), and ignores surrounding spaces', () => {
    const diff = diffPlans([m({ line: null })], [m({ line: '  ', description: ' 限产20% ' })]);
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 1 });
  });

  it('pairs measures sharing a key in their order, so a third one is the one added', () => {
    const before = [m({ fromHour: 0, toHour: 120 }), m({ fromHour: 120 })];
    const after = [m({ fromHour: 0, toHour: 120 }), m({ fromHour: 96 }), m({ description: '新增一条' })];
    const [yellow] = diffPlans(before, after).levels;
    expect(yellow.unchanged).toHaveLength(1);
    expect(yellow.changed.map((c) => c.changes)).toEqual([[{ field: 'fromHour', before: 120, after: 96 }]]);
    expect(yellow.added.map((x) => x.description)).toEqual(['新增一条']);
  });

  it('counts a parameter present on one side only, as null on the other', () => {
    expect(
      measureChanges(
        m({ action: 'STOP_SHARE', params: { share: 50 } }),
        m({ action: 'STOP_SHARE', params: { share: 50, unit: '炭化室' } }),
      ),
    ).toEqual([{ field: 'params.unit', before: null, after: '炭化室' }]);
  });

  it('compares hours, every pollutant and the verification means', () => {
    expect(
      measureChanges(
        m(),
        m({ toHour: 48, reduction: { so2: 20, nox: 41, pm: 10, vocs: 9 }, verification: 'CEMS' }),
      ).map((c) => c.field),
    ).toEqual(['toHour', 'reduction.nox', 'reduction.vocs', 'verification']);
  });
});

describe('version numbers from a query', () => {
  it('reads a version number, falls back when left out, and refuses anything else in Chinese', () => {
    expect(versionParam('3', 'from')).toBe(3);
    expect(versionParam(undefined, 'to', 5)).toBe(5);
    expect(versionParam('', 'to', null)).toBeNull();
    const refused = (text: unknown, fallback?: number | null) => {
      try {
        versionParam(text, 'from', fallback);
        return null;
      } catch (e) {
        return (e as DomainError).fields;
      }
    };
    expect(refused(undefined)).toEqual([{ field: 'from', message: '请指定对比的原版本' }]);
    for (const bad of ['0', 'abc', '1.5', '-2', ['1', '2']])
      expect(refused(bad, 1)).toEqual([{ field: 'from', message: '对比的原版本应为版本号(正整数)' }]);
  });
});
