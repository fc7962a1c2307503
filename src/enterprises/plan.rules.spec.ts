import type { Grade, MeasureInput } from './enterprise.types';
import { checkPlan, inForceAt, levelReduction, normaliseMeasures } from './plan.rules';

const LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;
const baseline = { so2: 100, nox: 200, pm: 50, vocs: 10 };
const m = (over: Partial<MeasureInput>): MeasureInput => ({
  level: 'YELLOW',
  action: 'LIMIT_PERCENT',
  params: { percent: 20 },
  description: '限产20%',
  reduction: { so2: 20, nox: 40, pm: 10, vocs: 2 },
  verification: 'POWER_SUBMETER',
  ...over,
});
const check = (measures: MeasureInput[], grade: Grade = 'B') =>
  checkPlan({ grade, baseline, measures, levels: LEVELS });

describe('checkPlan errors', () => {
  it('accepts a sound plan', () => {
    expect(
      check([
        m({}),
        m({ level: 'ORANGE', params: { percent: 50 }, reduction: { so2: 50, nox: 100, pm: 25, vocs: 5 } }),
        m({ level: 'RED', action: 'STOP', params: {}, reduction: baseline }),
      ]),
    ).toEqual({ errors: [], warnings: [] });
  });

  it('rejects parameters too large to carry in every order and email', () => {
    const big = m({ params: { percent: 20, note: 'x'.repeat(2100) } });
    expect(check([big]).errors).toEqual([
      { field: 'measures[0].params', message: expect.stringContaining('措施参数过大') },
    ]);
    expect(check([m({ params: { percent: 20, note: '按环评批复' } })]).errors).toEqual([]);
  });

  it('rejects a level the ruleset does not have', () => {
    expect(check([m({ level: 'BLUE' })]).errors).toEqual([
      { field: 'measures[0].level', message: expect.stringContaining('BLUE') },
    ]);
  });

  it.each([
    [{ params: { percent: 120 } }, 'measures[0].params.percent'],
    [{ params: { percent: -1 } }, 'measures[0].params.percent'],
    [{ params: {} }, 'measures[0].params.percent'],
    [{ action: 'STOP_SHARE' as const, params: { share: 101 } }, 'measures[0].params.share'],
    [{ action: 'EXTEND_COKING_HOURS' as const, params: { hours: 0 } }, 'measures[0].params.hours'],
    [{ action: 'CONCENTRATION_CAP' as const, params: {} }, 'measures[0].params'],
    [{ action: 'CONCENTRATION_CAP' as const, params: { so2: -5 } }, 'measures[0].params.so2'],
    [{ action: 'FLY' as never }, 'measures[0].action'],
    [{ verification: 'EYEBALL' as never }, 'measures[0].verification'],
    [{ description: ' ' }, 'measures[0].description'],
    [{ reduction: { so2: -1, nox: 0, pm: 0, vocs: 0 } }, 'measures[0].reduction.so2'],
    [{ reduction: { so2: Number.NaN, nox: 0, pm: 0, vocs: 0 } }, 'measures[0].reduction.so2'],
    [{ reduction: { so2: 101, nox: 0, pm: 0, vocs: 0 } }, 'measures[0].reduction.so2'],
    [{ fromHour: 120, toHour: 100 }, 'measures[0].toHour'],
    [{ fromHour: -3 }, 'measures[0].fromHour'],
  ])('names the field for %p', (over, field) => {
    expect(check([m(over)]).errors.map((e) => e.field)).toEqual([field]);
  });

  it('rejects a level whose measures together exceed the baseline, counting only those in force at the start', () => {
    const two = [
      m({ reduction: { so2: 60, nox: 0, pm: 0, vocs: 0 } }),
      m({ reduction: { so2: 60, nox: 0, pm: 0, vocs: 0 } }),
    ];
    expect(check(two).errors).toEqual([
      { field: 'measures(YELLOW).reduction.so2', message: expect.stringContaining('120') },
    ]);
    // The second applies only after 120 h of response: the start-of-response sum is within the baseline.
    expect(check([two[0], { ...two[1], fromHour: 120 }]).errors).toEqual([]);
  });
});

