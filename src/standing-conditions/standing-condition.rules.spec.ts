import type { HourlyValue, MeteredPoint } from '../reconciliation/reconciliation.rules';
import {
  checkSpan,
  conditionChecks,
  conditionWindow,
  evaluateChecks,
  STANDING_TOLERANCES,
  type StandingConditionInput,
  standingConditionProblems,
  validOn,
} from './standing-condition.rules';

const H = 3_600_000;
const at = (local: string) => new Date(`${local}+08:00`);

const good = (over: Partial<StandingConditionInput> = {}): StandingConditionInput => ({
  name: '焦炉烟气深度治理限值',
  basis: '吕梁市2023年大气污染防治行动计划 第5项',
  outlets: ['DA001'],
  limits: { pm: 5, so2: 15, nox: 50, vocs: 60 },
  validFrom: '2023-01-01',
  validTo: null,
  ...over,
});

describe('standingConditionProblems', () => {
  const outlets = ['DA001', 'DA002'];

  it('accepts the deep-treatment caps of seed item 5, on named outlets or on every outlet', () => {
    expect(standingConditionProblems([good(), good({ name: '地面站限值', outlets: [] })], outlets)).toEqual(
      [],
    );
    expect(standingConditionProblems([good({ outlets: null, validTo: '2025-12-31' })], outlets)).toEqual([]);
  });

  it('names each bad field with its Chinese label', () => {
    const problems = standingConditionProblems(
      [
        good({ limits: { so2: -1, pm: 0 } }),
        good({ name: ' ', basis: '', limits: {}, validFrom: '2023-02-30' }),
        good({
          name: '地面站限值',
          outlets: ['DA009', 'DA001', 'DA001'],
          validFrom: '2024-01-01',
          validTo: '2023-12-31',
        }),
      ],
      outlets,
    );
    expect(problems).toEqual([
      {
        field: 'conditions[0].limits.so2',
        message: '第1条常态管控条件的二氧化硫限值应为大于0且不超过100000的数(mg/m³)',
      },
      {
        field: 'conditions[0].limits.pm',
        message: '第1条常态管控条件的颗粒物限值应为大于0且不超过100000的数(mg/m³)',
      },
      { field: 'conditions[1].name', message: '第2条常态管控条件的名称不能为空' },
      { field: 'conditions[1].basis', message: '第2条常态管控条件的依据不能为空(如文件名称及条款)' },
      { field: 'conditions[1].limits', message: '第2条常态管控条件的限值至少填写一项污染物(mg/m³)' },
      { field: 'conditions[1].validFrom', message: '第2条常态管控条件的生效日期应为有效日期(YYYY-MM-DD)' },
      {
        field: 'conditions[2].outlets[0]',
        message: '第3条常态管控条件的适用排口“DA009”不是企业的排口在线监测计量点',
      },
      { field: 'conditions[2].outlets[2]', message: '第3条常态管控条件的适用排口“DA001”重复' },
      { field: 'conditions[2].validTo', message: '第3条常态管控条件的失效日期不能早于生效日期' },
    ]);
  });

  it('refuses two conditions of one name (a condition is kept by its name)', () => {
    expect(standingConditionProblems([good(), good({ name: '焦炉烟气深度治理限值 ' })], outlets)).toEqual([
      {
        field: 'conditions[1].name',
        message: '第2条常态管控条件的名称“焦炉烟气深度治理限值”与前面的条件重复',
      },
    ]);
  });
});

describe('conditionWindow', () => {
  const span = { from: at('2026-12-01T10:00:00'), to: at('2026-12-03T10:00:00') };

  it('is the span when the condition is valid throughout', () => {
    expect(conditionWindow({ validFrom: '2023-01-01', validTo: null }, span)).toEqual(span);
  });

  it('starts at 00:00 Beijing time of valid-from and ends with the day of valid-to', () => {
    expect(conditionWindow({ validFrom: '2026-12-02', validTo: '2026-12-02' }, span)).toEqual({
      from: at('2026-12-02T00:00:00'),
      to: at('2026-12-03T00:00:00'),
    });
  });

  it('is null before valid-from and after valid-to', () => {
    expect(conditionWindow({ validFrom: '2026-12-04', validTo: null }, span)).toBeNull();
    expect(conditionWindow({ validFrom: '2023-01-01', validTo: '2026-11-30' }, span)).toBeNull();
  });

  it('keeps whole hours only', () => {
    const odd = { from: new Date(span.from.getTime() + 60_000), to: new Date(span.to.getTime() - 60_000) };
    expect(conditionWindow({ validFrom: '2023-01-01', validTo: null }, odd)).toEqual({
      from: new Date(span.from.getTime() + H),
      to: new Date(span.to.getTime() - H),
    });
  });
});

