import { KIND_NAMES } from '../alerts/alert.rules';
import type { AlertView } from '../alerts/alert-views.service';
import { LEVEL_ORDER } from '../rulesets/level.rules';
import type { Pollutant, RulesetDefinition, WarningLevel } from '../rulesets/ruleset.types';
import { POLLUTANT_LABELS } from '../alerts/preview.rules';

/** Pure view models for the console pages: no Nest, no database; unit-tested. */

export interface OrderProgress {
  total: number;
  sent: number;
  received: number;
  executed: number;
  overdue: number;
  failed: number;
  /** Percentages of the total (0-100, one decimal) for the progress bars. */
  pct: { sent: number; received: number; executed: number; overdue: number; failed: number };
}

const pct = (n: number, total: number) => (total === 0 ? 0 : Math.round((n / total) * 1000) / 10);

/**
 * Order progress for the bars, over the orders in force (end notices are counted apart): delivered counts every
 * order whose notice the SMTP server accepted; received and executed come from the orders' receipt and report
 * (executing implies receipt), so they stay true after a lift ends the orders.
 */
export function orderProgress(counts: AlertView['orderCounts']): OrderProgress {
  const s = counts.byState;
  const d = counts.byDelivery;
  const executed = counts.executed;
  const received = counts.received;
  const sent = d.SENT ?? 0;
  const overdue = s.OVERDUE ?? 0;
  const failed = d.FAILED ?? 0;
  const total = counts.total;
  return {
    total,
    sent,
    received,
    executed,
    overdue,
    failed,
    pct: {
      sent: pct(sent, total),
      received: pct(received, total),
      executed: pct(executed, total),
      overdue: pct(overdue, total),
      failed: pct(failed, total),
    },
  };
}

export interface CountyCell {
  code: string;
  name: string;
  level: WarningLevel | null;
  alertCode: string | null;
  alertId: string | null;
  /** A warning issued for this county that has not taken effect yet. */
  upcoming: WarningLevel | null;
}

/** The level in force in each county (the highest of the active warnings covering it) and any upcoming one. */
export function countyLevels(
  counties: Array<{ code: string; name: string }>,
  alerts: Array<Pick<AlertView, 'id' | 'code' | 'status' | 'level' | 'countyCodes'>>,
): CountyCell[] {
  return counties.map((c) => {
    const cell: CountyCell = {
      code: c.code,
      name: c.name,
      level: null,
      alertCode: null,
      alertId: null,
      upcoming: null,
    };
    for (const a of alerts) {
      if (!a.countyCodes.includes(c.code)) continue;
      if (a.status === 'ACTIVE' && (cell.level === null || LEVEL_ORDER[a.level] > LEVEL_ORDER[cell.level])) {
        Object.assign(cell, { level: a.level, alertCode: a.code, alertId: a.id });
      }
      if (
        a.status === 'ISSUED' &&
        (cell.upcoming === null || LEVEL_ORDER[a.level] > LEVEL_ORDER[cell.upcoming])
      ) {
        cell.upcoming = a.level;
      }
    }
    return cell;
  });
}

export interface UpcomingEvent {
  at: Date;
  alertId: string;
  alertCode: string;
  text: string;
}

/** What happens next across the warnings: effective times, proposals waiting, expected ends; soonest first. */
export function upcomingEvents(alerts: AlertView[], now: Date): UpcomingEvent[] {
  const events: UpcomingEvent[] = [];
  for (const a of alerts) {
    const base = { alertId: a.id, alertCode: a.code };
    if (a.status === 'ISSUED') events.push({ ...base, at: new Date(a.effectiveAt), text: '预警生效' });
    if (a.pendingChange) {
      events.push({
        ...base,
        at: new Date(a.pendingChange.effectiveAt),
        text: `待审批:${KIND_NAMES[a.pendingChange.kind]}`,
      });
    }
    if (a.status === 'ACTIVE' && a.expectedEndAt) {
      events.push({ ...base, at: new Date(a.expectedEndAt), text: '预计结束' });
    }
  }
  return events
    .filter((e) => e.at.getTime() >= now.getTime() - 3600_000)
    .sort((x, y) => x.at.getTime() - y.at.getTime());
}

/** The AQI values the ruleset's level rules compare against, with the level each one starts. */
export function aqiThresholds(def: RulesetDefinition): Array<{ aqi: number; level: WarningLevel }> {
  const byAqi = new Map<number, WarningLevel>();
  for (const rule of def.levelRules) {
    for (const clause of rule.anyOf) {
      for (const term of clause.allOf) {
        const known = byAqi.get(term.aqi);
        if (!known || LEVEL_ORDER[rule.level] < LEVEL_ORDER[known]) byAqi.set(term.aqi, rule.level);
      }
    }
  }
  return [...byAqi.entries()].map(([aqi, level]) => ({ aqi, level })).sort((a, b) => a.aqi - b.aqi);
}

