import { timestampProblem } from '../common/timestamp.rules';
import type { MeteringPointKind } from './metering-point.rules';

/** What a reading measures: a line's power in kW, or an outlet's concentration in mg/m³. */
export const METRICS = ['POWER_KW', 'SO2', 'NOX', 'PM', 'VOCS'] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_NAMES: Record<Metric, string> = {
  POWER_KW: '有功功率(kW)',
  SO2: '二氧化硫(mg/m³)',
  NOX: '氮氧化物(mg/m³)',
  PM: '颗粒物(mg/m³)',
  VOCS: '挥发性有机物(mg/m³)',
};

/** The metrics each kind of point carries: power on lines, concentrations on outlets. */
export const METRICS_OF_KIND: Record<MeteringPointKind, readonly Metric[]> = {
  LINE_POWER: ['POWER_KW'],
  OUTLET_CEMS: ['SO2', 'NOX', 'PM', 'VOCS'],
};

/** Most readings one request (or one import chunk) may carry. */
export const MAX_READINGS_PER_REQUEST = 10_000;

/** A reading from the future beyond this is a clock or unit error, not a measurement. */
export const MAX_AHEAD_MS = 60 * 60 * 1000;
/** Older than this is refused: it would only create partitions for a typo (2062, 1926). */
export const MAX_AGE_MS = 400 * 24 * 60 * 60 * 1000;

/** The largest value numeric columns and the reconciliation take (a kW of 10¹² is a unit error). */
const MAX_VALUE = 1e12;

/** `<统一社会信用代码>/<计量点编码>`, the way both the push API and the file name a point. */
export interface PointRef {
  creditCode: string;
  code: string;
}

export interface ParsedReading {
  ref: PointRef;
  /** `creditCode/code`, the key the point lookup uses. */
  key: string;
  metric: Metric;
  at: Date;
  value: number;
}

export type ReadingCheck =
  { ok: true; reading: ParsedReading } | { ok: false; field: ReadingField; reason: string };
export type ReadingField = 'point' | 'metric' | 'at' | 'value' | 'reading';

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const POINT_CODE = /^[A-Za-z0-9_-]{1,40}$/;

export function pointKey(ref: PointRef): string {
  return `${ref.creditCode}/${ref.code}`;
}

/** Why this point reference cannot name a point, or the reference. */
export function parsePointRef(raw: unknown): PointRef | string {
  if (typeof raw !== 'string') return '计量点应写成“统一社会信用代码/计量点编码”';
  const slash = raw.indexOf('/');
  if (slash < 0) return '计量点应写成“统一社会信用代码/计量点编码”';
  return pointRefOf(raw.slice(0, slash), raw.slice(slash + 1));
}

/** Why these two parts cannot name a point (credit code upper-cased, both trimmed), or the reference. */
export function pointRefOf(creditCode: string, code: string): PointRef | string {
  const c = creditCode.trim().toUpperCase();
  const p = code.trim();
  if (!CREDIT_CODE.test(c)) return '统一社会信用代码应为18位';
  if (!POINT_CODE.test(p)) return '计量点编码应为1至40位字母、数字、下划线或连字符';
  return { creditCode: c, code: p };
}

export const METRIC_PROBLEM = `指标应为 ${METRICS.join('、')} 之一`;

/** The metric (codes as the API has them; the file also takes the Chinese names), or null. */
export function parseMetric(raw: unknown): Metric | null {
  if (typeof raw === 'string') {
    const text = raw.trim().toUpperCase();
    const byCode = METRICS.find((m) => m === text);
    if (byCode) return byCode;
    const byName = METRICS.find(
      (m) => METRIC_NAMES[m] === raw.trim() || METRIC_NAMES[m].split('(')[0] === raw.trim(),
    );
    if (byName) return byName;
  }
  return null;
}

/** Why this is not a measured value (a finite number, not negative, not absurd), or the value. */
export function parseValue(raw: unknown): number | string {
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (typeof raw !== 'number' && typeof raw !== 'string') return '数值应为数字';
  if (!Number.isFinite(n)) return '数值应为有限的数字';
  if (n < 0) return '数值不能为负';
  if (n > MAX_VALUE) return '数值过大';
  return n;
}

/** Why this is not a measurement time the service takes (a zone is required; not ahead, not ancient), or it. */
export function parseMeasuredAt(raw: unknown, now: Date): Date | string {
  const problem = timestampProblem(raw);
  if (problem) return `时间${problem}`;
  const at = new Date(raw as string);
  if (at.getTime() - now.getTime() > MAX_AHEAD_MS) return '时间晚于当前时间';
  if (now.getTime() - at.getTime() > MAX_AGE_MS) return '时间早于400天前';
  return at;
}

/** One reading of the push API (`{point, metric, at, value}`) checked on its own, before its point is looked up. */
export function checkReading(raw: unknown, now: Date): ReadingCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, field: 'reading', reason: '读数应为对象 {point, metric, at, value}' };
  const r = raw as Record<string, unknown>;
  return checkParts(parsePointRef(r.point), r.metric, r.at, r.value, now);
}

/** The same checks on the parts, with the point already split (the file has it in two columns). */
export function checkParts(
  ref: PointRef | string,
  metricRaw: unknown,
  atRaw: unknown,
  valueRaw: unknown,
  now: Date,
): ReadingCheck {
  if (typeof ref === 'string') return { ok: false, field: 'point', reason: ref };
  const metric = parseMetric(metricRaw);
  if (!metric) return { ok: false, field: 'metric', reason: METRIC_PROBLEM };
  const at = parseMeasuredAt(atRaw, now);
  if (typeof at === 'string') return { ok: false, field: 'at', reason: at };
  const value = parseValue(valueRaw);
  if (typeof value === 'string') return { ok: false, field: 'value', reason: value };
  return { ok: true, reading: { ref, key: pointKey(ref), metric, at, value } };
}

/** What a source may write to: its county's points, or its enterprise's. */
export type SourceScope =
  { countyCode: string; enterpriseId?: undefined } | { enterpriseId: string; countyCode?: undefined };

/** The looked-up point a reading names. */
export interface ResolvedPoint {
  id: string;
  enterpriseId: string;
  countyCode: string;
  kind: MeteringPointKind;
}

/** Why this source may not write this reading to this point (scope, metric of the kind), or null. */
export function pointRefusal(
  scope: SourceScope,
  point: ResolvedPoint | undefined,
  metric: Metric,
): string | null {
  if (!point) return '计量点不存在';
  if (
    scope.countyCode !== undefined
      ? point.countyCode !== scope.countyCode
      : point.enterpriseId !== scope.enterpriseId
  )
    return '计量点不在本数据源的范围内';
  if (!METRICS_OF_KIND[point.kind].includes(metric))
    return point.kind === 'LINE_POWER'
      ? '生产线计量点只接收 POWER_KW'
      : '排口计量点只接收 SO2、NOX、PM、VOCS';
  return null;
}