describe('checkPlan warnings', () => {
  const messages = (c: ReturnType<typeof checkPlan>) => c.warnings.map((w) => w.message);

  it('warns when a higher level reduces less than a lower one', () => {
    const result = check([
      m({ reduction: { so2: 30, nox: 40, pm: 10, vocs: 2 } }),
      m({ level: 'ORANGE', reduction: { so2: 20, nox: 40, pm: 10, vocs: 2 } }),
    ]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        code: 'LEVEL_REDUCTION_LOWER',
        level: 'ORANGE',
        line: null,
        message: '橙色预警措施的 so2 减排量低于黄色预警',
        measureIndex: 1,
      },
    ]);
  });

  it('warns when a higher level drops or relaxes a lower level’s measure (plan-monotony.rules)', () => {
    const result = check([
      m({ line: '1#焦炉' }),
      m({ level: 'ORANGE', line: '1#焦炉', params: { percent: 10 }, description: '限产10%' }),
    ]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'PLAN_RELAXES',
        level: 'ORANGE',
        line: '1#焦炉',
        message: '橙色预警 1#焦炉:“限产10%”(限产10%)弱于黄色预警的“限产20%”(限产20%)',
      }),
    ]);
  });

  it('warns when the grade’s ruleset minimum is not met, only under a ruleset that sets one', () => {
    const gradeMinimums = { D: { allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] } };
    const measures = [m({ action: 'STOP', params: {}, description: '停产', reduction: baseline })];
    expect(checkPlan({ grade: 'D', baseline, measures, levels: ['YELLOW'], gradeMinimums }).warnings).toEqual(
      [
        {
          code: 'GRADE_MINIMUM',
          level: 'YELLOW',
          line: null,
          message: '黄色预警 全厂:D级企业按规则集最低要求须停止公路运输,本级没有',
          measureIndex: null,
        },
      ],
    );
    expect(check(measures, 'D').warnings).toEqual([]);
  });

  it('warns about mandatory measures for A, A+ and LEADING, not for voluntary ones', () => {
    expect(messages(check([m({})], 'A'))).toEqual([expect.stringContaining('自主减排')]);
    expect(check([m({})], 'LEADING').warnings).toHaveLength(1);
    expect(check([m({ action: 'VOLUNTARY', params: {} })], 'A_PLUS').warnings).toEqual([]);
  });

  it('gives no warnings while the plan has errors', () => {
    expect(
      check([m({ params: { percent: 120 } }), m({ level: 'ORANGE', params: { percent: 10 } })]).warnings,
    ).toEqual([]);
  });
});

describe('elapsed-hours windows', () => {
  it('applies a window from its start (inclusive) to its end (exclusive)', () => {
    expect(inForceAt({ fromHour: null, toHour: 120 }, 0)).toBe(true);
    expect(inForceAt({ fromHour: null, toHour: 120 }, 120)).toBe(false);
    expect(inForceAt({ fromHour: 120, toHour: null }, 120)).toBe(true);
    expect(inForceAt({ fromHour: 120, toHour: null }, 119)).toBe(false);
  });

  it('sums the reductions of a level in force at hour 0', () => {
    const measures = [m({}), m({ fromHour: 120 }), m({ level: 'RED' })];
    expect(levelReduction(measures, 'YELLOW')).toEqual({ so2: 20, nox: 40, pm: 10, vocs: 2 });
  });
});

describe('the API limits, shared with the import', () => {
  const fields = (measures: MeasureInput[], season?: string) =>
    checkPlan({ grade: 'B', baseline, season, measures, levels: LEVELS }).errors.map((e) => e.field);

  it('names a description, line or season over its limit', () => {
    expect(fields([m({ description: '限'.repeat(1000) })])).toEqual([]);
    expect(fields([m({ description: '限'.repeat(1001) })])).toEqual(['measures[0].description']);
    expect(fields([m({ description: 'x'.repeat(2 * 1024 * 1024) })])).toEqual(['measures[0].description']);
    expect(fields([m({ line: 'L'.repeat(201) })])).toEqual(['measures[0].line']);
    expect(fields([m({})], '2025-2026'.repeat(3))).toEqual(['season']);
  });

  it('refuses more than 200 measures with one error', () => {
    const many = Array.from({ length: 201 }, () => m({ reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 } }));
    expect(fields(many)).toEqual(['measures']);
    expect(fields(many.slice(0, 200))).toEqual([]);
  });

  it('refuses a response hour past the integer column', () => {
    expect(fields([m({ fromHour: 2_147_483_648 })])).toEqual(['measures[0].fromHour']);
  });

  it('takes only what the spreadsheet can carry back as parameters: named, text or numbers', () => {
    expect(fields([m({ params: { percent: 20, unit: '炭化室' } })])).toEqual([]);
    expect(fields([m({ params: { percent: 20, '': 1 } })])).toEqual(['measures[0].params']);
    expect(fields([m({ params: { percent: 20, ' unit': 'x' } })])).toEqual(['measures[0].params']);
    const odd = { percent: 20, flag: true, nested: { a: 1 } } as unknown as MeasureInput['params'];
    expect(fields([m({ params: odd })])).toEqual(['measures[0].params.flag', 'measures[0].params.nested']);
  });
});

describe('normaliseMeasures', () => {
  it('trims text, makes an empty line null and missing hours null', () => {
    expect(normaliseMeasures([m({ line: '  ', description: ' 限产20% ' })])).toEqual([
      m({ line: null, description: '限产20%', fromHour: null, toHour: null }),
    ]);
  });
});
