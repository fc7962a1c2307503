/** Warning levels, lowest to highest. BLUE exists only in the 2017 four-level ruleset. */
export const WARNING_LEVELS = ['BLUE', 'YELLOW', 'ORANGE', 'RED'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export const POLLUTANTS = ['so2', 'nox', 'pm', 'vocs'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/**
 * A condition on the forecast days: at least `days` days whose daily AQI is above `aqi` (`gt`) or at
 * least `aqi` (`gte`); when `consecutive`, those days must follow each other.
 */
export interface AqiTerm {
  comparison: 'gt' | 'gte';
  aqi: number;
  days: number;
  consecutive: boolean;
}

/** All terms hold. */
export interface AqiClause {
  allOf: AqiTerm[];
}

/** The level starts when any clause holds. */
export interface LevelRule {
  level: WarningLevel;
  anyOf: AqiClause[];
  /** Chinese summary for people, e.g. "AQI>200 持续2天及以上". */
  description: string;
}

export interface RulesetDefinition {
  /** Lowest level first; the highest level whose rule holds wins. */
  levelRules: LevelRule[];
  /** Required share of the baseline each of SO2, NOx, PM and VOCs must be cut by, per level (0.1 = 10%). */
  reductionRatios: Partial<Record<WarningLevel, number>>;
  /**
   * Lift when the forecast stays below every level's start condition for this many hours or more (持续…小时以上,
   * 以上 counting the number itself), from the lift time: see liftForecastCheck.
   */
  liftBelowHours: number;
  /** A warning is issued this many hours before it takes effect, in principle. */
  leadTimeHours: number;
  deadlines: {
    /** Receipt is due before the effective time, or within this many hours when issued later than that. */
    receiptMinHours: number;
    /** "Measures in place" report is due this many hours after the effective time. */
    reportWithinHours: number;
  };
  approval: { draftToApprovalHours: number; approvalToReleaseHours: number };
}
