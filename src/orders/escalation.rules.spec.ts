import {
  addedMeasures,
  escalationParams,
  escalationSentence,
  type EscalationSettings,
  escalationSources,
  measureLevel,
  nextLevel,
  type PlanMeasureLike,
  gradeLowerChains,
  gradeLowerSources,
  gradeTaken,
} from './escalation.rules';

const LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;
/** The chains of lower grades are the same for every ruleset (checked on their own below). */
const withoutChains = <T extends { chains: unknown }>({ chains: _chains, ...rest }: T) => rest;

describe('escalation: tags and places that bite in a warning', () => {
  const settings = { DIFFERENTIATED_CONTROL: 'NEXT_LEVEL', JOINT_CONTROL_AREA: 'NEXT_LEVEL' } as const;

  it('names the tags and places the ruleset escalates, and no others', () => {
    expect(
      escalationSources(
        { controlTags: ['DIFFERENTIATED_CONTROL', 'BUILT_UP_AREA'], jointControlArea: true },
        settings,
      ),
    ).toEqual(['DIFFERENTIATED_CONTROL', 'JOINT_CONTROL_AREA']);
    expect(escalationSources({ controlTags: ['BUILT_UP_AREA'], jointControlArea: false }, settings)).toEqual(
      [],
    );
    expect(
      escalationSources({ controlTags: ['DIFFERENTIATED_CONTROL'], jointControlArea: true }, undefined),
    ).toEqual([]);
  });

  it('takes the next level’s plan measures, one step however many reasons, the top staying the top', () => {
    expect(nextLevel('ORANGE', LEVELS)).toBe('RED');
    expect(nextLevel('RED', LEVELS)).toBe('RED');
    expect(
      measureLevel(
        'YELLOW',
        LEVELS,
        ['DIFFERENTIATED_CONTROL', 'JOINT_CONTROL_AREA'],
        ['YELLOW', 'ORANGE', 'RED'],
        settings,
      ),
    ).toBe('ORANGE');
    expect(measureLevel('YELLOW', LEVELS, [], ['YELLOW', 'ORANGE'], settings)).toBe('YELLOW');
    // A plan without measures at the next level keeps its own.
    expect(measureLevel('YELLOW', LEVELS, ['JOINT_CONTROL_AREA'], ['YELLOW', 'RED'], settings)).toBe(
      'YELLOW',
    );
  });

  it('gives the SQL twin the next level, the escalated tags and the joint-control switch', () => {
    expect(withoutChains(escalationParams('ORANGE', LEVELS, settings))).toEqual({
      nextLevel: 'RED',
      tags: ['DIFFERENTIATED_CONTROL'],
      joint: true,
      stepUp: ['DIFFERENTIATED_CONTROL', 'JOINT_CONTROL_AREA'],
      added: {},
      lower: [],
    });
    expect(withoutChains(escalationParams('YELLOW', LEVELS, undefined))).toEqual({
      nextLevel: 'ORANGE',
      tags: [],
      joint: false,
      stepUp: [],
      added: {},
      lower: [],
    });
  });

  it('says in the notice why and what it takes', () => {
    expect(escalationSentence(['DIFFERENTIATED_CONTROL', 'JOINT_CONTROL_AREA'], 'ORANGE', 'RED')).toBe(
      '贵单位为差异化管控企业、位于平川四县(太原及周边“1+30”联防联控区),按规定从严管控,执行红色预警减排措施。',
    );
    expect(escalationSentence([], 'ORANGE', 'ORANGE')).toBeNull();
    expect(escalationSentence(['JOINT_CONTROL_AREA'], 'RED', 'RED')).toBeNull();
  });
});

