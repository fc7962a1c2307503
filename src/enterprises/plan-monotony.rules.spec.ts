import type { GradeMinimum, WarningLevel } from '../rulesets/ruleset.types';
import type { Grade, MeasureInput } from './enterprise.types';
import { gradeMinimumWarnings, monotonyWarnings } from './plan-monotony.rules';

const LEVELS: WarningLevel[] = ['YELLOW', 'ORANGE', 'RED'];
const zero = { so2: 0, nox: 0, pm: 0, vocs: 0 };
const m = (over: Partial<MeasureInput>): MeasureInput => ({
  level: 'YELLOW',
  line: '1#焦炉',
  action: 'LIMIT_PERCENT',
  params: { percent: 20 },
  description: '限产20%',
  fromHour: null,
  toHour: null,
  reduction: zero,
  verification: 'POWER_SUBMETER',
  ...over,
});
const truckBan = (level: WarningLevel, over: Partial<MeasureInput> = {}) =>
  m({
    level,
    line: null,
    action: 'TRUCK_BAN_CN4',
    params: {},
    description: '国四及以下重型货车禁止运输',
    ...over,
  });
const stop = (level: WarningLevel, over: Partial<MeasureInput> = {}) =>
  m({ level, action: 'STOP', params: {}, description: '停产', ...over });
const messages = (measures: MeasureInput[]) => monotonyWarnings(measures, LEVELS).map((w) => w.message);

describe('monotonyWarnings: dropped measures', () => {
  it('names the higher level, the line and the measure the lower level had (the brief’s example)', () => {
    const plan = [
      m({ line: '焦炉1#' }),
      truckBan('YELLOW', { line: '焦炉1#' }),
      m({ level: 'ORANGE', line: '焦炉1#', params: { percent: 40 }, description: '限产40%' }),
    ];
    expect(monotonyWarnings(plan, LEVELS)).toEqual([
      {
        code: 'PLAN_RELAXES',
        level: 'ORANGE',
        line: '焦炉1#',
        message: '橙色预警 焦炉1#:缺少黄色预警已有的措施“国四及以下重型货车禁止运输”',
        measureIndex: 1,
      },
    ]);
  });

  it.each<[string, MeasureInput, MeasureInput[]]>([
    ['a limit', m({}), [m({ level: 'ORANGE', line: '2#焦炉' })]],
    ['a stop', stop('YELLOW'), [m({ level: 'ORANGE', action: 'OTHER', params: {}, description: '洒水' })]],
    [
      'a coking time',
      m({ action: 'EXTEND_COKING_HOURS', params: { hours: 36 }, description: '结焦36小时' }),
      [m({ level: 'ORANGE', action: 'STOP_SHARE', params: { share: 60 }, description: '停60%炭化室' })],
    ],
    [
      'a feed cap',
      m({ action: 'FEED_CAP', params: { tonsPerDay: 500 }, description: '投料500吨' }),
      [m({ level: 'ORANGE', params: { percent: 50 }, description: '限产50%' })],
    ],
    [
      'a concentration cap',
      m({ action: 'CONCENTRATION_CAP', params: { pm: 5, so2: 5, nox: 35 }, description: '深度治理限值' }),
      [m({ level: 'ORANGE', params: { percent: 50 }, description: '限产50%' })],
    ],
    ['a truck ban', truckBan('YELLOW'), [m({ level: 'ORANGE' })]],
    [
      'road transport stopped',
      m({ line: null, action: 'STOP_ROAD_TRANSPORT', params: {}, description: '停止公路运输' }),
      [m({ level: 'ORANGE' })],
    ],
    [
      'a voluntary cut',
      m({ action: 'VOLUNTARY', params: {}, description: '自主减排' }),
      [m({ level: 'ORANGE', line: '2#' })],
    ],
    ['another measure', m({ action: 'OTHER', params: {}, description: '料场苫盖' }), [stop('ORANGE')]],
  ])('warns when %s is dropped', (_, lower, higher) => {
    const warnings = monotonyWarnings([lower, ...higher], LEVELS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'PLAN_RELAXES', level: 'ORANGE', measureIndex: 0 });
    expect(warnings[0].message).toContain(`缺少黄色预警已有的措施“${lower.description}”`);
  });

  it('compares each level with the next lower level that has measures, RED with YELLOW when ORANGE has none', () => {
    expect(messages([truckBan('YELLOW'), m({ level: 'RED' })])).toEqual([
      '红色预警 全厂:缺少黄色预警已有的措施“国四及以下重型货车禁止运输”',
    ]);
    expect(messages([truckBan('YELLOW'), truckBan('ORANGE'), stop('RED')])).toEqual([
      '红色预警 全厂:缺少橙色预警已有的措施“国四及以下重型货车禁止运输”',
    ]);
    // BLUE counts where the ruleset has it (MEE-2017).
    expect(
      monotonyWarnings([truckBan('BLUE'), m({ level: 'YELLOW' })], ['BLUE', ...LEVELS]).map((w) => w.level),
    ).toEqual(['YELLOW']);
  });

  it('says nothing about a plan that only tightens, or holds measures at one level only', () => {
    expect(messages([m({})])).toEqual([]);
    expect(messages([])).toEqual([]);
    expect(
      messages([
        m({}),
        truckBan('YELLOW'),
        m({ level: 'ORANGE', params: { percent: 50 }, description: '限产50%' }),
        truckBan('ORANGE'),
        stop('RED'),
        m({
          level: 'RED',
          line: null,
          action: 'STOP_ROAD_TRANSPORT',
          params: {},
          description: '停止公路运输',
        }),
      ]),
    ).toEqual([]);
  });
});

