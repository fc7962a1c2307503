import type { Grade } from '../enterprises/enterprise.types';
import {
  mergeWithCampaign,
  type OrderMeasureLike,
  underCampaignSentence,
  duringWarningSentence,
  inCampaignScope,
  decisionOrders,
  campaignOrderMeasures,
  defaultCampaignName,
  documentSeriesOf,
  campaignRulesOf,
  DEFAULT_OZONE_RULES,
  DEFAULT_STAGGER_RULES,
  ozoneDecision,
  ozoneResponseDays,
  type CampaignMeasure,
  type CampaignSubject,
  inSeason,
  mergedSummary,
  productionCut,
  staggerDecision,
  type StaggerRules,
  stricterOf,
} from './campaign.rules';

const RULES: StaggerRules = {
  season: { from: '11-01', to: '03-31' },
  grades: { D: 'STOP', C: 'STAGGER', NON_LEADING: 'STAGGER', B_MINUS: 'STAGGER', UNGRADED: 'STAGGER' },
  stagger: {
    default: [{ action: 'LIMIT_PERCENT', params: { percent: 30 }, description: '限产30%' }],
    byIndustry: {
      COKING: [{ action: 'EXTEND_COKING_HOURS', params: { hours: 48 }, description: '结焦时间延长至48小时' }],
    },
  },
  escalations: {
    JOINT_CONTROL_AREA: { kind: 'GRADE_LOWER' },
    BUILT_UP_AREA: { kind: 'GRADE_LOWER' },
    NO_DRY_QUENCHING: {
      kind: 'ADD_MEASURES',
      measures: [
        { action: 'STOP_SHARE', params: { share: 50, unit: '炭化室' }, description: '停产50%炭化室' },
      ],
    },
  },
};

const subject = (over: Partial<CampaignSubject> = {}): CampaignSubject => ({
  grade: 'C',
  industry: 'CEMENT',
  isProtected: false,
  protectedMaxLoad: null,
  controlTags: [],
  jointControlArea: false,
  lines: [{ code: 'L1', name: '1#熟料线' }],
  ...over,
});

describe('staggerDecision: grade × industry × tag × place', () => {
  it.each<[Grade, string]>([
    ['D', 'STOP'],
    ['C', 'STAGGER'],
    ['NON_LEADING', 'STAGGER'],
    ['B', 'EXEMPT'],
    ['A', 'EXEMPT'],
    ['A_PLUS', 'EXEMPT'],
    ['LEADING', 'EXEMPT'],
  ])('gives grade %s the treatment %s', (grade, treatment) => {
    expect(staggerDecision(subject({ grade }), RULES).treatment).toBe(treatment);
  });

  it('staggers by the industry’s rule, else the default', () => {
    expect(staggerDecision(subject({ industry: 'COKING' }), RULES).measures).toEqual([
      {
        line: null,
        action: 'EXTEND_COKING_HOURS',
        params: { hours: 48 },
        description: '结焦时间延长至48小时',
      },
    ]);
    expect(staggerDecision(subject(), RULES).measures).toEqual([
      { line: null, action: 'LIMIT_PERCENT', params: { percent: 30 }, description: '限产30%' },
    ]);
    expect(staggerDecision(subject({ grade: 'D' }), RULES).measures).toEqual([
      { line: null, action: 'STOP', params: {}, description: '停产' },
    ]);
  });

  it('treats an enterprise of the 平川四县 one grade lower, and says so', () => {
    const plain = staggerDecision(subject({ grade: 'C' }), RULES);
    const joint = staggerDecision(subject({ grade: 'C', jointControlArea: true }), RULES);
    expect(plain.treatment).toBe('STAGGER');
    expect(joint).toMatchObject({ treatment: 'STOP', effectiveGrade: 'D' });
    expect(joint.reasons).toEqual([
      '绩效等级C级',
      '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控',
      '停产:停产',
    ]);
    // B is exempt, but a B in the joint-control area is treated as B- and staggers.
    expect(staggerDecision(subject({ grade: 'B', jointControlArea: true }), RULES).treatment).toBe('STAGGER');
  });

  it('lowers once per escalation that applies and adds the listed measures of a tag', () => {
    const both = staggerDecision(
      subject({ grade: 'B', jointControlArea: true, controlTags: ['BUILT_UP_AREA'] }),
      RULES,
    );
    expect(both).toMatchObject({ treatment: 'STAGGER', effectiveGrade: 'C' });
    const coking = staggerDecision(
      subject({ grade: 'A', industry: 'COKING', controlTags: ['NO_DRY_QUENCHING'] }),
      RULES,
    );
    // A stays exempt of the season's stagger, but the tag's measure binds it.
    expect(coking.treatment).toBe('EXEMPT');
    expect(coking.measures.map((m) => m.action)).toEqual(['STOP_SHARE']);
    expect(coking.reasons[1]).toBe('未完成干熄焦改造的焦化企业,加严:停产50%炭化室');
  });

  it('runs a protected enterprise at its approved load whatever its grade or place', () => {
    const d = staggerDecision(
      subject({ grade: 'D', isProtected: true, protectedMaxLoad: 60, jointControlArea: true }),
      RULES,
    );
    expect(d).toMatchObject({ treatment: 'APPROVED_LOAD', reasons: ['保障类企业,按核定负荷60%生产'] });
    expect(d.measures).toEqual([
      {
        line: null,
        action: 'LIMIT_PERCENT',
        params: { percent: 40 },
        description: '按核定最大负荷60%组织生产',
      },
    ]);
  });

  it('does not name a grade-lowering place as a reason for a D, which is already the lowest', () => {
    const d = staggerDecision(subject({ grade: 'D', jointControlArea: true }), RULES);
    expect(d).toMatchObject({ treatment: 'STOP', effectiveGrade: 'D', escalatedBy: [] });
    expect(d.reasons).toEqual(['绩效等级D级', '停产:停产']);
  });

  it('ignores an escalation the rules do not set', () => {
    expect(staggerDecision(subject({ controlTags: ['DIFFERENTIATED_CONTROL'] }), RULES).treatment).toBe(
      'STAGGER',
    );
  });
});