export interface ForecastChart {
  width: number;
  height: number;
  days: Array<{ date: string; x: number }>;
  series: Array<{
    countyCode: string;
    name: string;
    points: string;
    color: string;
    dots: Array<{ x: number; y: number; aqi: number }>;
  }>;
  thresholds: Array<{ aqi: number; level: WarningLevel; y: number }>;
  yTicks: Array<{ aqi: number; y: number }>;
}

const PALETTE = [
  '#0b6bcb',
  '#d0021b',
  '#2f9e44',
  '#f08c00',
  '#7048e8',
  '#0c8599',
  '#c2255c',
  '#5c940d',
  '#e67700',
  '#364fc7',
  '#862e9c',
  '#087f5b',
  '#495057',
];

/** Geometry of an SVG line chart: forecast AQI per county per day, with the rule thresholds as lines. */
export function forecastChart(
  forecasts: Array<{ countyCode: string; date: string; aqi: number }>,
  countyNames: Record<string, string>,
  thresholds: Array<{ aqi: number; level: WarningLevel }>,
): ForecastChart {
  const width = 760;
  const height = 320;
  const left = 48;
  const right = 44; // room for the last date label
  const top = 16;
  const bottom = 40;
  const dates = [...new Set(forecasts.map((f) => f.date))].sort();
  const maxAqi = Math.max(300, ...forecasts.map((f) => f.aqi), ...thresholds.map((t) => t.aqi)) + 20;
  const x = (i: number) =>
    dates.length <= 1
      ? left + (width - left - right) / 2
      : left + (i * (width - left - right)) / (dates.length - 1);
  const y = (aqi: number) => Math.round(top + (1 - aqi / maxAqi) * (height - top - bottom));
  const counties = [...new Set(forecasts.map((f) => f.countyCode))].sort();
  return {
    width,
    height,
    days: dates.map((date, i) => ({ date, x: x(i) })),
    series: counties.map((code, k) => {
      const dots = forecasts
        .filter((f) => f.countyCode === code)
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((f) => ({ x: x(dates.indexOf(f.date)), y: y(f.aqi), aqi: f.aqi }));
      return {
        countyCode: code,
        name: countyNames[code] ?? code,
        color: PALETTE[k % PALETTE.length],
        dots,
        points: dots.map((d) => `${d.x},${d.y}`).join(' '),
      };
    }),
    thresholds: thresholds.map((t) => ({ ...t, y: y(t.aqi) })),
    yTicks: [0, 100, 200, 300, 400, 500].filter((v) => v <= maxAqi).map((aqi) => ({ aqi, y: y(aqi) })),
  };
}

export interface AdequacyBar {
  pollutant: string;
  ratio: number | null;
  required: number | null;
  ok: boolean | null;
  /** Bar length and the required-ratio mark, as percentages of the bar. */
  barWidth: number;
  markLeft: number;
}

/** One bar per pollutant, on a scale that always shows both the ratio reached and the ratio required. */
export function adequacyBars(
  pollutants: Record<string, { ratio: number | null; required: number | null; ok: boolean | null }>,
): AdequacyBar[] {
  return Object.entries(pollutants).map(([p, a]) => {
    const scale = Math.max(0.5, (a.required ?? 0) * 1.5, a.ratio ?? 0);
    const at = (v: number | null) => Math.round(((v ?? 0) / scale) * 1000) / 10;
    return {
      pollutant: POLLUTANT_LABELS[p as Pollutant] ?? p,
      ratio: a.ratio,
      required: a.required,
      ok: a.ok,
      barWidth: at(a.ratio),
      markLeft: at(a.required),
    };
  });
}

/** One group of the warning page's party table: the notices of one revision (or of the expiry) and how many confirmed. */
export interface PartyGroup<R> {
  seq: number | null;
  kindName: string;
  received: number;
  total: number;
  rows: R[];
}

/** Party notices grouped by the revision that sent them, in the order they came (the list is in that order). */
export function partyGroups<
  R extends { revisionId: string | null; revisionSeq: number | null; state: string },
>(rows: readonly R[], kindNameOf: (row: R) => string): Array<PartyGroup<R>> {
  const groups = new Map<string, PartyGroup<R>>();
  for (const row of rows) {
    const key = row.revisionId ?? 'expiry';
    const group = groups.get(key) ?? {
      seq: row.revisionSeq,
      kindName: kindNameOf(row),
      received: 0,
      total: 0,
      rows: [],
    };
    group.rows.push(row);
    group.total++;
    if (row.state === 'RECEIVED') group.received++;
    groups.set(key, group);
  }
  return [...groups.values()];
}
