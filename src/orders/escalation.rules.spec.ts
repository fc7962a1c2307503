import {
  escalationParams,
  escalationSentence,
  escalationSources,
  measureLevel,
  nextLevel,
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
      ),
    ).toBe('ORANGE');
    expect(measureLevel('YELLOW', LEVELS, [], ['YELLOW', 'ORANGE'])).toBe('YELLOW');
    // A plan without measures at the next level keeps its own.
    expect(measureLevel('YELLOW', LEVELS, ['JOINT_CONTROL_AREA'], ['YELLOW', 'RED'])).toBe('YELLOW');
  });

  it('gives the SQL twin the next level, the escalated tags and the joint-control switch', () => {
    expect(escalationParams('ORANGE', LEVELS, settings)).toEqual({
      nextLevel: 'RED',
      tags: ['DIFFERENTIATED_CONTROL'],
      joint: true,
    });
    expect(escalationParams('YELLOW', LEVELS, undefined)).toEqual({
      nextLevel: 'ORANGE',
      tags: [],
      joint: false,
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
