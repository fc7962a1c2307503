import type { MeasureAction, MeasureParams } from '../enterprises/enterprise.types';
import type { MeteringPointKind } from './metering-point.rules';
import type { Metric } from './reading.rules';

/**
 * Demo telemetry (issue 17, demo mode only): what a demo enterprise's meters "saw" at a quarter-hour, from its
 * points, the orders in force and a fixed compliance profile. Pure and deterministic: the same (enterprise,
 * point, metric, time) always gives the same value, so the readings, and what reconciliation makes of them,
 * stay the same across restarts and reruns.
 */

export const QUARTER_HOUR_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

/** A point as the generator needs it. `name` is the line's name for a power point (plans name lines by it). */
export interface DemoPoint {
  kind: MeteringPointKind;
  code: string;
  name: string | null;
  normalPowerKw: number | null;
  limits: { so2: number | null; nox: number | null; pm: number | null; vocs: number | null };
}

/** An order of the enterprise as it was in force: from its effective time until the next one took over (or open). */
export interface DemoOrder {
  effectiveAt: Date;
  endsAt: Date | null;
  measures: Array<{
    line: string | null;
    action: MeasureAction;
    params: MeasureParams;
    fromAt: string | null;
    toAt: string | null;
  }>;
}

/** A measure in force at a time, with the moment it came into force (its order's effective time or its own start). */
export interface MeasureInForce {
  line: string | null;
  action: MeasureAction;
  params: MeasureParams;
  since: Date;
}

/**
 * How an enterprise behaves under an order, fixed by its credit code: most comply; about 1 in 8 do not (a line
 * kept running, or an outlet over its cap, for some hours after the order comes into force); about 1 in 15 have
 * a point that sends nothing for 2–3 hours.
 */
export interface ComplianceProfile {
  complies: boolean;
  /** The point (code) that falls silent while an order is in force, if any. */
  silentPoint: string | null;
  /** 32-bit seed of the enterprise's windows and levels. */
  seed: number;
}

/** Roughly 1 in NON_COMPLIER_EVERY demo enterprises do not comply; 1 in SILENT_EVERY have a silent point. */
export const NON_COMPLIER_EVERY = 8;
export const SILENT_EVERY = 15;

/** FNV-1a, 32 bits: a stable hash of a string. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32), so that neighbouring keys spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by the key. */
const unit = (key: string): number => hash32(key) / 4294967296;

/**
 * Smooth noise in [0, 1): values fixed by the key at knots `periodMs` apart, cosine-interpolated between them, so
 * a reading differs a little from the one a quarter-hour before and a lot from one a day before.
 */
export function smoothNoise(key: string, atMs: number, periodMs = 2 * HOUR_MS): number {
  const k = Math.floor(atMs / periodMs);
  const f = (atMs - k * periodMs) / periodMs;
  const a = unit(`${key}|${k}`);
  const b = unit(`${key}|${k + 1}`);
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return a + (b - a) * w;
}

/** The salt of the compliance draw: chosen so that one of the demo enterprises with concentration caps is among the non-compliers. */
export const PROFILE_SALT = 'demo-12';

export function complianceProfile(
  creditCode: string,
  pointCodes: readonly string[],
  salt = PROFILE_SALT,
): ComplianceProfile {
  const seed = hash32(`${salt}|${creditCode}`);
  const complies = seed % NON_COMPLIER_EVERY !== 0;
  const silent = hash32(`${salt}|silent|${creditCode}`);
  const codes = [...pointCodes].sort();
  const silentPoint =
    codes.length && silent % SILENT_EVERY === 0
      ? codes[Math.floor(silent / SILENT_EVERY) % codes.length]
      : null;
  return { complies, silentPoint, seed };
}

/** The measures in force at `at`: their order in force then, and the measure's own window (fromAt–toAt) open. */
export function measuresInForce(orders: readonly DemoOrder[], at: Date): MeasureInForce[] {
  const t = at.getTime();
  const out: MeasureInForce[] = [];
  for (const o of orders) {
    if (o.effectiveAt.getTime() > t || (o.endsAt && o.endsAt.getTime() <= t)) continue;
    for (const m of o.measures) {
      const from = m.fromAt ? new Date(m.fromAt).getTime() : null;
      const to = m.toAt ? new Date(m.toAt).getTime() : null;
      if ((from !== null && from > t) || (to !== null && to <= t)) continue;
      out.push({
        line: m.line,
        action: m.action,
        params: m.params,
        since: new Date(Math.max(o.effectiveAt.getTime(), from ?? -Infinity)),
      });
    }
  }
  return out;
}