describe('monotonyWarnings: weaker, equal and stronger measures on the same line', () => {
  const pair = (lower: Partial<MeasureInput>, higher: Partial<MeasureInput>) =>
    monotonyWarnings([m(lower), m({ level: 'ORANGE', ...higher })], LEVELS);

  it.each<[string, Partial<MeasureInput>, Partial<MeasureInput>, string | null]>([
    // production cut: STOP (100) > STOP_SHARE / LIMIT_PERCENT by their %
    [
      'limit 30 → 20',
      { params: { percent: 30 } },
      { params: { percent: 20 }, description: '限产20%' },
      '“限产20%”(限产20%)弱于黄色预警的“限产20%”(限产30%)',
    ],
    ['limit 20 → 20', {}, {}, null],
    ['limit 20 → 40', {}, { params: { percent: 40 } }, null],
    ['limit 20 → stop', {}, { action: 'STOP', params: {} }, null],
    [
      'stop → limit 90',
      { action: 'STOP', params: {}, description: '停产' },
      { params: { percent: 90 }, description: '限产90%' },
      '“限产90%”(限产90%)弱于黄色预警的“停产”(停产)',
    ],
    [
      'limit 50 → stop 50% of chambers',
      { params: { percent: 50 } },
      { action: 'STOP_SHARE', params: { share: 50, unit: '炭化室' } },
      null,
    ],
    [
      'stop 60% → stop 50%',
      { action: 'STOP_SHARE', params: { share: 60, unit: '炭化室' }, description: '停60%' },
      { action: 'STOP_SHARE', params: { share: 50, unit: '炭化室' }, description: '停50%' },
      '“停50%”(停产50%炭化室)弱于黄色预警的“停60%”(停产60%炭化室)',
    ],
    // coking time: longer is stricter; a stopped line has none
    [
      'coking 48 → 36',
      { action: 'EXTEND_COKING_HOURS', params: { hours: 48 }, description: '48h' },
      { action: 'EXTEND_COKING_HOURS', params: { hours: 36 }, description: '36h' },
      '“36h”(结焦时间36小时)弱于黄色预警的“48h”(结焦时间48小时)',
    ],
    [
      'coking 36 → 36',
      { action: 'EXTEND_COKING_HOURS', params: { hours: 36 } },
      { action: 'EXTEND_COKING_HOURS', params: { hours: 36 } },
      null,
    ],
    [
      'coking 36 → 48',
      { action: 'EXTEND_COKING_HOURS', params: { hours: 36 } },
      { action: 'EXTEND_COKING_HOURS', params: { hours: 48 } },
      null,
    ],
    [
      'coking 36 → stop',
      { action: 'EXTEND_COKING_HOURS', params: { hours: 36 } },
      { action: 'STOP', params: {} },
      null,
    ],
    // feed cap: lower is stricter
    [
      'feed 500 → 600',
      { action: 'FEED_CAP', params: { tonsPerDay: 500 }, description: '500t' },
      { action: 'FEED_CAP', params: { tonsPerDay: 600 }, description: '600t' },
      '“600t”(投料不超过600吨/日)弱于黄色预警的“500t”(投料不超过500吨/日)',
    ],
    [
      'feed 500 → 400',
      { action: 'FEED_CAP', params: { tonsPerDay: 500 } },
      { action: 'FEED_CAP', params: { tonsPerDay: 400 } },
      null,
    ],
    // concentration caps: lower mg/m³ is stricter, each pollutant on its own
    [
      'caps 5/5/35 → 10/5/35',
      { action: 'CONCENTRATION_CAP', params: { pm: 5, so2: 5, nox: 35 }, description: '深度治理' },
      { action: 'CONCENTRATION_CAP', params: { pm: 10, so2: 5, nox: 35 }, description: '超低排放' },
      '“超低排放”(颗粒物排放浓度不超过10 mg/m³)弱于黄色预警的“深度治理”(颗粒物排放浓度不超过5 mg/m³)',
    ],
    [
      'caps 5/5/35 → 5/5/35',
      { action: 'CONCENTRATION_CAP', params: { pm: 5, so2: 5, nox: 35 } },
      { action: 'CONCENTRATION_CAP', params: { pm: 5, so2: 5, nox: 35 } },
      null,
    ],
    [
      'caps 5/5/35 → 4/5/30',
      { action: 'CONCENTRATION_CAP', params: { pm: 5, so2: 5, nox: 35 } },
      { action: 'CONCENTRATION_CAP', params: { pm: 4, so2: 5, nox: 30 } },
      null,
    ],
    [
      'caps pm/so2 → pm only',
      { action: 'CONCENTRATION_CAP', params: { pm: 10, so2: 20 }, description: '地面站' },
      { action: 'CONCENTRATION_CAP', params: { pm: 10 } },
      '黄色预警的措施“地面站”中SO2排放浓度不超过20 mg/m³没有同等或更严的措施',
    ],
    ['cap → stop', { action: 'CONCENTRATION_CAP', params: { pm: 5 } }, { action: 'STOP', params: {} }, null],
    // transport: no road transport includes the China-IV ban, not the other way round
    [
      'truck ban → road transport stopped',
      { line: null, action: 'TRUCK_BAN_CN4', params: {} },
      { line: null, action: 'STOP_ROAD_TRANSPORT', params: {} },
      null,
    ],
    [
      'road transport stopped → truck ban',
      { line: null, action: 'STOP_ROAD_TRANSPORT', params: {}, description: '停运' },
      { line: null, action: 'TRUCK_BAN_CN4', params: {}, description: '禁国四' },
      '“禁国四”(禁用国四及以下重型货车运输)弱于黄色预警的“停运”(停止公路运输)',
    ],
    [
      'truck ban → truck ban named on a line',
      { line: null, action: 'TRUCK_BAN_CN4', params: {} },
      { line: '原料运输', action: 'TRUCK_BAN_CN4', params: {} },
      null,
    ],
    // voluntary: any measure on the line keeps it
    ['voluntary → limit', { action: 'VOLUNTARY', params: {} }, {}, null],
    ['voluntary → voluntary', { action: 'VOLUNTARY', params: {} }, { action: 'VOLUNTARY', params: {} }, null],
    [
      'other → other',
      { action: 'OTHER', params: {} },
      { action: 'OTHER', params: {}, description: '加密洒水' },
      null,
    ],
  ])('%s', (_, lower, higher, part) => {
    // Each warning as [level, the expected part found in its message, the message for a failing run].
    const found = pair(lower, higher).map((w) => [
      w.level,
      part !== null && w.message.includes(part),
      w.message,
    ]);
    expect(found).toEqual(part === null ? [] : [['ORANGE', true, found[0]?.[2]]]);
  });

  it('points a weaker measure’s warning at the weaker measure (its import row)', () => {
    const [w] = pair({ params: { percent: 30 } }, { params: { percent: 20 } });
    expect(w.measureIndex).toBe(1);
  });

  it('lets a whole-enterprise measure cover a line, never a line cover the whole enterprise', () => {
    expect(pair({}, { line: null, action: 'STOP', params: {} })).toEqual([]);
    expect(pair({ line: null }, { line: '1#焦炉' })).toHaveLength(1);
    expect(pair({ line: '1#焦炉' }, { line: '2#焦炉' })).toHaveLength(1);
  });
});

