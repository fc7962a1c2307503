import type { MeasureAction } from '../enterprises/enterprise.types';
import type { OrderMeasure } from '../orders/order.rules';
import type { ReconciliationTolerances, RulesetDefinition } from '../rulesets/ruleset.types';

export type { ReconciliationTolerances } from '../rulesets/ruleset.types';

/**
 * Reconciliation (核查, issue 17): what the meters saw, hour by hour, against what each order in force asked.
 * Pure: the service loads orders, points and hourly averages, and writes what these functions find.
 */

export const DEFAULT_TOLERANCES: ReconciliationTolerances = {
  stopMaxShare: 0.1,
  limitTolerance: 0.1,
  capTolerance: 0,
  graceHours: 1,
  lateDataMinutes: 60,
};

/** Ranges a ruleset's tolerances must lie in (checked when a ruleset version sets them). */
export const TOLERANCE_RANGES: Record<keyof ReconciliationTolerances, [number, number, string]> = {
  stopMaxShare: [0, 0.5, '停产时允许的用电比例'],
  limitTolerance: [0, 0.5, '限产时允许超出的用电比例'],
  capTolerance: [0, 0.5, '浓度限值允许超出的比例'],
  graceHours: [0, 24, '措施开始后的过渡小时数'],
  lateDataMinutes: [0, 1440, '数据迟到的宽限分钟数'],
};

/** The ruleset's tolerances, each missing one at its default (rulesets older than reconciliation set none). */
export function tolerancesOf(
  definition: Pick<RulesetDefinition, 'reconciliation'>,
): ReconciliationTolerances {
  return { ...DEFAULT_TOLERANCES, ...(definition.reconciliation ?? {}) };
}

export const METRICS = ['POWER_KW', 'SO2', 'NOX', 'PM', 'VOCS'] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_NAMES: Record<Metric, string> = {
  POWER_KW: '用电功率(kW)',
  SO2: '二氧化硫(mg/m³)',
  NOX: '氮氧化物(mg/m³)',
  PM: '颗粒物(mg/m³)',
  VOCS: '挥发性有机物(mg/m³)',
};

/** Concentration caps by the CONCENTRATION_CAP parameter key. */
const CAP_METRICS: Array<[key: 'so2' | 'nox' | 'pm' | 'vocs', metric: Metric]> = [
  ['so2', 'SO2'],
  ['nox', 'NOX'],
  ['pm', 'PM'],
  ['vocs', 'VOCS'],
];

/** Actions a power meter can check: a line stopped, or limited by a share. */
const POWER_ACTIONS: readonly MeasureAction[] = ['STOP', 'LIMIT_PERCENT', 'STOP_SHARE'];

export interface MeteredPoint {
  id: string;
  kind: 'LINE_POWER' | 'OUTLET_CEMS';
  code: string;
  normalPowerKw: number | null;
  limits: Partial<Record<'so2' | 'nox' | 'pm' | 'vocs', number | null>>;
}

export interface OrderInForce {
  effectiveAt: Date;
  /** When the order stopped being in force (superseded, lifted, expired); null while it still is. */
  endAt: Date | null;
  measures: OrderMeasure[];
  /** The enterprise's lines: a measure may name its line by code or by name (as plans do). */
  lines?: ReadonlyArray<{ code: string; name: string }>;
}

/** One point's one metric to check over whole hours [from, to): at most `allowed` on the hourly average. */
export interface PointCheck {
  measureIndex: number;
  action: MeasureAction;
  pointId: string;
  metric: Metric;
  allowed: number;
  /** Normal power (kW) or the cap (mg/m³) the allowance comes from, for people reading the finding. */
  reference: number;
  from: Date;
  to: Date;
}

const HOUR = 3_600_000;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR) * HOUR;
const floorHour = (ms: number) => Math.floor(ms / HOUR) * HOUR;

/** The most a line may draw under a power measure, or null when the measure does not bound power. */
export function allowedPower(
  action: MeasureAction,
  params: Record<string, string | number>,
  normalKw: number,
  tol: ReconciliationTolerances,
): number | null {
  if (action === 'STOP') return normalKw * tol.stopMaxShare;
  const share = Number(
    action === 'LIMIT_PERCENT' ? params.percent : action === 'STOP_SHARE' ? params.share : NaN,
  );
  if (!Number.isFinite(share) || share <= 0) return null;
  const cut = Math.min(share, 100) / 100;
  return normalKw * Math.min(1, 1 - cut + tol.limitTolerance);
}

/**
 * The checks an order calls for against the enterprise's points, over whole hours: from the measure's start (or
 * the order's) plus the grace hours, to its end (or the order's, or `until`). A power measure on a line (named by code
 * or name) checks that line's power point (all of them when the measure names no line); a concentration cap checks
 * each capped pollutant on every outlet that measures it. `unmetered` counts the checkable measures no point can check (no meter: nothing is known).
 */
