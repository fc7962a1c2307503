import {
  addedMeasures,
  escalationParams,
  escalationSentence,
  escalationSources,
  measureLevel,
  nextLevel,
  type PlanMeasureLike,
} from './escalation.rules';

const LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;

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
    expect(escalationParams('ORANGE', LEVELS, settings)).toEqual({
      nextLevel: 'RED',
      tags: ['DIFFERENTIATED_CONTROL'],
      joint: true,
      stepUp: ['DIFFERENTIATED_CONTROL', 'JOINT_CONTROL_AREA'],
      added: {},
    });
    expect(escalationParams('YELLOW', LEVELS, undefined)).toEqual({
      nextLevel: 'ORANGE',
      tags: [],
      joint: false,
      stepUp: [],
      added: {},
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
    expect(escalationParams('ORANGE', LEVELS, settings)).toEqual({
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