describe('monotonyWarnings: elapsed-hours windows', () => {
  it('accepts a higher level that covers every hour of the lower one, in pieces or at once', () => {
    const steel = [
      stop('YELLOW', { toHour: 120, description: '烧结停产' }),
      m({ action: 'STOP_SHARE', params: { share: 50 }, fromHour: 120, description: '120小时后停产50%' }),
    ];
    expect(messages([...steel, stop('ORANGE')])).toEqual([]);
    expect(messages([...steel, ...steel.map((s) => ({ ...s, level: 'ORANGE' as const }))])).toEqual([]);
    expect(
      messages([
        m({ toHour: 48 }),
        m({ level: 'ORANGE', toHour: 24 }),
        m({ level: 'ORANGE', fromHour: 24, params: { percent: 30 } }),
      ]),
    ).toEqual([]);
  });

  it('names the hours a higher level leaves without an equal measure', () => {
    expect(messages([m({}), m({ level: 'ORANGE', toHour: 72 })])).toEqual([
      '橙色预警 1#焦炉:黄色预警的措施“限产20%”在响应第72小时起没有同等或更严的措施',
    ]);
    expect(messages([m({ toHour: 96 }), m({ level: 'ORANGE', fromHour: 24, toHour: 48 })])).toEqual([
      '橙色预警 1#焦炉:黄色预警的措施“限产20%”在响应第0-24小时、第48-96小时没有同等或更严的措施',
    ]);
    // A measure starting late does not cover the first hours (the enterprises e2e plan: STOP_SHARE from 120 h).
    expect(
      messages([m({}), m({ level: 'ORANGE', action: 'STOP_SHARE', params: { share: 50 }, fromHour: 120 })]),
    ).toEqual(['橙色预警 1#焦炉:黄色预警的措施“限产20%”在响应第0-120小时没有同等或更严的措施']);
    // Equal windows are fine; a weaker measure in the missing hours is named as such.
    expect(messages([m({ fromHour: 120 }), m({ level: 'ORANGE', fromHour: 120 })])).toEqual([]);
    expect(
      messages([
        stop('YELLOW'),
        stop('ORANGE', { toHour: 120 }),
        m({ level: 'ORANGE', fromHour: 120, params: { percent: 50 }, description: '限产50%' }),
      ]),
    ).toEqual(['橙色预警 1#焦炉:“限产50%”(限产50%)弱于黄色预警的“停产”(停产)']);
  });
});

