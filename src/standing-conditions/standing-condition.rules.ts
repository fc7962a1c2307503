import { seriesKey } from '../reconciliation/hourly-averages';
import type { FieldError } from '../common/errors/domain-error';
import { shanghaiDayStart } from '../common/time';
import {
  DEFAULT_TOLERANCES,
  type Finding,
  type FindingKind,
  findingsOf,
  type HourlyValue,
  type MeteredPoint,
  type Metric,
  type ReconciliationTolerances,
} from '../reconciliation/reconciliation.rules';

/**
 * Standing conditions (常态管控条件, issue 18, seed item 5): concentration limits an enterprise's outlets must meet at
 * all times from a date (the deep-treatment caps of 山西中阳钢铁 and 山西福裕焦化 from 2023-01-01), checked on the CEMS
 * readings like an order's CONCENTRATION_CAP, hour by hour, by `findingsOf` of src/reconciliation. Pure.
 */

export const LIMIT_KEYS = ['so2', 'nox', 'pm', 'vocs'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

export const LIMIT_NAMES: Record<LimitKey, string> = {
  so2: '二氧化硫',
  nox: '氮氧化物',
  pm: '颗粒物',
  vocs: '挥发性有机物',
};

const LIMIT_METRICS: Record<LimitKey, Metric> = { so2: 'SO2', nox: 'NOX', pm: 'PM', vocs: 'VOCS' };

export type Limits = Partial<Record<LimitKey, number | null>>;

export const MAX_CONDITIONS_PER_ENTERPRISE = 50;
export const NAME_MAX = 100;
export const BASIS_MAX = 500;
/** Far above any emission limit in mg/m³; a larger number is a typing slip. */
export const LIMIT_MAX = 100_000;

/**
 * The tolerances of a check: the reconciliation's defaults (`capTolerance`, `lateDataMinutes`), but no grace hours:
 * a standing condition holds at all times, there is no start to come down from.
 */
export const STANDING_TOLERANCES: ReconciliationTolerances = { ...DEFAULT_TOLERANCES, graceHours: 0 };

/** How many hours back each check looks (late readings still count). */
export const CHECK_WINDOW_HOURS = 48;

export const STANDING_FINDING_NAMES: Record<FindingKind, string> = {
  EXCEEDED: '超出常态限值',
  MISSING_DATA: '数据缺失',
};

export interface StandingConditionInput {
  name: string;
  basis: string;
  /** Outlet codes it applies to; empty (or absent): every OUTLET_CEMS point of the enterprise. */
  outlets?: string[] | null;
  limits: Limits;
  /** Beijing calendar dates, YYYY-MM-DD; `validTo` inclusive, null while open. */
  validFrom: string;
  validTo?: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string =>
  typeof v === 'string' && DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * What is wrong with an enterprise's standing conditions as a whole, each problem naming its field
 * (`conditions[1].limits.so2`) and saying it in Chinese with the field's label: a name (unique) and a basis, the
 * outlets among the enterprise's OUTLET_CEMS codes (each once), at least one limit, each above 0, a valid-from date
 * and a valid-to date not before it.
 */
export function standingConditionProblems(
  conditions: readonly StandingConditionInput[],
  outletCodes: readonly string[],
): FieldError[] {
  const problems: FieldError[] = [];
  if (conditions.length > MAX_CONDITIONS_PER_ENTERPRISE)
    problems.push({ field: 'conditions', message: `常态管控条件最多${MAX_CONDITIONS_PER_ENTERPRISE}条` });
  const names = new Set<string>();
  conditions.forEach((c, i) => {
    const at = (f: string) => `conditions[${i}].${f}`;
    const which = `第${i + 1}条常态管控条件`;
    const name = text(c.name);
    if (!name) problems.push({ field: at('name'), message: `${which}的名称不能为空` });
    else if (name.length > NAME_MAX)
      problems.push({ field: at('name'), message: `${which}的名称最多${NAME_MAX}字` });
    else if (names.has(name))
      problems.push({ field: at('name'), message: `${which}的名称“${name}”与前面的条件重复` });
    names.add(name);
    const basis = text(c.basis);
    if (!basis) problems.push({ field: at('basis'), message: `${which}的依据不能为空(如文件名称及条款)` });
    else if (basis.length > BASIS_MAX)
      problems.push({ field: at('basis'), message: `${which}的依据最多${BASIS_MAX}字` });
    const seen = new Set<string>();
    (c.outlets ?? []).forEach((code, k) => {
      const field = at(`outlets[${k}]`);
      if (!outletCodes.includes(code))
        problems.push({ field, message: `${which}的适用排口“${code}”不是企业的排口在线监测计量点` });
      else if (seen.has(code)) problems.push({ field, message: `${which}的适用排口“${code}”重复` });
      seen.add(code);
    });
    const given = LIMIT_KEYS.filter((k) => c.limits?.[k] != null);
    if (given.length === 0)
      problems.push({ field: at('limits'), message: `${which}的限值至少填写一项污染物(mg/m³)` });
    for (const k of given) {
      const v = c.limits[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > LIMIT_MAX)
        problems.push({
          field: at(`limits.${k}`),
          message: `${which}的${LIMIT_NAMES[k]}限值应为大于0且不超过${LIMIT_MAX}的数(mg/m³)`,
        });
    }
    if (!isDate(c.validFrom))
      problems.push({ field: at('validFrom'), message: `${which}的生效日期应为有效日期(YYYY-MM-DD)` });
    if (c.validTo != null) {
      if (!isDate(c.validTo))
        problems.push({ field: at('validTo'), message: `${which}的失效日期应为有效日期(YYYY-MM-DD)` });
      else if (isDate(c.validFrom) && c.validTo < c.validFrom)
        problems.push({ field: at('validTo'), message: `${which}的失效日期不能早于生效日期` });
    }
  });
  return problems;
}

/** A condition as the check reads it. */
export interface ConditionInForce {
  id: string;
  outletCodes: readonly string[];
  limits: Limits;
  validFrom: string;
  validTo: string | null;
}

/** One outlet's one pollutant to check over whole hours [from, to): at most `allowed` on the hourly average. */
export interface StandingCheck {
  conditionId: string;
  pointId: string;
  metric: Metric;
  /** The condition's limit (mg/m³). */
  limit: number;
  allowed: number;
  from: Date;
  to: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR) * HOUR;
const floorHour = (ms: number) => Math.floor(ms / HOUR) * HOUR;

/**
 * The whole hours of [span.from, span.to) in which the condition is valid: from 00:00 Beijing time of `validFrom`
 * to the end of `validTo`'s day (open while null); null when none.
 */
export function conditionWindow(
  c: Pick<ConditionInForce, 'validFrom' | 'validTo'>,
  span: { from: Date; to: Date },
): { from: Date; to: Date } | null {
  const start = Math.max(shanghaiDayStart(c.validFrom).getTime(), span.from.getTime());
  const end = Math.min(c.validTo ? shanghaiDayStart(c.validTo).getTime() + DAY : Infinity, span.to.getTime());
  const from = ceilHour(start);
  const to = floorHour(end);
  return from < to ? { from: new Date(from), to: new Date(to) } : null;
}

/** The key of a check's series of findings (and of a finding carried over from an earlier check). */
export const checkKey = (c: Pick<StandingCheck, 'conditionId' | 'pointId' | 'metric'>): string =>
  `${c.conditionId}|${c.pointId}|${c.metric}`;

/**
 * The checks a condition makes on the enterprise's points over the span: every OUTLET_CEMS point it applies to (those
 * it names, or all when it names none), for each pollutant it limits that the outlet measures (an outlet measures the
 * pollutants it has limits for), within the condition's valid hours. A finding still open at the span's start
 * (`carry`, by checkKey: its start) moves that check's start back to it, so a run is recomputed whole and keeps its
 * start (and its id) instead of being cut in two. `unmetered` is true when no point can check the condition.
 */
export function conditionChecks(
  c: ConditionInForce,
  points: readonly MeteredPoint[],
  span: { from: Date; to: Date },
  tol: Pick<ReconciliationTolerances, 'capTolerance'> = STANDING_TOLERANCES,
  carry: ReadonlyMap<string, Date> = new Map(),
): { checks: StandingCheck[]; unmetered: boolean } {
  const outlets = points.filter(
    (p) => p.kind === 'OUTLET_CEMS' && (c.outletCodes.length === 0 || c.outletCodes.includes(p.code)),
  );
  const limited = LIMIT_KEYS.filter((k) => c.limits[k] != null);
  const pairs = outlets.flatMap((p) => limited.filter((k) => p.limits[k] != null).map((k) => ({ p, k })));
  const checks: StandingCheck[] = [];
  for (const { p, k } of pairs) {
    const metric = LIMIT_METRICS[k];
    const carried = carry.get(checkKey({ conditionId: c.id, pointId: p.id, metric }));
    const from = carried && carried.getTime() < span.from.getTime() ? { from: carried, to: span.to } : span;
    const window = conditionWindow(c, from);
    if (!window) continue;
    const limit = Number(c.limits[k]);
    checks.push({
      conditionId: c.id,
      pointId: p.id,
      metric,
      limit,
      allowed: limit * (1 + tol.capTolerance),
      ...window,
    });
  }
  return { checks, unmetered: pairs.length === 0 };
}

/** The span a check at `now` covers: the last CHECK_WINDOW_HOURS whole hours up to now. */
export function checkSpan(now: Date): { from: Date; to: Date } {
  const to = floorHour(now.getTime());
  return { from: new Date(ceilHour(now.getTime() - CHECK_WINDOW_HOURS * HOUR)), to: new Date(to) };
}

export interface StandingCounts {
  checks: number;
  hoursChecked: number;
  hoursPassed: number;
  exceeded: number;
  missing: number;
}

/**
 * The findings of the checks on their hourly averages (`point|metric` → hour start in ms → average), by the
 * reconciliation's `findingsOf`: an hour above the allowance is exceeded, an hour without readings is missing data
 * once `lateDataMinutes` have passed after it; consecutive hours of one kind make one finding.
 */
export function evaluateChecks(
  checks: readonly StandingCheck[],
  hourly: ReadonlyMap<string, ReadonlyMap<number, HourlyValue>>,
  now: Date,
  tol: Pick<ReconciliationTolerances, 'lateDataMinutes'> = STANDING_TOLERANCES,
): { found: Array<{ check: StandingCheck; finding: Finding }>; counts: StandingCounts } {
  const counts: StandingCounts = {
    checks: checks.length,
    hoursChecked: 0,
    hoursPassed: 0,
    exceeded: 0,
    missing: 0,
  };
  const found: Array<{ check: StandingCheck; finding: Finding }> = [];
  const none = new Map<number, HourlyValue>();
  for (const check of checks) {
    const r = findingsOf(check, hourly.get(seriesKey(check.pointId, check.metric)) ?? none, now, tol);
    counts.hoursChecked += r.hoursChecked;
    counts.hoursPassed += r.hoursPassed;
    for (const finding of r.findings) {
      if (finding.kind === 'EXCEEDED') counts.exceeded++;
      else counts.missing++;
      found.push({ check, finding });
    }
  }
  return { found, counts };
}

/** Whether the condition is valid on this Beijing date (YYYY-MM-DD). */
export function validOn(c: Pick<ConditionInForce, 'validFrom' | 'validTo'>, date: string): boolean {
  return c.validFrom <= date && (c.validTo === null || date <= c.validTo);
}
