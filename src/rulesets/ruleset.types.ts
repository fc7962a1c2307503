import type { EscalationSettings } from '../orders/escalation.rules';

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

/** A required reduction: one share for all four pollutants, or one per pollutant (0.1 = 10%). */
export type ReductionRatio = number | Partial<Record<Pollutant, number>>;

/** How a county's forecast splits into episodes (过程): see episode.rules.ts. */
export interface EpisodeSettings {
  /** A polluted day (污染日): its daily AQI meets this, e.g. >150 under MEE-2024. */
  pollutedDay: { comparison: 'gt' | 'gte'; aqi: number };
  /** Two episodes whose clean gap is shorter than this many hours count as one (间隔过短视为同一过程). */
  mergeGapHours: number;
}

/** Which response a polluted day's primary pollutant (首要污染物) calls for. */
export interface ResponseSettings {
  /** Days with these primary pollutants count toward a colour warning with industrial orders. */
  warningPollutants: string[];
  /** Days with these get the ozone response (臭氧污染应对) instead; any other polluted day: health advice only. */
  ozonePollutants: string[];
}

/**
 * A measure a grade's plan must hold: an action code (STOP, STOP_ROAD_TRANSPORT, TRUCK_BAN_CN4, …), or one with
 * the parameters it must at least reach, e.g. {action: 'LIMIT_PERCENT', params: {percent: 20}}.
 */
export type MinimumMeasure = string | { action: string; params?: Record<string, number> };

/** The least a performance grade's plan must hold (绩效分级的最低管控要求): at every level, and per level. */
export interface GradeMinimum {
  allLevels?: MinimumMeasure[];
  levels?: Partial<Record<WarningLevel, MinimumMeasure[]>>;
}

/** How much a meter may show and still count as complying (src/reconciliation): ruleset data. */
export interface ReconciliationTolerances {
  /** A stopped line may still draw this share of its normal power (standby, lighting, safety systems). */
  stopMaxShare: number;
  /** A line limited by p% may draw (1 − p) of its normal power plus this share of normal. */
  limitTolerance: number;
  /** An outlet may exceed a concentration cap by this share (the CEMS's measurement uncertainty). */
  capTolerance: number;
  /** Whole hours after a measure starts before it is checked: a line takes time to ramp down. */
  graceHours: number;
  /** An hour without readings is a finding only this many minutes after it ended: readings may arrive late. */
  lateDataMinutes: number;
}

export interface RulesetDefinition {
  /** Lowest level first; the highest level whose rule holds wins. */
  levelRules: LevelRule[];
  /** Required share of the baseline each of SO2, NOx, PM and VOCs must be cut by, per level. */
  reductionRatios: Partial<Record<WarningLevel, ReductionRatio>>;
  episodes: EpisodeSettings;
  responses: ResponseSettings;
  /**
   * The first this many days of each county's forecast are the detailed forecast the level is judged on; days
   * beyond them are the trend, which gives an outlook (预警提示) but no level.
   */
  detailedDays: number;
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
  /**
   * Per grade code (A_PLUS … UNGRADED), the measures its plans must hold; plan checks warn when one is missing
   * (e.g. D: stop production and road transport at every level, domain.md §3). Absent: no minimums.
   */
  gradeMinimums?: Partial<Record<string, GradeMinimum>>;
  /** What happens to an addressee that does not comply, printed in every notice (e.g. 大气法第九十六条). */
  consequence: string;
  /**
   * City departments' duties per level (the plan's 部门职责), each naming a department by its code in the department
   * table; a department with duties at a warning's level gets a department notice listing them (src/parties).
   */
  departmentDuties?: Partial<Record<WarningLevel, Array<{ department: string; duty: string }>>>;
  /** Tolerances of the meters against the orders; a missing one takes its default (DEFAULT_TOLERANCES). */
  reconciliation?: Partial<ReconciliationTolerances>;
  /**
   * Tags and places held to stricter measures in a warning (src/orders/escalation.rules.ts): per control tag and for
   * JOINT_CONTROL_AREA (平川四县), NEXT_LEVEL takes the plan's measures of the next level up; `{add: [template…]}`
   * adds the listed measures to the order. Absent: none.
   */
  /** Seasonal campaigns' rules (src/campaigns/campaign.rules.ts); absent: the defaults there. */
  campaigns?: {
    AUTUMN_WINTER?: import('../campaigns/campaign.rules').StaggerRules;
    SUMMER_OZONE?: import('../campaigns/campaign.rules').OzoneRules;
  };
  escalations?: EscalationSettings;
}

/** The share of the baseline a pollutant must be cut by at a level, or null when the ruleset sets none. */
export function requiredRatio(ratio: ReductionRatio | undefined, pollutant: Pollutant): number | null {
  if (ratio === undefined) return null;
  return typeof ratio === 'number' ? ratio : (ratio[pollutant] ?? null);
}