describe('inSeason', () => {
  it('reads a season across the new year, inclusive', () => {
    const winter = { from: '11-01', to: '03-31' };
    expect(['2026-11-01', '2026-12-31', '2027-01-01', '2027-03-31'].map((d) => inSeason(d, winter))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['2026-10-31', '2027-04-01', '2027-07-15'].map((d) => inSeason(d, winter))).toEqual([
      false,
      false,
      false,
    ]);
    const summer = { from: '05-01', to: '09-30' };
    expect([inSeason('2027-05-01', summer), inSeason('2027-10-01', summer)]).toEqual([true, false]);
  });
});

describe('stricterOf: a warning on top of a campaign, line by line', () => {
  const m = (
    line: string | null,
    action: CampaignMeasure['action'],
    params = {},
    description = '',
  ): CampaignMeasure => ({
    line,
    action,
    params,
    description,
  });
  const lines = [
    { code: 'L1', name: '1#线' },
    { code: 'L2', name: '2#线' },
  ];

  it('compares production cuts: stop over any limit, a deeper limit over a shallower one', () => {
    expect(productionCut(m(null, 'STOP'))).toBe(100);
    expect(productionCut(m(null, 'LIMIT_PERCENT', { percent: 30 }))).toBe(30);
    expect(productionCut(m(null, 'STOP_SHARE', { share: 50 }))).toBe(50);
    expect(productionCut(m(null, 'TRUCK_BAN_CN4'))).toBeNull();
  });

  it('takes the warning’s measure where it is stricter and the campaign’s where that is, per line', () => {
    const warning = [m('L1', 'STOP', {}, '停产'), m('L2', 'LIMIT_PERCENT', { percent: 20 }, '限产20%')];
    const campaign = [m(null, 'LIMIT_PERCENT', { percent: 30 }, '限产30%')];
    const merged = stricterOf(warning, campaign, lines, '错峰生产');
    expect(merged.map((x) => [x.measure.line, x.measure.description, x.basis, x.reason])).toEqual([
      ['L1', '停产', 'WARNING', '预警措施严于错峰生产要求'],
      ['L2', '限产30%', 'CAMPAIGN', '错峰生产要求严于预警措施'],
    ]);
    expect(mergedSummary(merged)).toEqual([
      'L1:停产(预警措施严于错峰生产要求)',
      'L2:限产30%(错峰生产要求严于预警措施)',
    ]);
  });

  it('keeps one whole-plant measure when it wins on every line, and gives a tie to the warning', () => {
    const merged = stricterOf(
      [m(null, 'LIMIT_PERCENT', { percent: 30 }, '预警限产30%')],
      [m(null, 'LIMIT_PERCENT', { percent: 30 }, '错峰限产30%')],
      lines,
      '错峰生产',
    );
    expect(merged.map((x) => [x.measure.line, x.measure.description, x.basis])).toEqual([
      [null, '预警限产30%', 'WARNING'],
    ]);
  });

  it('keeps the measures that do not cut production from both, each once', () => {
    const merged = stricterOf(
      [m(null, 'STOP', {}, '停产'), m(null, 'TRUCK_BAN_CN4', {}, '禁用国四货车')],
      [
        m(null, 'LIMIT_PERCENT', { percent: 30 }),
        m(null, 'TRUCK_BAN_CN4', {}, '禁用国四货车'),
        m(null, 'STOP_ROAD_TRANSPORT'),
      ],
      lines,
      '错峰生产',
    );
    expect(merged.map((x) => [x.measure.action, x.basis])).toEqual([
      ['STOP', 'WARNING'],
      ['TRUCK_BAN_CN4', 'WARNING'],
      ['STOP_ROAD_TRANSPORT', 'CAMPAIGN'],
    ]);
  });

  it('matches a measure named by the line’s name, and treats an enterprise without lines as one line', () => {
    const named = stricterOf(
      [m('1#线', 'STOP', {}, '停产')],
      [m('L1', 'LIMIT_PERCENT', { percent: 30 })],
      lines,
      '错峰生产',
    );
    expect(named.map((x) => [x.measure.line, x.basis])).toEqual([['1#线', 'WARNING']]);
    const none = stricterOf([], [m(null, 'LIMIT_PERCENT', { percent: 30 }, '限产30%')], [], '错峰生产');
    expect(none.map((x) => [x.measure.line, x.basis, x.reason])).toEqual([
      [null, 'CAMPAIGN', '错峰生产要求'],
    ]);
  });

  it('returns the enterprise to the campaign’s measures when the warning is lifted', () => {
    const campaign = [m(null, 'LIMIT_PERCENT', { percent: 30 }, '限产30%')];
    expect(stricterOf([], campaign, lines, '错峰生产').map((x) => x.measure)).toEqual(campaign);
  });
});