const POWER_ACTIONS: readonly MeasureAction[] = [
  'STOP',
  'LIMIT_PERCENT',
  'STOP_SHARE',
  'EXTEND_COKING_HOURS',
  'VOLUNTARY',
];

/** A power measure applies to a line named by its code or its name; a measure without a line to every line. */
function appliesToLine(m: MeasureInForce, p: DemoPoint): boolean {
  return POWER_ACTIONS.includes(m.action) && (m.line == null || m.line === p.code || m.line === p.name);
}

const num = (v: string | number | undefined): number => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};

/** The share of normal power a complying line draws under a measure: [low, high]. */
function compliantShare(m: MeasureInForce): [number, number] {
  switch (m.action) {
    case 'STOP':
      return [0.02, 0.05];
    case 'LIMIT_PERCENT': {
      const left = 1 - Math.min(100, Math.max(0, num(m.params.percent))) / 100;
      return [left * 0.8, left * 0.95];
    }
    case 'STOP_SHARE': {
      const left = 1 - Math.min(100, Math.max(0, num(m.params.share))) / 100;
      return [left * 0.8, left * 0.95];
    }
    case 'EXTEND_COKING_HOURS': {
      // Coking time stretched from about 24 h: the ovens are charged less often.
      const hours = num(m.params.hours);
      const left = hours > 24 ? 24 / hours : 1;
      return [left * 0.9, left];
    }
    case 'VOLUNTARY':
      return [0.7, 0.9];
    case 'CONCENTRATION_CAP':
    case 'FEED_CAP':
    case 'OTHER':
    case 'STOP_ROAD_TRANSPORT':
    case 'TRUCK_BAN_CN4':
      return [0.75, 1];
  }
}

/** The measures that cut a line's power, and so can be broken by running on. */
const REDUCING: readonly MeasureAction[] = ['STOP', 'LIMIT_PERCENT', 'STOP_SHARE'];

/**
 * The share of normal power reconciliation lets a line draw under a measure (issue 17: STOP 10%; LIMIT_PERCENT p
 * and STOP_SHARE s: 1 − p plus 10%): a non-complier is put clear above it. Null for measures it does not check.
 */
function allowedShare(m: MeasureInForce): number | null {
  if (m.action === 'STOP') return 0.1;
  if (m.action === 'LIMIT_PERCENT') return 1 - num(m.params.percent) / 100 + 0.1;
  if (m.action === 'STOP_SHARE') return 1 - num(m.params.share) / 100 + 0.1;
  return null;
}

/** Whole hours from the hour at or after `since`: the start of a window that reconciliation sees as whole hours. */
const hourAfter = (since: Date, plusHours: number): number =>
  Math.ceil(since.getTime() / HOUR_MS) * HOUR_MS + plusHours * HOUR_MS;

const inWindow = (t: number, start: number, hours: number) => t >= start && t < start + hours * HOUR_MS;

/** The non-complier's line keeps running for 3–6 hours from the first whole hour of the measure. */
function overrunWindow(profile: ComplianceProfile, since: Date): [number, number] {
  return [hourAfter(since, 0), 3 + ((profile.seed >>> 8) % 4)];
}

/** The non-complier's outlet is over its cap for 2–4 hours from the second whole hour of the cap. */
function exceedWindow(profile: ComplianceProfile, since: Date): [number, number] {
  return [hourAfter(since, 1), 2 + ((profile.seed >>> 12) % 3)];
}

/** The silent point sends nothing for 2–3 hours, starting 1–3 whole hours after an order comes into force. */
function silentWindow(profile: ComplianceProfile, since: Date): [number, number] {
  return [hourAfter(since, 1 + ((profile.seed >>> 16) % 3)), 2 + ((profile.seed >>> 20) % 2)];
}