export function checksFor(
  order: OrderInForce,
  points: MeteredPoint[],
  tol: ReconciliationTolerances,
  until: Date,
): { checks: PointCheck[]; unmetered: number } {
  const checks: PointCheck[] = [];
  let unmetered = 0;
  order.measures.forEach((m, measureIndex) => {
    const start = Math.max(order.effectiveAt.getTime(), m.fromAt ? Date.parse(m.fromAt) : -Infinity);
    const end = Math.min(
      order.endAt?.getTime() ?? Infinity,
      m.toAt ? Date.parse(m.toAt) : Infinity,
      until.getTime(),
    );
    const from = ceilHour(start) + tol.graceHours * HOUR;
    const to = floorHour(end);
    const window = { from: new Date(from), to: new Date(to) };
    if (POWER_ACTIONS.includes(m.action)) {
      const code =
        m.line == null
          ? null
          : (order.lines?.find((l) => l.code === m.line || l.name === m.line)?.code ?? m.line);
      const lines = points.filter(
        (p) => p.kind === 'LINE_POWER' && p.normalPowerKw && (code === null || p.code === code),
      );
      // A limit without a usable share bounds nothing a meter can see.
      if (allowedPower(m.action, m.params, 1, tol) === null) return;
      if (lines.length === 0) unmetered++;
      if (from >= to) return;
      for (const p of lines)
        checks.push({
          measureIndex,
          action: m.action,
          pointId: p.id,
          metric: 'POWER_KW',
          allowed: allowedPower(m.action, m.params, p.normalPowerKw!, tol)!,
          reference: p.normalPowerKw!,
          ...window,
        });
    } else if (m.action === 'CONCENTRATION_CAP') {
      const caps = CAP_METRICS.filter(([k]) => Number.isFinite(Number(m.params[k])) && m.params[k] !== '');
      // An outlet measures the pollutants it has limits for: a cap is checked where it is measured.
      const measures = (p: MeteredPoint, k: (typeof CAP_METRICS)[number][0]) =>
        p.kind === 'OUTLET_CEMS' && p.limits[k] != null;
      if (caps.length === 0) return;
      if (!points.some((p) => caps.some(([k]) => measures(p, k)))) unmetered++;
      if (from >= to) return;
      for (const p of points)
        for (const [k, metric] of caps) {
          if (!measures(p, k)) continue;
          const cap = Number(m.params[k]);
          checks.push({
            measureIndex,
            action: m.action,
            pointId: p.id,
            metric,
            allowed: cap * (1 + tol.capTolerance),
            reference: cap,
            ...window,
          });
        }
    }
  });
  return { checks, unmetered };
}

export type FindingKind = 'EXCEEDED' | 'MISSING_DATA';

export const FINDING_NAMES: Record<FindingKind, string> = {
  EXCEEDED: '超出指令允许值',
  MISSING_DATA: '数据缺失',
};

/** An hour's average of a point's metric (from every source that sent it), and how many readings made it. */
export interface HourlyValue {
  avg: number;
  count: number;
}

/** Consecutive failing hours of one check, of one kind. */
export interface Finding {
  kind: FindingKind;
  from: Date;
  to: Date;
  hours: number;
  /** The highest and the mean hourly average over the run; null for missing data. */
  observedMax: number | null;
  observedAvg: number | null;
}

/**
 * Each whole hour of the check: passes when its average is at most the allowance, exceeds when above; an hour
 * without readings is missing data once `lateDataMinutes` have passed after it (before that it is not judged:
 * the readings may still come). Consecutive hours of one kind make one finding.
 */
export function findingsOf(
  check: Pick<PointCheck, 'from' | 'to' | 'allowed'>,
  hourly: ReadonlyMap<number, HourlyValue>,
  now: Date,
  tol: Pick<ReconciliationTolerances, 'lateDataMinutes'>,
): { findings: Finding[]; hoursChecked: number; hoursPassed: number } {
  const findings: Finding[] = [];
  let hoursChecked = 0;
  let hoursPassed = 0;
  let run: { kind: FindingKind; from: number; values: number[]; hours: number } | null = null;
  const close = (at: number) => {
    if (!run) return;
    const values = run.values;
    findings.push({
      kind: run.kind,
      from: new Date(run.from),
      to: new Date(at),
      hours: run.hours,
      observedMax: values.length ? Math.max(...values) : null,
      observedAvg: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    });
    run = null;
  };
  const judgedUntil = now.getTime() - tol.lateDataMinutes * 60_000;
  for (let h = check.from.getTime(); h < check.to.getTime(); h += HOUR) {
    const v = hourly.get(h);
    let kind: FindingKind | null;
    if (v && v.count > 0) {
      hoursChecked++;
      kind = v.avg > check.allowed ? 'EXCEEDED' : null;
      if (!kind) hoursPassed++;
    } else if (h + HOUR <= judgedUntil) {
      hoursChecked++;
      kind = 'MISSING_DATA';
    } else {
      close(h);
      continue;
    }
    if (run && run.kind !== kind) close(h);
    if (kind) {
      run ??= { kind, from: h, values: [], hours: 0 };
      run.hours++;
      if (v && v.count > 0) run.values.push(v.avg);
    } else close(h);
  }
  close(check.to.getTime());
  return { findings, hoursChecked, hoursPassed };
}

/**
 * Whether a finding contradicts the enterprise's own word: it reported its measures in place before the finding
 * ended (an hour still failing after the report).
 */
export function contradictsReport(finding: Pick<Finding, 'to'>, measuresInPlaceAt: Date | null): boolean {
  return measuresInPlaceAt !== null && measuresInPlaceAt.getTime() < finding.to.getTime();
}

/** What an officer found when looking into a discrepancy. */
export const REVIEW_OUTCOMES = ['CONFIRMED', 'EXPLAINED'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const REVIEW_OUTCOME_NAMES: Record<ReviewOutcome, string> = {
  CONFIRMED: '属实(未落实措施)',
  EXPLAINED: '已说明(非违规)',
};

export const REVIEW_NOTE_MAX = 1000;

/** An explanation must say what explains it (a meter fault, a permitted safety load…); a note is at most 1,000 characters. */
export function reviewProblems(
  outcome: ReviewOutcome,
  note: string | null,
): Array<{ field: string; message: string }> {
  if (outcome === 'EXPLAINED' && !note) return [{ field: 'note', message: '说明:认定为非违规时须写明原因' }];
  if (note && note.length > REVIEW_NOTE_MAX)
    return [{ field: 'note', message: `说明:最多${REVIEW_NOTE_MAX}字,实际${note.length}字` }];
  return [];
}
