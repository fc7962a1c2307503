import { deriveDefinition, RULESET_ID_PATTERN } from './ruleset.rules';
import type { RulesetDefinition } from './ruleset.types';

const base = {
  levels: ['YELLOW', 'ORANGE', 'RED'] as const,
  definition: {
    levelRules: [],
    reductionRatios: { YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 },
    liftBelowHours: 36,
    leadTimeHours: 24,
    detailedDays: 3,
    episodes: { pollutedDay: { comparison: 'gt', aqi: 150 }, mergeGapHours: 36 },
    responses: { warningPollutants: ['PM2.5'], ozonePollutants: ['O3'] },
    deadlines: { receiptMinHours: 2, reportWithinHours: 2 },
    approval: { draftToApprovalHours: 2, approvalToReleaseHours: 2 },
    consequence: '依法查处',
  } as RulesetDefinition,
};

describe('deriveDefinition', () => {
  it('applies the overrides to a copy and lists what changed', () => {
    const r = deriveDefinition(
      { ...base, levels: [...base.levels] },
      {
        reductionRatios: { ORANGE: 0.25, RED: 0.3 },
        deadlines: { reportWithinHours: 4 },
        liftBelowHours: 48,
      },
    );
    expect(r.errors).toEqual([]);
    expect(r.definition.reductionRatios).toEqual({ YELLOW: 0.1, ORANGE: 0.25, RED: 0.3 });
    expect(r.definition.deadlines).toEqual({ receiptMinHours: 2, reportWithinHours: 4 });
    expect(r.changes).toEqual({
      'reductionRatios.ORANGE': [0.2, 0.25],
      liftBelowHours: [36, 48],
      'deadlines.reportWithinHours': [2, 4],
    });
    expect(base.definition.reductionRatios.ORANGE).toBe(0.2); // the base is untouched
  });

  it('sets the reconciliation tolerances, each from its default, and refuses one out of range', () => {
    const r = deriveDefinition(
      { ...base, levels: [...base.levels] },
      { reconciliation: { stopMaxShare: 0.05, graceHours: 2 } },
    );
    expect(r.errors).toEqual([]);
    expect(r.definition.reconciliation).toEqual({ stopMaxShare: 0.05, graceHours: 2 });
    expect(r.changes).toEqual({
      'reconciliation.stopMaxShare': [0.1, 0.05],
      'reconciliation.graceHours': [1, 2],
    });
    const bad = deriveDefinition(
      { ...base, levels: [...base.levels] },
      { reconciliation: { capTolerance: 0.9, graceHours: 1.5, speed: 1 } as never },
    );
    expect(bad.errors).toEqual([
      { field: 'reconciliation.capTolerance', message: '浓度限值允许超出的比例应为 0-0.5 之间的数' },
      { field: 'reconciliation.graceHours', message: '措施开始后的过渡小时数应为 0-24 之间的整数' },
      {
        field: 'reconciliation.speed',
        message:
          '未知的核查容差(可选:stopMaxShare、limitTolerance、capTolerance、graceHours、lateDataMinutes)',
      },
    ]);
  });

  it('sets and unsets the tags and places held to the next level’s measures', () => {
    const set = deriveDefinition(
      { ...base, levels: [...base.levels] },
      { escalations: { JOINT_CONTROL_AREA: 'NEXT_LEVEL', BUILT_UP_AREA: 'NEXT_LEVEL' } },
    );
    expect(set.errors).toEqual([]);
    expect(set.definition.escalations).toEqual({
      JOINT_CONTROL_AREA: 'NEXT_LEVEL',
      BUILT_UP_AREA: 'NEXT_LEVEL',
    });
    const unset = deriveDefinition(
      { levels: [...base.levels], definition: set.definition },
      { escalations: { BUILT_UP_AREA: null } },
    );
    expect(unset.definition.escalations).toEqual({ JOINT_CONTROL_AREA: 'NEXT_LEVEL' });
    expect(unset.changes).toEqual({ 'escalations.BUILT_UP_AREA': ['NEXT_LEVEL', null] });
  });

  it('sets a source to be treated as one grade lower, and refuses an unknown treatment naming it', () => {
    const r = deriveDefinition(
      { ...base, levels: [...base.levels] },
      { escalations: { BUILT_UP_AREA: 'GRADE_LOWER' } },
    );
    expect(r.errors).toEqual([]);
    expect(r.definition.escalations).toEqual({ BUILT_UP_AREA: 'GRADE_LOWER' });
    expect(r.changes).toEqual({ 'escalations.BUILT_UP_AREA': [null, 'GRADE_LOWER'] });
    const bad = deriveDefinition(
      { ...base, levels: [...base.levels] },
      { escalations: { BUILT_UP_AREA: 'LOWER_TWICE' } },
    );
    expect(bad.errors).toEqual([
      {
        field: 'escalations.BUILT_UP_AREA',
        message:
          '应为 NEXT_LEVEL(执行高一级预警措施)、GRADE_LOWER(按低一级绩效等级管控)、{"add": [措施…]}(另加所列措施)或 null(不从严)',
      },
    ]);
  });

  it('sets a source to add listed measures, in normal form, and logs the change', () => {
    const r = deriveDefinition(
      { ...base, levels: [...base.levels] },
      {
        escalations: {
          BUILT_UP_AREA: {
            add: [
              { action: 'STOP_ROAD_TRANSPORT', description: ' 禁止公路运输 ', reduction: { nox: 3 } },
              {
                action: 'LIMIT_PERCENT',
                params: { percent: 30 },
                description: '限产30%',
                verification: 'DCS',
              },
            ],
          },
        },
      },
    );
    expect(r.errors).toEqual([]);
    const add = [
      {
        action: 'STOP_ROAD_TRANSPORT',
        params: {},
        description: '禁止公路运输',
        reduction: { so2: 0, nox: 3, pm: 0, vocs: 0 },
      },
      { action: 'LIMIT_PERCENT', params: { percent: 30 }, description: '限产30%', verification: 'DCS' },
    ];
    expect(r.definition.escalations).toEqual({ BUILT_UP_AREA: { add } });
    expect(r.changes).toEqual({ 'escalations.BUILT_UP_AREA': [null, { add }] });
  });

  it('names every problem of an added measure at escalations.<source>.add[i].<field>, in Chinese', () => {
    const r = deriveDefinition(
      { ...base, levels: [...base.levels] },
      {
        escalations: {
          BUILT_UP_AREA: {
            add: [
              { action: 'FLY', description: '' },
              { action: 'LIMIT_PERCENT', params: { percent: 130 }, description: '限产', colour: 'red' },
              {
                action: 'STOP',
                description: '停产',
                reduction: { so2: -1, co: 2 },
                verification: 'EYES',
              },
              'STOP',
            ],
          },
          NO_DRY_QUENCHING: { add: [] },
          JOINT_CONTROL_AREA: 'ADD',
        },
      },
    );
    expect(r.errors).toEqual([
      {
        field: 'escalations.BUILT_UP_AREA.add[0].action',
        message:
          '未知措施类型,可选:STOP, LIMIT_PERCENT, STOP_SHARE, EXTEND_COKING_HOURS, FEED_CAP, CONCENTRATION_CAP, TRUCK_BAN_CN4, STOP_ROAD_TRANSPORT, VOLUNTARY, OTHER',
      },
      { field: 'escalations.BUILT_UP_AREA.add[0].description', message: '措施描述不能为空' },
      { field: 'escalations.BUILT_UP_AREA.add[1]', message: '未知字段 colour' },
      {
        field: 'escalations.BUILT_UP_AREA.add[1].params.percent',
        message: '限产比例(%)应在0-100之间,实际为130',
      },
      { field: 'escalations.BUILT_UP_AREA.add[2].reduction.so2', message: 'so2 减排量应为非负数值(kg/d)' },
      {
        field: 'escalations.BUILT_UP_AREA.add[2].reduction.co',
        message: '未知污染物(可选:so2、nox、pm、vocs)',
      },
      {
        field: 'escalations.BUILT_UP_AREA.add[2].verification',
        message: '未知核查方式,可选:POWER_SUBMETER, CEMS, GATE_CAMERA, DCS, NOTICE_BOARD, OTHER',
      },
      {
        field: 'escalations.BUILT_UP_AREA.add[3]',
        message: '应为措施对象 {action, params?, description, reduction?, verification?}',
      },
      { field: 'escalations.NO_DRY_QUENCHING.add', message: '应为 1-20 条措施的数组' },
      {
        field: 'escalations.JOINT_CONTROL_AREA',
        message:
          '应为 NEXT_LEVEL(执行高一级预警措施)、GRADE_LOWER(按低一级绩效等级管控)、{"add": [措施…]}(另加所列措施)或 null(不从严)',
      },
    ]);
    expect(r.definition.escalations).toEqual(base.definition.escalations);
  });

  it('names every field it refuses', () => {
    const r = deriveDefinition(
      { ...base, levels: [...base.levels] },
      { reductionRatios: { BLUE: 0.05, RED: 1.5 }, leadTimeHours: -1, deadlines: { receiptMinHours: 2.5 } },
    );
    expect(r.errors.map((e) => e.field)).toEqual([
      'reductionRatios.BLUE',
      'reductionRatios.RED',
      'leadTimeHours',
      'deadlines.receiptMinHours',
    ]);
  });

  const derive = (overrides: Parameters<typeof deriveDefinition>[1]) =>
    deriveDefinition({ ...base, levels: [...base.levels] }, overrides);

  describe('per-pollutant reduction ratios', () => {
    it('takes an object per pollutant, the pollutants it leaves out keeping the base share', () => {
      const r = derive({
        reductionRatios: { YELLOW: { pm: 0.25 }, RED: { so2: 0.35, nox: 0.35, pm: 0.3, vocs: 0.3 } },
      });
      expect(r.errors).toEqual([]);
      expect(r.definition.reductionRatios).toEqual({
        YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 },
        ORANGE: 0.2,
        RED: { so2: 0.35, nox: 0.35, pm: 0.3, vocs: 0.3 },
      });
      expect(r.changes).toEqual({
        'reductionRatios.YELLOW': [0.1, { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 }],
        'reductionRatios.RED': [0.3, { so2: 0.35, nox: 0.35, pm: 0.3, vocs: 0.3 }],
      });
    });

    it('keeps the per-pollutant shares of a base that has them, and goes back to one number', () => {
      const perPollutant = {
        ...base,
        levels: [...base.levels],
        definition: {
          ...base.definition,
          reductionRatios: { YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 }, ORANGE: 0.2, RED: 0.3 },
        },
      };
      const r = deriveDefinition(perPollutant, {
        reductionRatios: { YELLOW: { vocs: 0.15 }, ORANGE: 0.2, RED: 0.35 },
      });
      expect(r.errors).toEqual([]);
      expect(r.definition.reductionRatios.YELLOW).toEqual({ so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.15 });
      // ORANGE unchanged: not in the changes.
      expect(Object.keys(r.changes)).toEqual(['reductionRatios.YELLOW', 'reductionRatios.RED']);
      const back = deriveDefinition(perPollutant, { reductionRatios: { YELLOW: 0.1 } });
      expect(back.definition.reductionRatios.YELLOW).toBe(0.1);
      expect(back.changes).toEqual({
        'reductionRatios.YELLOW': [{ so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 }, 0.1],
      });
    });

    it.each([
      [{ YELLOW: { co: 0.1 } }, 'reductionRatios.YELLOW.co', '未知污染物 co'],
      [{ YELLOW: { pm: 0 } }, 'reductionRatios.YELLOW.pm', '大于0且不超过1'],
      [{ YELLOW: { pm: 1.2 } }, 'reductionRatios.YELLOW.pm', '大于0且不超过1'],
      [{ YELLOW: { pm: '0.2' } }, 'reductionRatios.YELLOW.pm', '大于0且不超过1'],
      [{ YELLOW: {} }, 'reductionRatios.YELLOW', '至少填写一种'],
      [{ YELLOW: [0.1] }, 'reductionRatios.YELLOW', '按污染物分别填写'],
      [{ YELLOW: null }, 'reductionRatios.YELLOW', '按污染物分别填写'],
      [{ YELLOW: '0.1' }, 'reductionRatios.YELLOW', '按污染物分别填写'],
      [{ BLUE: { pm: 0.1 } }, 'reductionRatios.BLUE', '基础规则集没有BLUE级别'],
    ])('refuses %j naming %s', (reductionRatios, field, message) => {
      const r = derive({ reductionRatios });
      expect(r.errors).toEqual([{ field, message: expect.stringContaining(message) }]);
      expect(r.changes).toEqual({});
    });

    it('names every bad pollutant of one level at once', () => {
      const r = derive({ reductionRatios: { ORANGE: { co: 0.1, pm: 2, nox: 0.2 } } });
      expect(r.errors.map((e) => e.field)).toEqual([
        'reductionRatios.ORANGE.co',
        'reductionRatios.ORANGE.pm',
      ]);
      expect(r.definition.reductionRatios.ORANGE).toBe(0.2); // nothing half-applied
    });
  });

  describe('hours, days and episodes', () => {
    it.each([
      ['approval.draftToApprovalHours', { approval: { draftToApprovalHours: 4 } }, 2, 4],
      ['approval.approvalToReleaseHours', { approval: { approvalToReleaseHours: 1 } }, 2, 1],
      ['episodes.mergeGapHours', { episodes: { mergeGapHours: 0 } }, 36, 0],
      ['episodes.mergeGapHours', { episodes: { mergeGapHours: 240 } }, 36, 240],
      ['detailedDays', { detailedDays: 10 }, 3, 10],
      ['detailedDays', { detailedDays: 1 }, 3, 1],
      ['leadTimeHours', { leadTimeHours: 48 }, 24, 48],
      ['liftBelowHours', { liftBelowHours: 24 }, 36, 24],
    ] as const)('sets %s and records it', (path, overrides, before, after) => {
      const r = derive(overrides);
      expect(r.errors).toEqual([]);
      expect(r.changes).toEqual({ [path]: [before, after] });
      const [head, leaf] = path.split('.') as [keyof RulesetDefinition, string | undefined];
      const value = r.definition[head] as unknown as Record<string, unknown>;
      expect(leaf ? value[leaf] : value).toBe(after);
    });

    it.each([
      [{ approval: { draftToApprovalHours: 0 } }, 'approval.draftToApprovalHours', '1-72'],
      [{ approval: { approvalToReleaseHours: 73 } }, 'approval.approvalToReleaseHours', '1-72'],
      [{ approval: { approvalToReleaseHours: 1.5 } }, 'approval.approvalToReleaseHours', '整数小时'],
      [{ episodes: { mergeGapHours: -1 } }, 'episodes.mergeGapHours', '0-240'],
      [{ episodes: { mergeGapHours: 241 } }, 'episodes.mergeGapHours', '0-240'],
      [{ detailedDays: 0 }, 'detailedDays', '1-10 之间的整数天'],
      [{ detailedDays: 11 }, 'detailedDays', '1-10 之间的整数天'],
      [{ episodes: { pollutedDay: { comparison: 'lt' } } }, 'episodes.pollutedDay.comparison', 'gt'],
      [{ episodes: { pollutedDay: { aqi: 501 } } }, 'episodes.pollutedDay.aqi', '0-500'],
      [{ episodes: { pollutedDay: { aqi: 150.5 } } }, 'episodes.pollutedDay.aqi', '0-500'],
      [{ episodes: { pollutedDay: 200 } }, 'episodes.pollutedDay', 'comparison'],
    ])('refuses %j naming %s', (overrides, field, message) => {
      const r = derive(overrides as Parameters<typeof derive>[0]);
      expect(r.errors).toEqual([{ field, message: expect.stringContaining(message) }]);
      expect(r.changes).toEqual({});
      expect(r.definition).toEqual(base.definition);
    });

    it('sets what a polluted day is, each part alone keeping the other', () => {
      const r = derive({ episodes: { pollutedDay: { aqi: 200 } } });
      expect(r.definition.episodes.pollutedDay).toEqual({ comparison: 'gt', aqi: 200 });
      expect(r.changes).toEqual({
        'episodes.pollutedDay': [
          { comparison: 'gt', aqi: 150 },
          { comparison: 'gt', aqi: 200 },
        ],
      });
      const both = derive({ episodes: { pollutedDay: { comparison: 'gte', aqi: 0 }, mergeGapHours: 24 } });
      expect(both.definition.episodes).toEqual({
        pollutedDay: { comparison: 'gte', aqi: 0 },
        mergeGapHours: 24,
      });
      expect(Object.keys(both.changes)).toEqual(['episodes.mergeGapHours', 'episodes.pollutedDay']);
    });
  });

  describe('responses by primary pollutant', () => {
    it('sets the lists and records them', () => {
      const r = derive({
        responses: { warningPollutants: ['PM2.5', 'PM10'], ozonePollutants: ['O3', 'NO2'] },
      });
      expect(r.errors).toEqual([]);
      expect(r.definition.responses).toEqual({
        warningPollutants: ['PM2.5', 'PM10'],
        ozonePollutants: ['O3', 'NO2'],
      });
      expect(r.changes).toEqual({
        'responses.warningPollutants': [['PM2.5'], ['PM2.5', 'PM10']],
        'responses.ozonePollutants': [['O3'], ['O3', 'NO2']],
      });
    });

    it.each([
      [{ warningPollutants: ['PM2.5', 'SMOG'] }, 'responses.warningPollutants[1]', '未知首要污染物 SMOG'],
      [{ warningPollutants: ['PM2.5', 'PM2.5'] }, 'responses.warningPollutants[1]', 'PM2.5 重复'],
      [{ warningPollutants: [] }, 'responses.warningPollutants', '至少一种'],
      [{ warningPollutants: 'PM2.5' }, 'responses.warningPollutants', '首要污染物列表'],
      [{ ozonePollutants: [3] }, 'responses.ozonePollutants', '首要污染物列表'],
      // The base counts PM2.5 toward colour warnings: it cannot also get the ozone response.
      [{ ozonePollutants: ['O3', 'PM2.5'] }, 'responses.ozonePollutants', 'PM2.5 不能同时'],
      [{ warningPollutants: ['PM2.5', 'O3'] }, 'responses.warningPollutants', 'O3 不能同时'],
      [
        { warningPollutants: ['DUST'], ozonePollutants: ['DUST'] },
        'responses.ozonePollutants',
        'DUST 不能同时',
      ],
    ])('refuses %j naming %s', (responses, field, message) => {
      const r = derive({ responses });
      expect(r.errors).toEqual([{ field, message: expect.stringContaining(message) }]);
      expect(r.changes).toEqual({});
      expect(r.definition.responses).toEqual(base.definition.responses);
    });

    it('lets both lists move a pollutant from one to the other in one version', () => {
      const r = derive({ responses: { warningPollutants: ['PM2.5', 'O3'], ozonePollutants: [] } });
      expect(r.errors).toEqual([]);
      expect(r.definition.responses).toEqual({ warningPollutants: ['PM2.5', 'O3'], ozonePollutants: [] });
    });
  });

  it('reports every problem of a request at once', () => {
    const r = derive({
      reductionRatios: { YELLOW: { co: 0.1 } },
      approval: { draftToApprovalHours: 0 },
      episodes: { mergeGapHours: 300, pollutedDay: { aqi: -1 } },
      responses: { warningPollutants: ['X'] },
      detailedDays: 0,
    });
    expect(r.errors.map((e) => e.field)).toEqual([
      'reductionRatios.YELLOW.co',
      'detailedDays',
      'approval.draftToApprovalHours',
      'episodes.mergeGapHours',
      'episodes.pollutedDay.aqi',
      'responses.warningPollutants[0]',
    ]);
  });

  it('accepts ids shaped like the seeded ones', () => {
    expect(RULESET_ID_PATTERN.test('LVLIANG-2026')).toBe(true);
    expect(RULESET_ID_PATTERN.test('mee-2024')).toBe(false);
  });
});