describe('gradeMinimumWarnings', () => {
  const minimums: Partial<Record<string, GradeMinimum>> = {
    D: { allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] },
    C: { levels: { RED: [{ action: 'LIMIT_PERCENT', params: { percent: 50 } }] } },
  };
  const lines = [
    { code: 'L1', name: '1#焦炉' },
    { code: 'L2', name: '2#焦炉' },
  ];
  const roadStop = (level: WarningLevel) =>
    m({ level, line: null, action: 'STOP_ROAD_TRANSPORT', params: {}, description: '停止公路运输' });
  const check = (measures: MeasureInput[], grade: Grade = 'D', withLines = lines) =>
    gradeMinimumWarnings({ grade, measures, levels: LEVELS, lines: withLines, minimums }).map(
      (w) => w.message,
    );

  it('is met by a whole-enterprise stop, or a stop of every line by code or name, and road transport stopped', () => {
    expect(check(LEVELS.flatMap((l) => [stop(l, { line: null }), roadStop(l)]))).toEqual([]);
    expect(
      check(LEVELS.flatMap((l) => [stop(l, { line: 'L1' }), stop(l, { line: '2#焦炉' }), roadStop(l)])),
    ).toEqual([]);
  });

  it('names each level and line short of the minimum', () => {
    expect(
      check([
        stop('YELLOW', { line: null }),
        roadStop('YELLOW'),
        stop('ORANGE'),
        roadStop('ORANGE'),
        stop('RED', { line: null }),
        truckBan('RED'),
      ]),
    ).toEqual([
      '橙色预警 2#焦炉:D级企业按规则集最低要求须停产,本级没有',
      '红色预警 全厂:D级企业按规则集最低要求须停止公路运输,本级仅有“国四及以下重型货车禁止运输”',
    ]);
    expect(gradeMinimumWarnings({ grade: 'D', measures: [], levels: ['RED'], lines, minimums })).toEqual([
      expect.objectContaining({ code: 'GRADE_MINIMUM', level: 'RED', line: '1#焦炉', measureIndex: null }),
      expect.objectContaining({ level: 'RED', line: '2#焦炉' }),
      expect.objectContaining({ level: 'RED', line: null }),
    ]);
  });

  it('wants a stop for the whole response and at least the minimum’s parameters', () => {
    const stopped = (over: Partial<MeasureInput>) =>
      LEVELS.flatMap((l) => [stop(l, { line: null, ...over }), roadStop(l)]);
    expect(check(stopped({ fromHour: 24 }), 'D', [])[0]).toBe(
      '黄色预警 全厂:D级企业按规则集最低要求须停产,本级在响应第0-24小时没有',
    );
    expect(
      check(
        stopped({ action: 'LIMIT_PERCENT', params: { percent: 80 }, description: '限产80%' }),
        'D',
        [],
      )[0],
    ).toBe('黄色预警 全厂:D级企业按规则集最低要求须停产,本级仅有“限产80%”');
    expect(check([m({ level: 'RED', line: null, params: { percent: 40 } })], 'C', [])).toEqual([
      '红色预警 全厂:C级企业按规则集最低要求须限产50%,本级仅有“限产20%”',
    ]);
    expect(check([m({ level: 'RED', params: { percent: 50 } })], 'C', [])).toEqual([]);
  });

  it('asks nothing of a grade without a minimum, of a protected enterprise, or under a ruleset without any', () => {
    expect(check([], 'B')).toEqual([]);
    expect(
      gradeMinimumWarnings({ grade: 'D', protected: true, measures: [], levels: LEVELS, minimums }),
    ).toEqual([]);
    expect(gradeMinimumWarnings({ grade: 'D', measures: [], levels: LEVELS })).toEqual([]);
  });
});