const CEMS_METRICS: Array<[Metric, 'so2' | 'nox' | 'pm' | 'vocs']> = [
  ['SO2', 'so2'],
  ['NOX', 'nox'],
  ['PM', 'pm'],
  ['VOCS', 'vocs'],
];

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * What the point's meter reads at the quarter-hour `at`: one value for a line (POWER_KW), one per limited
 * pollutant for an outlet; nothing while the point is silent.
 *
 * - No order in force: 75–100% of normal power; concentrations at 30–70% of the limits.
 * - Under an order, a complying enterprise: STOP 2–5% of normal; LIMIT_PERCENT p and STOP_SHARE s at 80–95% of
 *   what is left (1 − p); concentrations at 30–70% of the lower of the limit and every cap in force.
 * - A non-complier: its line at 88–92% of normal for some hours once a STOP/limit comes into force, or (when a
 *   concentration cap is in force) its outlets 20–60% over the cap for a few hours.
 */
export function demoReadings(
  creditCode: string,
  point: DemoPoint,
  measures: readonly MeasureInForce[],
  profile: ComplianceProfile,
  at: Date,
): Array<{ metric: Metric; value: number }> {
  const t = at.getTime();
  const key = `${creditCode}/${point.code}`;
  if (profile.silentPoint === point.code && measures.length) {
    const since = new Date(Math.min(...measures.map((m) => m.since.getTime())));
    const [start, hours] = silentWindow(profile, since);
    if (inWindow(t, start, hours)) return [];
  }
  const jitter = (metric: string) => (unit(`${key}|${metric}|q|${t}`) - 0.5) * 0.02;
  const caps = measures.filter((m) => m.action === 'CONCENTRATION_CAP');

  if (point.kind === 'LINE_POWER') {
    const normal = point.normalPowerKw ?? 0;
    const noise = Math.min(1, Math.max(0, smoothNoise(`${key}|POWER_KW`, t) + jitter('POWER_KW')));
    const applying = measures.filter((m) => appliesToLine(m, point));
    let share = 0.75 + 0.25 * noise;
    if (applying.length) {
      // The strictest measure on the line rules it.
      const strictest = applying.reduce((a, b) => (compliantShare(b)[1] < compliantShare(a)[1] ? b : a));
      const [lo, hi] = compliantShare(strictest);
      share = lo + (hi - lo) * noise;
      const reducing = applying.filter((m) => REDUCING.includes(m.action));
      if (!profile.complies && caps.length === 0 && reducing.length) {
        const since = new Date(Math.min(...reducing.map((m) => m.since.getTime())));
        const [start, hours] = overrunWindow(profile, since);
        // About 90% of normal, and clear of what the strictest measure allows (LIMIT 20% allows 90% + 10%).
        const floor = Math.max(0.88, (allowedShare(strictest) ?? 0) + 0.03);
        if (inWindow(t, start, hours)) share = Math.min(1, floor + 0.04 * noise);
      }
    }
    return [{ metric: 'POWER_KW', value: round(normal * share, 1) }];
  }

  const out: Array<{ metric: Metric; value: number }> = [];
  for (const [metric, field] of CEMS_METRICS) {
    const limit = point.limits[field];
    if (limit == null) continue;
    const noise = Math.min(1, Math.max(0, smoothNoise(`${key}|${metric}`, t) + jitter(metric)));
    const capsOfMetric = caps.map((m) => num(m.params[field])).filter((c) => c > 0);
    const ceiling = Math.min(limit, ...capsOfMetric);
    let value = ceiling * (0.3 + 0.4 * noise);
    if (!profile.complies && capsOfMetric.length) {
      const since = new Date(Math.min(...caps.map((m) => m.since.getTime())));
      const [start, hours] = exceedWindow(profile, since);
      if (inWindow(t, start, hours)) value = Math.min(...capsOfMetric) * (1.2 + 0.4 * noise);
    }
    out.push({ metric, value: round(value, 2) });
  }
  return out;
}

/** The quarter-hours from `from` (rounded up to one) to `to` (included). */
export function quarterHours(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  const start = Math.ceil(from.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  for (let t = start; t <= to.getTime(); t += QUARTER_HOUR_MS) out.push(new Date(t));
  return out;
}
