import { timestampProblem } from './timestamp.rules';

describe('timestampProblem', () => {
  it.each([
    '2026-12-02T08:00:00+08:00',
    '2026-12-02T08:00+08:00',
    '2026-12-02T00:00:00Z',
    '2026-12-02T00:00:00.123Z',
    '2026-12-02T08:00:00+0800',
    '2026-12-01T19:00:00-05:00',
  ])('takes %s', (value) => {
    expect(timestampProblem(value)).toBeNull();
  });

  it.each(['2026-12-02T08:00:00', '2026-12-02T08:00', '2026-12-02T08:00:00.5', '2026-12-02'])(
    'refuses %s: no zone, so Beijing time to a person and UTC to JavaScript',
    (value) => {
      expect(timestampProblem(value)).toContain('需带时区');
    },
  );

  it.each([
    ['an impossible date', '2026-02-30T08:00:00+08:00'],
    ['an impossible hour', '2026-12-02T25:00:00Z'],
    ['an hour-only offset Date cannot read', '2026-12-02T08:00:00+08'],
    ['a six-digit year', '+275760-09-13T00:00:00Z'],
    ['words', 'yesterday'],
    ['a number', 1764300000000],
    ['null', null],
  ])('refuses %s as no valid time', (_case, value) => {
    expect(timestampProblem(value)).toMatch(/不是有效的时间|应为带时区的时间/);
    expect(timestampProblem(value)).not.toContain('需带时区');
  });
});