describe('conditionChecks', () => {
  const points: MeteredPoint[] = [
    {
      id: 'p1',
      kind: 'OUTLET_CEMS',
      code: 'DA001',
      normalPowerKw: null,
      limits: { so2: 30, nox: 150, pm: 10 },
    },
    { id: 'p2', kind: 'OUTLET_CEMS', code: 'DA002', normalPowerKw: null, limits: { so2: 50, pm: 10 } },
    { id: 'p3', kind: 'LINE_POWER', code: 'L1', normalPowerKw: 1000, limits: {} },
  ];
  const span = { from: at('2026-12-01T10:00:00'), to: at('2026-12-03T10:00:00') };
  const condition = {
    id: 'c1',
    outletCodes: [] as string[],
    limits: { pm: 5, so2: 15, nox: 50, vocs: 60 },
    validFrom: '2023-01-01',
    validTo: null,
  };
  const summary = (r: ReturnType<typeof conditionChecks>) =>
    r.checks.map((c) => `${c.pointId}:${c.metric}≤${c.allowed}`);

  it('checks each limited pollutant an outlet measures, on every outlet when it names none; never a line', () => {
    const r = conditionChecks(condition, points, span);
    expect(summary(r)).toEqual(['p1:SO2≤15', 'p1:NOX≤50', 'p1:PM≤5', 'p2:SO2≤15', 'p2:PM≤5']);
    expect(r.checks[0]).toMatchObject({ conditionId: 'c1', limit: 15, ...span });
    expect(r.unmetered).toBe(false);
  });

  it('checks only the outlets it names', () => {
    expect(summary(conditionChecks({ ...condition, outletCodes: ['DA002'] }, points, span))).toEqual([
      'p2:SO2≤15',
      'p2:PM≤5',
    ]);
  });

  it('allows the cap tolerance over the limit', () => {
    const r = conditionChecks({ ...condition, limits: { so2: 10 } }, points, span, { capTolerance: 0.1 });
    expect(r.checks.map((c) => c.allowed)).toEqual([11, 11]);
  });

  it('is unmetered when no outlet measures what it limits', () => {
    expect(conditionChecks({ ...condition, limits: { vocs: 60 } }, points, span)).toEqual({
      checks: [],
      unmetered: true,
    });
  });

  it('checks nothing before valid-from', () => {
    expect(conditionChecks({ ...condition, validFrom: '2026-12-04' }, points, span).checks).toEqual([]);
  });

  it('moves a check back to the start of a finding still open at the span start', () => {
    const carry = new Map([['c1|p1|SO2', at('2026-11-30T20:00:00')]]);
    const r = conditionChecks(
      { ...condition, limits: { so2: 15 } },
      points,
      span,
      STANDING_TOLERANCES,
      carry,
    );
    expect(r.checks.map((c) => [c.pointId, c.from])).toEqual([
      ['p1', at('2026-11-30T20:00:00')],
      ['p2', span.from],
    ]);
  });
});

describe('evaluateChecks', () => {
  const from = at('2026-12-02T08:00:00');
  const check = {
    conditionId: 'c1',
    pointId: 'p1',
    metric: 'SO2' as const,
    limit: 15,
    allowed: 15,
    from,
    to: at('2026-12-02T16:00:00'),
  };
  const hours = (values: Array<number | null>) =>
    new Map(
      values.flatMap((v, i): Array<[number, HourlyValue]> =>
        v === null ? [] : [[from.getTime() + i * H, { avg: v, count: 4 }]],
      ),
    );

  it('finds consecutive hours over the limit as one finding, and missing hours as another', () => {
    const hourly = new Map([['p1|SO2', hours([10, 20, 25, 10, null, null, 10, 10])]]);
    const { found, counts } = evaluateChecks([check], hourly, at('2026-12-02T17:30:00'));
    expect(
      found.map((f) => [f.finding.kind, f.finding.from, f.finding.hours, f.finding.observedMax]),
    ).toEqual([
      ['EXCEEDED', at('2026-12-02T09:00:00'), 2, 25],
      ['MISSING_DATA', at('2026-12-02T12:00:00'), 2, null],
    ]);
    expect(counts).toEqual({ checks: 1, hoursChecked: 8, hoursPassed: 4, exceeded: 1, missing: 1 });
  });

  it('finds nothing for a compliant outlet', () => {
    const hourly = new Map([['p1|SO2', hours([10, 10, 10, 10, 10, 10, 10, 10])]]);
    expect(evaluateChecks([check], hourly, at('2026-12-02T17:30:00')).found).toEqual([]);
  });

  it('holds from the first hour: no grace hours for a standing condition', () => {
    expect(STANDING_TOLERANCES.graceHours).toBe(0);
    const hourly = new Map([['p1|SO2', hours([40, 10, 10, 10, 10, 10, 10, 10])]]);
    expect(evaluateChecks([check], hourly, at('2026-12-02T17:30:00')).found[0].finding.from).toEqual(from);
  });

  it('does not judge the last hour missing before the late-data minutes have passed', () => {
    const hourly = new Map([['p1|SO2', hours([10, 10, 10, 10, 10, 10, 10, null])]]);
    expect(evaluateChecks([check], hourly, at('2026-12-02T16:30:00')).found).toEqual([]);
    expect(evaluateChecks([check], hourly, at('2026-12-02T17:00:00')).found).toHaveLength(1);
  });
});

describe('checkSpan and validOn', () => {
  it('covers the last 48 whole hours', () => {
    expect(checkSpan(at('2026-12-03T10:20:00'))).toEqual({
      from: at('2026-12-01T11:00:00'),
      to: at('2026-12-03T10:00:00'),
    });
  });

  it('tells whether a condition is valid on a date, valid-to inclusive', () => {
    const c = { validFrom: '2023-01-01', validTo: '2026-12-31' };
    expect([
      validOn(c, '2022-12-31'),
      validOn(c, '2023-01-01'),
      validOn(c, '2026-12-31'),
      validOn(c, '2027-01-01'),
    ]).toEqual([false, true, true, false]);
    expect(validOn({ validFrom: '2023-01-01', validTo: null }, '2099-01-01')).toBe(true);
  });
});
