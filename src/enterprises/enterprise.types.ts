import type { Pollutant, WarningLevel } from '../rulesets/ruleset.types';

export const GRADES = [
  'A_PLUS',
  'A',
  'B',
  'B_MINUS',
  'C',
  'D',
  'LEADING',
  'NON_LEADING',
  'UNGRADED',
] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_NAMES: Record<Grade, string> = {
  A_PLUS: 'A+级',
  A: 'A级',
  B: 'B级',
  B_MINUS: 'B-级',
  C: 'C级',
  D: 'D级',
  LEADING: '引领性',
  NON_LEADING: '非引领性',
  UNGRADED: '未分级',
};

/** Grades that reduce voluntarily (自主减排) during warnings. */
export const VOLUNTARY_GRADES: readonly Grade[] = ['A_PLUS', 'A', 'LEADING'];

/**
 * One grade lower, for "treat as one grade lower" (issue 18): A+ → A → B → B- → C → D; LEADING → NON_LEADING → C;
 * UNGRADED → D. D stays D.
 */
export const GRADE_ONE_LOWER: Record<Grade, Grade> = {
  A_PLUS: 'A',
  A: 'B',
  B: 'B_MINUS',
  B_MINUS: 'C',
  C: 'D',
  D: 'D',
  LEADING: 'NON_LEADING',
  NON_LEADING: 'C',
  UNGRADED: 'D',
};

export const MEASURE_ACTIONS = [
  'STOP',
  'LIMIT_PERCENT',
  'STOP_SHARE',
  'EXTEND_COKING_HOURS',
  'FEED_CAP',
  'CONCENTRATION_CAP',
  'TRUCK_BAN_CN4',
  'STOP_ROAD_TRANSPORT',
  'VOLUNTARY',
  'OTHER',
] as const;
export type MeasureAction = (typeof MEASURE_ACTIONS)[number];

export const ACTION_NAMES: Record<MeasureAction, string> = {
  STOP: '停产',
  LIMIT_PERCENT: '限产',
  STOP_SHARE: '按比例停产(生产线/炉窑/炭化室)',
  EXTEND_COKING_HOURS: '延长结焦时间',
  FEED_CAP: '限制投料量',
  CONCENTRATION_CAP: '排放浓度限值',
  TRUCK_BAN_CN4: '禁用国四及以下重型货车运输',
  STOP_ROAD_TRANSPORT: '停止公路运输',
  VOLUNTARY: '自主减排',
  OTHER: '其他措施',
};

export const VERIFICATION_METHODS = [
  'POWER_SUBMETER',
  'CEMS',
  'GATE_CAMERA',
  'DCS',
  'NOTICE_BOARD',
  'OTHER',
] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const VERIFICATION_NAMES: Record<VerificationMethod, string> = {
  POWER_SUBMETER: '分表计电',
  CEMS: '在线监测(CEMS)',
  GATE_CAMERA: '门禁视频',
  DCS: 'DCS系统',
  NOTICE_BOARD: '公示牌',
  OTHER: '其他',
};

/** Named differentiated controls of the 2023 action plan (seed items 2, 4, 5). */
export const CONTROL_TAGS = ['DIFFERENTIATED_CONTROL', 'NO_DRY_QUENCHING', 'BUILT_UP_AREA'] as const;
export type ControlTag = (typeof CONTROL_TAGS)[number];

export type Emissions = Record<Pollutant, number>;

export interface Contact {
  name: string;
  role?: string;
  email?: string;
  phone?: string;
}

export interface ProductionLine {
  code: string;
  name: string;
  capacity?: number;
  unit?: string;
}

/** Action parameters, e.g. {percent: 20} for LIMIT_PERCENT, {share: 50, unit: '炭化室'} for STOP_SHARE. */
export type MeasureParams = Record<string, string | number>;

export interface MeasureInput {
  level: WarningLevel;
  line?: string | null;
  action: MeasureAction;
  params?: MeasureParams;
  description: string;
  /** Elapsed hours of the response from which the measure applies (inclusive); null = from the start. */
  fromHour?: number | null;
  /** Elapsed hours until which it applies (exclusive); null = until the end. */
  toHour?: number | null;
  reduction: Emissions;
  verification: VerificationMethod;
}

export interface EnterpriseInput {
  creditCode: string;
  name: string;
  industry: string;
  countyCode: string;
  address?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  grade: Grade;
  protected: boolean;
  protectedReason?: string | null;
  /** Approved maximum load, percent of capacity, for protected enterprises. */
  protectedMaxLoad?: number | null;
  controlTags: string[];
  contacts: Contact[];
  lines: ProductionLine[];
  baseline: Emissions;
}