describe('ozoneDecision and the ruleset’s campaign rules', () => {
  it('takes a VOC-emitting industry or a large VOCs baseline into the ozone response, with its window', () => {
    const rules = campaignRulesOf({}).SUMMER_OZONE;
    expect(rules).toBe(DEFAULT_OZONE_RULES);
    expect(
      ozoneDecision({ grade: 'B', industry: 'INDUSTRIAL_COATING', baselineVocs: 5 }, rules),
    ).toMatchObject({
      treatment: 'STAGGER',
      measures: [{ line: null, action: 'OTHER', description: '涉VOCs排放工序避开10:00-16:00生产' }],
      reasons: ['涉VOCs排放行业', '臭氧污染应对日10:00-16:00错时生产'],
    });
    expect(ozoneDecision({ grade: 'B', industry: 'CEMENT', baselineVocs: 120 }, rules)?.reasons[0]).toBe(
      'VOCs排放量120千克/日',
    );
    expect(ozoneDecision({ grade: 'B', industry: 'CEMENT', baselineVocs: 40 }, rules)).toBeNull();
  });

  it('uses the ruleset’s own rules where it sets them, the defaults elsewhere', () => {
    const own = campaignRulesOf({ campaigns: { AUTUMN_WINTER: RULES } });
    expect(own.AUTUMN_WINTER).toBe(RULES);
    expect(own.SUMMER_OZONE).toBe(DEFAULT_OZONE_RULES);
    expect(campaignRulesOf({}).AUTUMN_WINTER).toBe(DEFAULT_STAGGER_RULES);
  });
});