describe('escalation: added measures (ADD_MEASURES)', () => {
  const settings = {
    BUILT_UP_AREA: {
      add: [
        {
          action: 'STOP_ROAD_TRANSPORT',
          description: '禁止公路运输',
          reduction: { so2: 0, nox: 3, pm: 1, vocs: 0 },
        },
        {
          action: 'LIMIT_PERCENT',
          params: { percent: 30 },
          description: '限产30%',
          verification: 'POWER_SUBMETER',
        },
      ],
    },
    NO_DRY_QUENCHING: { add: [{ action: 'STOP_ROAD_TRANSPORT', description: '停止公路运输' }] },
    JOINT_CONTROL_AREA: 'NEXT_LEVEL',
  } as const;
  const plan = [
    { line: null, action: 'LIMIT_PERCENT', params: { percent: 20 }, fromHour: null, toHour: null },
  ];
  const road = {
    line: null,
    action: 'STOP_ROAD_TRANSPORT',
    params: {},
    description: '禁止公路运输(建成区重污染企业从严措施)',
    reduction: { so2: 0, nox: 3, pm: 1, vocs: 0 },
    verification: 'OTHER',
    fromHour: null,
    toHour: null,
    escalation: 'BUILT_UP_AREA',
  };
  const limit = {
    ...road,
    action: 'LIMIT_PERCENT',
    params: { percent: 30 },
    description: '限产30%(建成区重污染企业从严措施)',
    reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
    verification: 'POWER_SUBMETER',
  };

  it('escalates an enterprise for a source that adds measures, without stepping it up', () => {
    const sources = escalationSources(
      { controlTags: ['BUILT_UP_AREA', 'DIFFERENTIATED_CONTROL'], jointControlArea: false },
      settings,
    );
    expect(sources).toEqual(['BUILT_UP_AREA']);
    expect(measureLevel('ORANGE', LEVELS, sources, ['ORANGE', 'RED'], settings)).toBe('ORANGE');
    expect(
      measureLevel('ORANGE', LEVELS, [...sources, 'JOINT_CONTROL_AREA'], ['ORANGE', 'RED'], settings),
    ).toBe('RED');
  });

  it('adds each listed measure on the whole enterprise for the whole response, saying why', () => {
    expect(addedMeasures(['BUILT_UP_AREA'], settings, plan)).toEqual([road, limit]);
    // A NEXT_LEVEL source adds nothing; no source, nothing.
    expect(addedMeasures(['JOINT_CONTROL_AREA'], settings, plan)).toEqual([]);
    expect(addedMeasures([], settings, plan)).toEqual([]);
    // No plan measures at the level: nothing to add to (the order stays a NO_PLAN problem).
    expect(addedMeasures(['BUILT_UP_AREA'], settings, [])).toEqual([]);
  });

  it('leaves out what the plan already has on the whole enterprise with the same action and parameters', () => {
    const has = (m: PlanMeasureLike) =>
      addedMeasures(['BUILT_UP_AREA'], settings, [...plan, m]).map((a) => a.action);
    expect(
      has({ line: null, action: 'STOP_ROAD_TRANSPORT', params: {}, fromHour: null, toHour: null }),
    ).toEqual(['LIMIT_PERCENT']);
    expect(has({ action: 'LIMIT_PERCENT', params: { percent: 30 } })).toEqual(['STOP_ROAD_TRANSPORT']);
    // On one line, for part of the response, or with other parameters, it is not the same measure.
    expect(has({ line: '焦炉1#', action: 'STOP_ROAD_TRANSPORT', params: {} })).toEqual([
      'STOP_ROAD_TRANSPORT',
      'LIMIT_PERCENT',
    ]);
    expect(has({ action: 'STOP_ROAD_TRANSPORT', params: {}, fromHour: 24 })).toEqual([
      'STOP_ROAD_TRANSPORT',
      'LIMIT_PERCENT',
    ]);
    expect(has({ action: 'LIMIT_PERCENT', params: { percent: 50 } })).toEqual([
      'STOP_ROAD_TRANSPORT',
      'LIMIT_PERCENT',
    ]);
  });

  it('adds a measure two sources list once, for the first source', () => {
    const added = addedMeasures(['NO_DRY_QUENCHING', 'BUILT_UP_AREA'], settings, plan);
    expect(added.map((a) => [a.action, a.escalation, a.description])).toEqual([
      ['STOP_ROAD_TRANSPORT', 'NO_DRY_QUENCHING', '停止公路运输(未完成干熄焦改造焦化企业从严措施)'],
      ['LIMIT_PERCENT', 'BUILT_UP_AREA', '限产30%(建成区重污染企业从严措施)'],
    ]);
  });

  it('gives the SQL twin every source, the NEXT_LEVEL ones, and each adding source’s measures', () => {
    expect(withoutChains(escalationParams('ORANGE', LEVELS, settings))).toEqual({
      lower: [],
      nextLevel: 'RED',
      tags: ['NO_DRY_QUENCHING', 'BUILT_UP_AREA'],
      joint: true,
      stepUp: ['JOINT_CONTROL_AREA'],
      added: {
        NO_DRY_QUENCHING: [
          {
            ...road,
            description: '停止公路运输(未完成干熄焦改造焦化企业从严措施)',
            reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
            escalation: 'NO_DRY_QUENCHING',
          },
        ],
        BUILT_UP_AREA: [road, limit],
      },
    });
  });

  it('names the added measures in the notice, with or without the next level', () => {
    const measures = [{ description: '限产20%' }, road];
    expect(escalationSentence(['BUILT_UP_AREA'], 'ORANGE', 'ORANGE', measures)).toBe(
      '贵单位为位于建成区的重污染企业,按规定从严管控,另须执行:禁止公路运输。',
    );
    expect(
      escalationSentence(['BUILT_UP_AREA', 'JOINT_CONTROL_AREA'], 'ORANGE', 'RED', [
        ...measures,
        { ...limit, description: '限产30%(建成区重污染企业从严措施)' },
      ]),
    ).toBe(
      '贵单位为位于建成区的重污染企业、位于平川四县(太原及周边“1+30”联防联控区),按规定从严管控,执行红色预警减排措施,另须执行:禁止公路运输、限产30%。',
    );
    // Escalated, but the plan already had the measure: nothing stricter, no sentence.
    expect(
      escalationSentence(['BUILT_UP_AREA'], 'ORANGE', 'ORANGE', [{ description: '停止公路运输' }]),
    ).toBeNull();
  });
});

