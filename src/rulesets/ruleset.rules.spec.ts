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

  it('accepts ids shaped like the seeded ones', () => {
    expect(RULESET_ID_PATTERN.test('LVLIANG-2026')).toBe(true);
    expect(RULESET_ID_PATTERN.test('mee-2024')).toBe(false);
  });
});
