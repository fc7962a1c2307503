import type { Role } from '../auth/roles';
import { isUuid } from '../common/ids';
import type { DiscrepancyView } from '../reconciliation/discrepancies.service';
import {
  FINDING_NAMES,
  type FindingKind,
  type Metric,
  REVIEW_OUTCOME_NAMES,
  REVIEW_OUTCOMES,
} from '../reconciliation/reconciliation.rules';
import type { ReconciliationCounts } from '../reconciliation/reconciliation.service';

/** Pure view models of the 监测核查 pages (the discrepancy queue, the warning's section): no Nest, no database. */

/** Who opens the queue (auditors read only); the menu and the routes say the same. */
export const DISCREPANCY_READERS: Role[] = ['DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER', 'AUDITOR'];
/** Who reviews a finding (a county officer within their counties: the service applies the scope). */
export const DISCREPANCY_REVIEWERS: Role[] = ['DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER'];
/** Who runs 立即核查 on the warning page (the API's roles). */
export const RECONCILERS: Role[] = ['DUTY_OFFICER', 'COMMANDER'];

export const QUEUE_PAGE_SIZE = 50;

const FINDING_KINDS = Object.keys(FINDING_NAMES) as FindingKind[];
const FLAGS = ['true', 'false'] as const;
type Flag = (typeof FLAGS)[number];

/** The queue's filters as the URL carries them; anything unknown is dropped (a page shows, never a 422). */
export interface QueueFilters {
  alert?: string;
  county?: string;
  kind?: FindingKind;
  flagged?: Flag;
  reviewed?: Flag;
  page: number;
}

const text = (v: unknown): string | undefined => {
  const s = (Array.isArray(v) ? v[0] : v) as unknown;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined => {
  const s = text(v);
  return s !== undefined && (allowed as readonly string[]).includes(s) ? (s as T) : undefined;
};

export function queueFilters(query: Record<string, unknown>): QueueFilters {
  const alert = text(query.alert);
  const county = text(query.county);
  const page = text(query.page);
  return {
    ...(alert && isUuid(alert) ? { alert } : {}),
    ...(county && /^\d{6}$/.test(county) ? { county } : {}),
    ...(oneOf(query.kind, FINDING_KINDS) ? { kind: oneOf(query.kind, FINDING_KINDS) } : {}),
    ...(oneOf(query.flagged, FLAGS) ? { flagged: oneOf(query.flagged, FLAGS) } : {}),
    ...(oneOf(query.reviewed, FLAGS) ? { reviewed: oneOf(query.reviewed, FLAGS) } : {}),
    page: page && /^\d{1,5}$/.test(page) && Number(page) >= 1 ? Number(page) : 1,
  };
}

/** The filters as a query string (empty ones and page 1 left out), for links, the pager and the review's return. */
export function queueQueryString(f: QueueFilters, page: number = f.page): string {
  const q = new URLSearchParams();
  for (const name of ['alert', 'county', 'kind', 'flagged', 'reviewed'] as const) {
    const v = f[name];
    if (v !== undefined) q.set(name, v);
  }
  if (page > 1) q.set('page', String(page));
  return q.toString();
}

/** The service's query for these filters. */
export function queueQuery(f: QueueFilters) {
  return {
    alert: f.alert,
    county: f.county,
    kind: f.kind,
    flagged: f.flagged === undefined ? undefined : f.flagged === 'true',
    reviewed: f.reviewed === undefined ? undefined : f.reviewed === 'true',
    page: f.page,
    pageSize: QUEUE_PAGE_SIZE,
  };
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const parts = (at: Date) => {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return {
    day: `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`,
    hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    midnight: d.getUTCHours() === 0 && d.getUTCMinutes() === 0,
  };
};

/**
 * A finding's hours in Beijing time: "12月1日 11:00–16:00"; an end at the next midnight is "24:00" of the same
 * day; across days both dates ("12月1日 22:00–12月2日 03:00").
 */
export function spanText(fromAt: Date | string, toAt: Date | string): string {
  const from = new Date(fromAt);
  const to = new Date(toAt);
  const a = parts(from);
  const b = parts(to);
  if (b.day === a.day) return `${a.day} ${a.hm}–${b.hm}`;
  if (b.midnight && parts(new Date(to.getTime() - 1)).day === a.day) return `${a.day} ${a.hm}–24:00`;
  return `${a.day} ${a.hm}–${b.day} ${b.hm}`;
}

export const unitOf = (metric: Metric): string => (metric === 'POWER_KW' ? 'kW' : 'mg/m³');

/** A measured or allowed value with its unit, at most one decimal: "990 kW", "30 mg/m³"; none is "—". */
export function valueText(value: number | null | undefined, metric: Metric): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const n = Math.round(value * 10) / 10;
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unitOf(metric)}`;
}

/** How long a run took, for people: "350 毫秒", "2.4 秒". */
export function durationText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} 毫秒` : `${(ms / 1000).toFixed(1)} 秒`;
}

/** One row of the queue, with what the page shows and whether this caller gets the review form. */
export function queueRow(d: DiscrepancyView, canReview: boolean) {
  return {
    ...d,
    pointLabel: d.pointName ? `${d.pointCode} ${d.pointName}` : d.pointCode,
    span: spanText(d.fromAt, d.toAt),
    allowedText: `≤ ${valueText(d.allowed, d.metric)}`,
    observed:
      d.kind === 'MISSING_DATA' && d.observedMax === null
        ? null
        : { max: valueText(d.observedMax, d.metric), avg: valueText(d.observedAvg, d.metric) },
    reviewable: canReview && d.review === null,
  };
}

/** The filter selects' options, each marked when chosen. */
export function filterOptions(f: QueueFilters) {
  return {
    kinds: FINDING_KINDS.map((code) => ({ code, name: FINDING_NAMES[code], selected: f.kind === code })),
    flagged: [
      { code: 'true', name: '与企业自报不符', selected: f.flagged === 'true' },
      { code: 'false', name: '未自报或相符', selected: f.flagged === 'false' },
    ],
    reviewed: [
      { code: 'false', name: '待核实', selected: f.reviewed === 'false' },
      { code: 'true', name: '已核实', selected: f.reviewed === 'true' },
    ],
    outcomes: REVIEW_OUTCOMES.map((code) => ({ code, name: REVIEW_OUTCOME_NAMES[code] })),
  };
}

/** The warning page's 监测核查 table: a row per county and the total, in the order the page shows them. */
export function reconciliationRows(
  run: ReconciliationCounts & { byCounty: Array<ReconciliationCounts & { countyName: string }> },
) {
  const row = (name: string, c: ReconciliationCounts) => ({
    name,
    orders: c.orders,
    checks: c.checks,
    unmetered: c.unmetered,
    hoursChecked: c.hoursChecked,
    hoursFailed: c.hoursChecked - c.hoursPassed,
    exceeded: c.exceeded,
    missing: c.missing,
    flagged: c.flagged,
  });
  return {
    counties: run.byCounty.map((c) => row(c.countyName, c)),
    total: run.byCounty.length > 1 ? row('合计', run) : null,
  };
}