describe('escalation: treated as one grade lower (GRADE_LOWER)', () => {
  const settings: EscalationSettings = { BUILT_UP_AREA: 'GRADE_LOWER', JOINT_CONTROL_AREA: 'GRADE_LOWER' };

  it('lowers the grade once per GRADE_LOWER source that applies, D staying D', () => {
    expect(gradeTaken('A', ['BUILT_UP_AREA'], settings)).toBe('B');
    expect(gradeTaken('A', ['BUILT_UP_AREA', 'JOINT_CONTROL_AREA'], settings)).toBe('B_MINUS');
    expect(gradeTaken('LEADING', ['JOINT_CONTROL_AREA'], settings)).toBe('NON_LEADING');
    expect(gradeTaken('D', ['BUILT_UP_AREA'], settings)).toBe('D');
    // A source with another treatment does not lower.
    expect(gradeTaken('A', ['BUILT_UP_AREA'], { BUILT_UP_AREA: 'NEXT_LEVEL' })).toBe('A');
    expect(gradeLowerSources(settings)).toEqual(['BUILT_UP_AREA', 'JOINT_CONTROL_AREA']);
  });

  it('gives the SQL twin every grade’s chain of lower grades, long enough for every source', () => {
    const chains = gradeLowerChains();
    expect(chains.A_PLUS).toEqual(['A_PLUS', 'A', 'B', 'B_MINUS', 'C']);
    expect(chains.LEADING).toEqual(['LEADING', 'NON_LEADING', 'C', 'D', 'D']);
    expect(chains.D).toEqual(['D', 'D', 'D', 'D', 'D']);
    expect(escalationParams('ORANGE', ['YELLOW', 'ORANGE', 'RED'], settings).lower).toEqual([
      'BUILT_UP_AREA',
      'JOINT_CONTROL_AREA',
    ]);
  });

  it('adds no measures, and says in the notice which grade it is treated as', () => {
    expect(addedMeasures(['BUILT_UP_AREA'], settings, [{ action: 'STOP' }])).toEqual([]);
    expect(escalationSentence(['BUILT_UP_AREA'], 'ORANGE', 'ORANGE', [], 'B')).toBe(
      '贵单位为位于建成区的重污染企业,按规定从严管控,按B级企业管控,须落实减排措施。',
    );
    expect(escalationSentence(['BUILT_UP_AREA'], 'ORANGE', 'ORANGE', [], null)).toBeNull();
  });
});