describe('ozoneResponseDays', () => {
  it('lists each day of a responding ozone episode with its counties, in date order, marked in or out of season', () => {
    const episode = (response: string, responds: boolean, from: string, to: string) => ({
      response,
      responds,
      from,
      to,
    });
    const days = ozoneResponseDays(
      [
        { countyCode: '141181', episodes: [episode('OZONE', true, '2027-06-30', '2027-07-02')] },
        {
          countyCode: '141102',
          episodes: [
            episode('OZONE', true, '2027-07-01', '2027-07-01'),
            episode('WARNING', true, '2027-07-03', '2027-07-04'),
          ],
        },
        // Below the ozone response's start condition: no response, no day.
        { countyCode: '141129', episodes: [episode('OZONE', false, '2027-07-01', '2027-07-02')] },
        { countyCode: '141126' },
      ],
      { from: '05-01', to: '09-30' },
    );
    expect(days).toEqual([
      { date: '2027-06-30', countyCodes: ['141181'], inSeason: true },
      { date: '2027-07-01', countyCodes: ['141102', '141181'], inSeason: true },
      { date: '2027-07-02', countyCodes: ['141181'], inSeason: true },
    ]);
    expect(
      ozoneResponseDays(
        [{ countyCode: '141181', episodes: [episode('OZONE', true, '2027-09-30', '2027-10-01')] }],
        {
          from: '05-01',
          to: '09-30',
        },
      ).map((d) => [d.date, d.inSeason]),
    ).toEqual([
      ['2027-09-30', true],
      ['2027-10-01', false],
    ]);
  });
});

describe('mergeWithCampaign: a warning order under a campaign, line by line', () => {
  const lines = [
    { code: 'L1', name: '1#焦炉' },
    { code: 'L2', name: '2#焦炉' },
  ];
  const base = {
    reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
    verification: 'OTHER',
    fromHour: null,
    toHour: null,
  };
  const w = (over: Partial<OrderMeasureLike>): OrderMeasureLike => ({
    ...base,
    line: null,
    action: 'LIMIT_PERCENT',
    params: {},
    description: '',
    ...over,
  });
  const name = '2026—2027年秋冬季差异化错峰生产';

  it('keeps the stricter per line, says which and why, and carries the displaced reduction', () => {
    const warning = [
      w({
        line: 'L1',
        action: 'STOP',
        description: '1#焦炉停产',
        reduction: { so2: 9, nox: 9, pm: 9, vocs: 9 },
      }),
      w({
        line: 'L2',
        params: { percent: 20 },
        description: '2#焦炉限产20%',
        reduction: { so2: 2, nox: 2, pm: 2, vocs: 2 },
      }),
      w({ action: 'TRUCK_BAN_CN4', description: '禁止国四及以下车辆运输' }),
    ];
    const campaign = [
      w({ params: { percent: 30 }, description: '错峰期间限产30%', verification: 'POWER_SUBMETER' }),
    ];
    const merged = mergeWithCampaign(warning, campaign, lines, name);
    expect(merged.map((m) => [m.line, m.action, m.description, m.basis, m.reduction.so2])).toEqual([
      ['L1', 'STOP', `1#焦炉停产(预警措施严于${name}要求)`, 'WARNING', 9],
      ['L2', 'LIMIT_PERCENT', `错峰期间限产30%(${name}要求严于预警措施)`, 'CAMPAIGN', 2],
      [null, 'TRUCK_BAN_CN4', '禁止国四及以下车辆运输', 'WARNING', 0],
    ]);
  });

  it('gives the campaign measures alone when the warning has none, marked as the campaign’s', () => {
    const merged = mergeWithCampaign([], [w({ action: 'STOP', description: '停产' })], [], name);
    expect(merged).toEqual([
      {
        ...w({ action: 'STOP', description: `停产(${name}要求)` }),
        basis: 'CAMPAIGN',
        basisReason: `${name}要求`,
      },
    ]);
  });

  it('names the campaign in the notice sentence', () => {
    expect(underCampaignSentence(name)).toBe(
      `贵单位同时执行${name},预警期间逐条执行预警措施与错峰生产要求中较严的一项。`,
    );
  });

  it('tells a campaign order written during a warning which measures apply while the warning lasts', () => {
    const warning = {
      code: 'LL-2026-0003',
      levelName: '橙色预警',
      measures: [
        w({ line: 'L1', action: 'STOP', description: '1#焦炉停产' }),
        w({ line: 'L2', params: { percent: 20 }, description: '2#焦炉限产20%' }),
      ],
    };
    const campaign = [w({ params: { percent: 30 }, description: '错峰期间限产30%' })];
    expect(duringWarningSentence(warning, campaign, lines, name)).toBe(
      `目前橙色预警(编号 LL-2026-0003)正在实施:预警期间贵单位逐条执行预警措施与本通知管控措施中较严的一项,` +
        `现执行:1#焦炉停产(预警措施严于${name}要求)、2#焦炉错峰期间限产30%(${name}要求严于预警措施);` +
        '预警解除后执行本通知管控措施。',
    );
    // A warning order without measures (no plan at its level): the campaign's apply, said as the campaign's.
    expect(duringWarningSentence({ ...warning, measures: [] }, campaign, lines, name)).toContain(
      `现执行:错峰期间限产30%(${name}要求);`,
    );
  });
});

