import { ALL_COUNTIES, type CountyScope, countyScopeOf } from '../auth/county-scope';
import type { FieldError } from '../common/errors/domain-error';
import { GRADE_NAMES, type Grade } from '../enterprises/enterprise.types';

/** Inspection records (现场检查记录), their photos and rectification (整改), and the grade review they may open. */
export const INSPECTION_RESULTS = ['COMPLIANT', 'VIOLATION'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export const INSPECTION_RESULT_NAMES: Record<InspectionResult, string> = {
  COMPLIANT: '措施落实',
  VIOLATION: '存在违规',
};

export const FINDINGS_MAX = 4000;
export const INSPECTORS_MAX = 10;
export const INSPECTOR_NAME_MAX = 50;
export const CLOSE_NOTE_MAX = 2000;
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTOS_PER_REQUEST = 10;
export const PHOTOS_PER_INSPECTION = 30;

/** Roles that inspect in every county (the city's duty office and the command). */
const CITY_WIDE_ROLES: readonly string[] = ['DUTY_OFFICER', 'COMMANDER'];

export interface Inspector {
  roles: readonly string[];
  countyCodes?: readonly string[];
  /** Which orders and inspections they may find at all (another county's is not found: 404 before any refusal). */
  scope?: CountyScope;
}

/**
 * The inspector a signed-in user acts as: a county officer with their counties (and finding only their counties'
 * orders), every other role city-wide.
 */
export function inspectorOf(user: { roles: readonly string[]; countyCodes?: readonly string[] }): Inspector {
  return {
    roles: user.roles,
    ...(user.roles.includes('COUNTY_OFFICER') ? { countyCodes: user.countyCodes ?? [] } : {}),
    scope: countyScopeOf(user),
  };
}

/** The orders an inspector may find: their scope, else their counties when they have some, else every county. */
export function inspectorScope(who: Inspector): CountyScope {
  return who.scope ?? (who.countyCodes ? { counties: [...who.countyCodes] } : ALL_COUNTIES);
}

/**
 * Why this person may not record an inspection of this order (or add its photos, or close its rectification), or
 * null when they may: the city-wide roles for every county; a county-scoped person (countyCodes given, e.g. a
 * county officer) only for the orders of their own counties.
 */
export function inspectionRefusal(who: Inspector, order: { countyCode: string }): string | null {
  if (who.roles.some((r) => CITY_WIDE_ROLES.includes(r))) return null;
  if (who.countyCodes?.includes(order.countyCode)) return null;
  return who.countyCodes ? '只能检查本辖区的企业' : '当前角色无权记录现场检查';
}

/** When the inspection happened: not in the future, not before the order was written. */
export function inspectedAtProblems(inspectedAt: Date, now: Date, orderWrittenAt: Date): FieldError[] {
  if (inspectedAt.getTime() > now.getTime())
    return [{ field: 'inspectedAt', message: '检查时间不能晚于当前时间' }];
  if (inspectedAt.getTime() < orderWrittenAt.getTime())
    return [{ field: 'inspectedAt', message: '检查时间不能早于指令下达时间' }];
  return [];
}

/** The inspectors' names, trimmed, blanks and repeats dropped, in the order given. */
export function normaliseInspectors(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
}

/**
 * A rectification (整改) asked for: only with a violation, with a deadline after the inspection. A compliant
 * inspection asks for none.
 */
export function rectificationProblems(
  result: InspectionResult,
  rectification: { required: boolean; deadline?: string | null } | undefined,
  inspectedAt: Date,
): FieldError[] {
  if (!rectification?.required) return [];
  if (result !== 'VIOLATION')
    return [{ field: 'rectification.required', message: '检查结果为措施落实时无需整改' }];
  if (!rectification.deadline)
    return [{ field: 'rectification.deadline', message: '要求整改时须填写整改期限' }];
  if (new Date(rectification.deadline).getTime() <= inspectedAt.getTime())
    return [{ field: 'rectification.deadline', message: '整改期限须晚于检查时间' }];
  return [];
}

/** Closing a rectification: one that was asked for and is still open, closed not before the inspection nor later than now. */
export function closeProblems(
  inspection: { rectificationRequired: boolean; rectificationClosedAt: Date | null; inspectedAt: Date },
  closedAt: Date,
  now: Date,
): { code: 'CONFLICT' | 'VALIDATION_FAILED'; message: string; fields?: FieldError[] } | null {
  if (!inspection.rectificationRequired) return { code: 'CONFLICT', message: '该检查未要求整改' };
  if (inspection.rectificationClosedAt) return { code: 'CONFLICT', message: '该整改已销号' };
  if (closedAt.getTime() > now.getTime())
    return {
      code: 'VALIDATION_FAILED',
      message: '提交的数据有误',
      fields: [{ field: 'closedAt', message: '销号时间不能晚于当前时间' }],
    };
  if (closedAt.getTime() < inspection.inspectedAt.getTime())
    return {
      code: 'VALIDATION_FAILED',
      message: '提交的数据有误',
      fields: [{ field: 'closedAt', message: '销号时间不能早于检查时间' }],
    };
  return null;
}

export type PhotoType =
  | { mediaType: 'image/jpeg'; ext: 'jpg' }
  | { mediaType: 'image/png'; ext: 'png' }
  | {
      mediaType: 'image/webp';
      ext: 'webp';
    };

/** The image type by its first bytes (not by its name or the type the browser claims), or null when none we take. */
export function photoType(head: Uint8Array): PhotoType | null {
  const at = (i: number, bytes: number[]) => bytes.every((b, j) => head[i + j] === b);
  if (head.length >= 3 && at(0, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', ext: 'jpg' };
  if (head.length >= 8 && at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mediaType: 'image/png', ext: 'png' };
  // RIFF <size> WEBP
  if (head.length >= 12 && at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50]))
    return { mediaType: 'image/webp', ext: 'webp' };
  return null;
}

/** Each photo's problem, by its place in the upload ("photos[1]"): not an image we take, empty, or too large. */
export function photoProblems(
  files: ReadonlyArray<{ size: number; head: Uint8Array }>,
  already: number,
): FieldError[] {
  const problems: FieldError[] = [];
  if (files.length === 0)
    problems.push({ field: 'photos', message: '请选择要上传的照片(表单字段名 photos)' });
  if (already + files.length > PHOTOS_PER_INSPECTION)
    problems.push({ field: 'photos', message: `每次检查最多${PHOTOS_PER_INSPECTION}张照片` });
  files.forEach((f, i) => {
    const field = `photos[${i}]`;
    if (f.size === 0) problems.push({ field, message: '照片为空文件' });
    else if (f.size > PHOTO_MAX_BYTES) problems.push({ field, message: '照片不能超过10MB' });
    else if (!photoType(f.head)) problems.push({ field, message: '照片须为 JPG、PNG 或 WebP 格式' });
  });
  return problems;
}

/** 绩效分级 grades from best to worst; the others (引领性, 非引领性, 未分级) stand outside the ladder. */
export const GRADE_LADDER: readonly Grade[] = ['A_PLUS', 'A', 'B', 'B_MINUS', 'C', 'D'];

export const REVIEW_DECISIONS = ['DOWNGRADE', 'KEEP'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_DECISION_NAMES: Record<ReviewDecision, string> = { DOWNGRADE: '降级', KEEP: '维持' };

export type ReviewState = 'PENDING' | 'DOWNGRADED' | 'KEPT';
export const REVIEW_STATE_NAMES: Record<ReviewState, string> = {
  PENDING: '待复核',
  DOWNGRADED: '已降级',
  KEPT: '维持原级',
};

/** The grades an enterprise of this grade may be downgraded to: lower on the ladder; off it, B-级 and below. */
export function downgradeTargets(current: Grade): Grade[] {
  const i = GRADE_LADDER.indexOf(current);
  return i >= 0 ? GRADE_LADDER.slice(i + 1) : GRADE_LADDER.slice(GRADE_LADDER.indexOf('B_MINUS'));
}

/** A decision on a grade review: still pending; a downgrade names a grade lower than the present one. */
export function decisionProblems(
  review: { state: ReviewState },
  current: Grade,
  decision: ReviewDecision,
  newGrade: Grade | undefined,
): { code: 'CONFLICT' | 'VALIDATION_FAILED'; message: string; fields?: FieldError[] } | null {
  if (review.state !== 'PENDING') return { code: 'CONFLICT', message: '该复核已有决定' };
  if (decision === 'KEEP') {
    return newGrade
      ? {
          code: 'VALIDATION_FAILED',
          message: '提交的数据有误',
          fields: [{ field: 'newGrade', message: '维持原级时无需填写新等级' }],
        }
      : null;
  }
  const targets = downgradeTargets(current);
  if (!newGrade || !targets.includes(newGrade))
    return {
      code: 'VALIDATION_FAILED',
      message: '提交的数据有误',
      fields: [
        {
          field: 'newGrade',
          message: `降级须选择低于现等级(${GRADE_NAMES[current]})的等级:${targets.map((g) => GRADE_NAMES[g]).join('、')}`,
        },
      ],
    };
  return null;
}

/** Verified compliance beside the self-reported one, for the assessment. */
export interface VerifiedCompliance {
  /** Orders whose enterprise reported its measures in place (EXECUTED). */
  selfReported: number;
  /** Orders inspected at least once, and by their latest inspection's result. */
  inspected: number;
  compliant: number;
  violation: number;
  /** Inspected orders whose enterprise had reported its measures in place, yet the inspection found a violation. */
  reportedButViolating: number;
  /** Enterprises with a meter (分表计电 or CEMS), and those whose meters showed an hour over the order (not explained away). */
  metered: number;
  meterExceeded: number;
  /** Enterprises with hours in force their meters sent nothing for (数据缺失). */
  meterMissing: number;
  /** Enterprises whose meters showed an hour over the order after they had reported their measures in place. */
  reportedButMeterExceeded: number;
}

/** What the meters said of one enterprise during the warning (src/reconciliation); absent: it has no meter. */
export interface MeterVerdict {
  metered: boolean;
  exceeded: boolean;
  missing: boolean;
  /** An exceeded hour after its own report of measures in place. */
  exceededAfterReport: boolean;
}

/**
 * Counts from one row per enterprise: self-reported or not, its latest inspection's result (if inspected), and what
 * its meters showed; or one row per `n` enterprises alike in all of these (the assessment groups them in SQL).
 */
export function verifiedCompliance(
  rows: ReadonlyArray<{
    executed: boolean;
    latestResult: InspectionResult | null;
    meter?: MeterVerdict;
    /** Enterprises the row stands for (1 when absent). */
    n?: number;
  }>,
): VerifiedCompliance {
  const v: VerifiedCompliance = {
    selfReported: 0,
    inspected: 0,
    compliant: 0,
    violation: 0,
    reportedButViolating: 0,
    metered: 0,
    meterExceeded: 0,
    meterMissing: 0,
    reportedButMeterExceeded: 0,
  };
  for (const r of rows) {
    const n = r.n ?? 1;
    if (r.executed) v.selfReported += n;
    if (r.meter?.metered) {
      v.metered += n;
      if (r.meter.exceeded) v.meterExceeded += n;
      if (r.meter.missing) v.meterMissing += n;
      if (r.meter.exceededAfterReport) v.reportedButMeterExceeded += n;
    }
    if (!r.latestResult) continue;
    v.inspected += n;
    if (r.latestResult === 'COMPLIANT') v.compliant += n;
    else {
      v.violation += n;
      if (r.executed) v.reportedButViolating += n;
    }
  }
  return v;
}

/** A violation found while the warning was in force (from its start to its lift, if lifted) opens a grade review. */
export function opensGradeReview(
  result: InspectionResult,
  inspectedAt: Date,
  warning: { from: Date; to: Date | null },
): boolean {
  if (result !== 'VIOLATION') return false;
  const t = inspectedAt.getTime();
  return t >= warning.from.getTime() && (warning.to === null || t <= warning.to.getTime());
}