describe('campaign records: scope, order measures, names and series', () => {
  it('keeps an enterprise in scope only when it meets every filter given', () => {
    const e = { grade: 'C' as Grade, industry: 'COKING', controlTags: ['BUILT_UP_AREA'] };
    expect(inCampaignScope({ industries: null, grades: null, tags: null }, e)).toBe(true);
    expect(inCampaignScope({ industries: ['COKING'], grades: ['C', 'D'], tags: ['BUILT_UP_AREA'] }, e)).toBe(
      true,
    );
    expect(inCampaignScope({ industries: ['CEMENT'], grades: null, tags: null }, e)).toBe(false);
    expect(inCampaignScope({ industries: null, grades: ['D'], tags: null }, e)).toBe(false);
    expect(inCampaignScope({ industries: null, grades: null, tags: ['NO_DRY_QUENCHING'] }, e)).toBe(false);
  });

  it('writes a decision’s measures as an order carries them, verified by the submeter or the DCS', () => {
    const d = staggerDecision(
      {
        grade: 'C',
        industry: 'COKING',
        isProtected: false,
        protectedMaxLoad: null,
        controlTags: [],
        jointControlArea: false,
        lines: [],
      },
      DEFAULT_STAGGER_RULES,
    );
    expect(decisionOrders(d)).toBe(true);
    expect(campaignOrderMeasures(d)).toEqual([
      {
        line: null,
        action: 'EXTEND_COKING_HOURS',
        params: { hours: 48 },
        description: '结焦时间延长至48小时',
        reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
        verification: 'DCS',
        fromHour: null,
        toHour: null,
        fromAt: null,
        toAt: null,
      },
    ]);
    const exempt = staggerDecision(
      {
        grade: 'A',
        industry: 'COKING',
        isProtected: false,
        protectedMaxLoad: null,
        controlTags: [],
        jointControlArea: false,
        lines: [],
      },
      DEFAULT_STAGGER_RULES,
    );
    expect(decisionOrders(exempt)).toBe(false);
  });

  it('names a season across the new year from its start, an ozone day by its date, each in its own 文号 series', () => {
    expect(defaultCampaignName('AUTUMN_WINTER', new Date('2026-12-01T16:30:00Z'), null)).toBe(
      '2026—2027年秋冬季差异化错峰生产',
    );
    expect(defaultCampaignName('AUTUMN_WINTER', new Date('2027-02-01T00:00:00+08:00'), null)).toBe(
      '2026—2027年秋冬季差异化错峰生产',
    );
    expect(defaultCampaignName('SUMMER_OZONE', new Date('2027-06-12T02:00:00Z'), '2027-06-12')).toBe(
      '2027年6月12日臭氧污染应对',
    );
    expect(documentSeriesOf({ campaign: { kind: 'AUTUMN_WINTER' } })).toBe('吕错峰');
    expect(documentSeriesOf({ campaign: { kind: 'SUMMER_OZONE' } })).toBe('吕臭氧应对');
    expect(documentSeriesOf({ campaign: null })).toBeUndefined();
  });
});
