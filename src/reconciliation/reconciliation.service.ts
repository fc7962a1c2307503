import { hourlyAverages, seriesKey } from './hourly-averages';
import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { SYSTEM_ACTOR } from '../audit/actor';
import { ALL_COUNTIES, type CountyScope, inCountyScope } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import type { OrderMeasure } from '../orders/order.rules';
import type { RulesetDefinition } from '../rulesets/ruleset.types';
import {
  checksFor,
  contradictsReport,
  findingsOf,
  type HourlyValue,
  type MeteredPoint,
  type PointCheck,
  type ReconciliationTolerances,
  tolerancesOf,
} from './reconciliation.rules';

/** One county's (or the whole warning's) figures of a run. */
export interface ReconciliationCounts {
  orders: number;
  checks: number;
  unmetered: number;
  hoursChecked: number;
  hoursPassed: number;
  exceeded: number;
  missing: number;
  flagged: number;
}

export interface ReconciliationRun extends ReconciliationCounts {
  alertId: string;
  computedAt: Date;
  durationMs: number;
  tolerances: ReconciliationTolerances;
  byCounty: Record<string, ReconciliationCounts>;
}

const zero = (): ReconciliationCounts => ({
  orders: 0,
  checks: 0,
  unmetered: 0,
  hoursChecked: 0,
  hoursPassed: 0,
  exceeded: 0,
  missing: 0,
  flagged: 0,
});

interface OrderRow {
  id: string;
  enterprise_id: string;
  county_code: string;
  effective_at: Date;
  end_at: Date | null;
  measures: OrderMeasure[];
  measures_in_place_at: Date | null;
  lines: Array<{ code: string; name: string }> | null;
}

interface PointRow {
  id: string;
  enterprise_id: string;
  kind: 'LINE_POWER' | 'OUTLET_CEMS';
  code: string;
  normal_power_kw: number | null;
  limit_so2: number | null;
  limit_nox: number | null;
  limit_pm: number | null;
  limit_vocs: number | null;
}

/**
 * Reconciles a warning's orders with the meters (src/reconciliation): the one writer of telemetry_discrepancy and
 * telemetry_reconciliation. Each run recomputes the warning's whole span set-wise: five queries whatever the number
 * of enterprises (orders, points, hourly averages, the upsert of findings with the removal of those gone, the run).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Runs now for one warning; audited as `telemetry.reconciled` when a person asks. */
  async reconcile(alertId: string, actor: Actor = SYSTEM_ACTOR): Promise<ReconciliationRun> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    const started = performance.now();
    const now = this.clock.now();
    const [alert] = await this.dataSource.query<Array<{ id: string; definition: RulesetDefinition }>>(
      `SELECT a.id, r.definition FROM alert a JOIN ruleset r ON r.id = a.ruleset_id WHERE a.id = $1`,
      [alertId],
    );
    if (!alert) throw DomainError.notFound('预警');
    const tol = tolerancesOf(alert.definition);

    // Every order that was in force at some time: its end is its successor's effective time (an adjustment or end
    // notice that took effect), or the warning's end, or none while it still binds.
    const orders = await this.dataSource.query<OrderRow[]>(
      `SELECT o.id, o.enterprise_id, o.county_code, o.effective_at, o.measures, o.measures_in_place_at, e.lines,
              COALESCE(s.at, CASE WHEN o.state IN ('SUPERSEDED', 'LIFTED')
                                  THEN LEAST(a.lifted_at, a.expected_end_at, o.updated_at) END,
                       a.lifted_at) AS end_at
         FROM reduction_order o
         JOIN alert a ON a.id = o.alert_id
         JOIN enterprise e ON e.id = o.enterprise_id
         LEFT JOIN (SELECT supersedes_order_id AS id, min(effective_at) AS at FROM reduction_order
                     WHERE alert_id = $1 AND supersedes_order_id IS NOT NULL AND state <> 'SCHEDULED'
                     GROUP BY supersedes_order_id) s ON s.id = o.id
        WHERE o.alert_id = $1 AND o.state <> 'SCHEDULED' AND o.notice_type NOT IN ('LIFT', 'CANCEL')
          AND o.effective_at < $2`,
      [alertId, now],
    );
    const points = await this.dataSource.query<PointRow[]>(
      `SELECT id, enterprise_id, kind, code, normal_power_kw::float8 AS normal_power_kw,
              limit_so2::float8 AS limit_so2, limit_nox::float8 AS limit_nox, limit_pm::float8 AS limit_pm,
              limit_vocs::float8 AS limit_vocs
         FROM metering_point WHERE enterprise_id = ANY($1::uuid[])`,
      [[...new Set(orders.map((o) => o.enterprise_id))]],
    );
    const pointsOf = new Map<string, MeteredPoint[]>();
    for (const p of points) {
      const list = pointsOf.get(p.enterprise_id) ?? [];
      list.push({
        id: p.id,
        kind: p.kind,
        code: p.code,
        normalPowerKw: p.normal_power_kw,
        limits: { so2: p.limit_so2, nox: p.limit_nox, pm: p.limit_pm, vocs: p.limit_vocs },
      });
      pointsOf.set(p.enterprise_id, list);
    }

    const byCounty: Record<string, ReconciliationCounts> = {};
    const county = (code: string) => (byCounty[code] ??= zero());
    const planned: Array<{ order: OrderRow; check: PointCheck }> = [];
    for (const order of orders) {
      const { checks, unmetered } = checksFor(
        {
          effectiveAt: order.effective_at,
          endAt: order.end_at,
          measures: order.measures,
          lines: order.lines ?? [],
        },
        pointsOf.get(order.enterprise_id) ?? [],
        tol,
        now,
      );
      const c = county(order.county_code);
      c.orders++;
      c.checks += checks.length;
      c.unmetered += unmetered;
      for (const check of checks) planned.push({ order, check });
    }

    const hourly = await hourlyAverages(
      this.dataSource,
      planned.map((p) => p.check),
    );
    const found: DiscrepancyRow[] = [];
    for (const { order, check } of planned) {
      const { findings, hoursChecked, hoursPassed } = findingsOf(
        check,
        hourly.get(seriesKey(check.pointId, check.metric)) ?? new Map<number, HourlyValue>(),
        now,
        tol,
      );
      const c = county(order.county_code);
      c.hoursChecked += hoursChecked;
      c.hoursPassed += hoursPassed;
      for (const f of findings) {
        const selfReported = contradictsReport(f, order.measures_in_place_at);
        if (f.kind === 'EXCEEDED') c.exceeded++;
        else c.missing++;
        if (selfReported) c.flagged++;
        found.push({ order, check, finding: f, selfReported });
      }
    }
    const durationMs = Math.round(performance.now() - started);
    await this.write(alertId, found, now);
    const total = Object.values(byCounty).reduce(sum, zero());
    const run: ReconciliationRun = {
      alertId,
      computedAt: now,
      durationMs: Math.round(performance.now() - started),
      tolerances: tol,
      ...total,
      byCounty,
    };
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO telemetry_reconciliation (alert_id, computed_at, duration_ms, tolerances, orders, checks, unmetered,
                                               hours_checked, hours_passed, by_county)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (alert_id) DO UPDATE SET computed_at = EXCLUDED.computed_at, duration_ms = EXCLUDED.duration_ms,
           tolerances = EXCLUDED.tolerances, orders = EXCLUDED.orders, checks = EXCLUDED.checks,
           unmetered = EXCLUDED.unmetered, hours_checked = EXCLUDED.hours_checked,
           hours_passed = EXCLUDED.hours_passed, by_county = EXCLUDED.by_county`,
        [
          alertId,
          now,
          run.durationMs,
          JSON.stringify(tol),
          total.orders,
          total.checks,
          total.unmetered,
          total.hoursChecked,
          total.hoursPassed,
          JSON.stringify(byCounty),
        ],
      );
      if (actor.id)
        await this.audit.record(
          {
            actor,
            action: 'telemetry.reconciled',
            subjectType: 'alert',
            subjectId: alertId,
            alertId,
            data: { ...total, durationMs },
          },
          m,
        );
    });
    this.logger.debug(
      `reconciled ${alertId}: ${total.checks} checks, ${found.length} findings, ${run.durationMs} ms`,
    );
    return run;
  }

  /**
   * The findings of a run replace the warning's: kept by what they are about (order, point, measure, metric, kind,
   * start), so one that grows keeps its id and its review; those no longer found go. One transaction, under a lock
   * per warning so a run asked for by hand and the hourly one do not interleave.
   */
  private async write(alertId: string, found: DiscrepancyRow[], now: Date): Promise<void> {
    const col = <T>(f: (r: DiscrepancyRow) => T) => found.map(f);
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('haze:reconcile:' || $1))`, [alertId]);
      const keys = [
        col((r) => r.order.id),
        col((r) => r.check.pointId),
        col((r) => r.check.measureIndex),
        col((r) => r.check.metric),
        col((r) => r.finding.kind),
        col((r) => r.finding.from),
      ];
      await m.query(
        `DELETE FROM telemetry_discrepancy d
          WHERE d.alert_id = $1
            AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::timestamptz[])
                                   AS k(order_id, point_id, measure_index, metric, kind, from_at)
                             WHERE k.order_id = d.order_id AND k.point_id = d.point_id AND k.measure_index = d.measure_index
                               AND k.metric = d.metric AND k.kind = d.kind AND k.from_at = d.from_at)`,
        [alertId, ...keys],
      );
      if (found.length === 0) return;
      await m.query(
        `INSERT INTO telemetry_discrepancy (alert_id, order_id, enterprise_id, county_code, point_id, measure_index, action,
                                            metric, kind, from_at, to_at, hours, allowed, reference, observed_max,
                                            observed_avg, self_reported, first_found_at, computed_at)
         SELECT $1, k.order_id, k.enterprise_id, k.county_code, k.point_id, k.measure_index, k.action, k.metric, k.kind,
                k.from_at, k.to_at, k.hours, k.allowed, k.reference, k.observed_max, k.observed_avg, k.self_reported, $2, $2
           FROM unnest($3::uuid[], $4::uuid[], $5::varchar[], $6::uuid[], $7::int[], $8::text[], $9::text[], $10::text[],
                       $11::timestamptz[], $12::timestamptz[], $13::int[], $14::float8[], $15::float8[], $16::float8[],
                       $17::float8[], $18::boolean[])
             AS k(order_id, enterprise_id, county_code, point_id, measure_index, action, metric, kind, from_at, to_at,
                  hours, allowed, reference, observed_max, observed_avg, self_reported)
         ON CONFLICT ON CONSTRAINT uq_telemetry_discrepancy_key DO UPDATE SET
           to_at = EXCLUDED.to_at, hours = EXCLUDED.hours, allowed = EXCLUDED.allowed, reference = EXCLUDED.reference,
           observed_max = EXCLUDED.observed_max, observed_avg = EXCLUDED.observed_avg,
           self_reported = EXCLUDED.self_reported, computed_at = EXCLUDED.computed_at`,
        [
          alertId,
          now,
          keys[0],
          col((r) => r.order.enterprise_id),
          col((r) => r.order.county_code),
          keys[1],
          keys[2],
          col((r) => r.check.action),
          keys[3],
          keys[4],
          keys[5],
          col((r) => r.finding.to),
          col((r) => r.finding.hours),
          col((r) => r.check.allowed),
          col((r) => r.check.reference),
          col((r) => r.finding.observedMax),
          col((r) => r.finding.observedAvg),
          col((r) => r.selfReported),
        ],
      );
    });
  }

  /** The warnings worth a run now: in force, or ended within the last two days (late readings still count). */
  async alertsToReconcile(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT DISTINCT a.id FROM alert a
        WHERE a.effective_at < $1
          AND COALESCE(LEAST(a.lifted_at, a.expected_end_at), 'infinity') > $1::timestamptz - interval '48 hours'
          AND EXISTS (SELECT 1 FROM reduction_order o WHERE o.alert_id = a.id)
        ORDER BY a.id`,
      [this.clock.now()],
    );
    return rows.map((r) => r.id);
  }

  /** Every warning worth a run, each failing alone (a failure is logged and the next goes on). */
  async reconcileDue(): Promise<{ reconciled: number; failed: number }> {
    let reconciled = 0;
    let failed = 0;
    for (const id of await this.alertsToReconcile()) {
      try {
        await this.reconcile(id);
        reconciled++;
      } catch (e) {
        failed++;
        this.logger.error(`reconciliation of ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { reconciled, failed };
  }

  /** The warning's latest run within the caller's counties (the figures of the others left out). */
  async summary(alertId: string, scope: CountyScope = ALL_COUNTIES): Promise<RunView> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    const [alert] = await this.dataSource.query<Array<{ id: string; county_codes: string[] }>>(
      'SELECT id, county_codes FROM alert WHERE id = $1',
      [alertId],
    );
    if (!alert || !alert.county_codes.some((c) => inCountyScope(scope, c)))
      throw DomainError.notFound('预警');
    const [run] = await this.dataSource.query<
      Array<{
        computed_at: Date;
        duration_ms: number;
        tolerances: ReconciliationTolerances;
        by_county: Record<string, ReconciliationCounts>;
      }>
    >(
      'SELECT computed_at, duration_ms, tolerances, by_county FROM telemetry_reconciliation WHERE alert_id = $1',
      [alertId],
    );
    const names = await this.countyNames();
    const counties = Object.entries(run?.by_county ?? {})
      .filter(([code]) => inCountyScope(scope, code))
      .map(([countyCode, c]) => ({ countyCode, countyName: names.get(countyCode) ?? countyCode, ...c }))
      .sort((a, b) => (names.get(a.countyCode) ?? '').localeCompare(names.get(b.countyCode) ?? '', 'zh'));
    return {
      alertId,
      computedAt: run?.computed_at ?? null,
      durationMs: run?.duration_ms ?? null,
      tolerances: run?.tolerances ?? tolerancesOf({}),
      ...counties.reduce(sum, zero()),
      byCounty: counties,
    };
  }

  private async countyNames(): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<Array<{ code: string; name: string }>>(
      'SELECT code, name FROM county',
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  }
}

interface DiscrepancyRow {
  order: OrderRow;
  check: PointCheck;
  finding: ReturnType<typeof findingsOf>['findings'][number];
  selfReported: boolean;
}

export interface RunView extends ReconciliationCounts {
  alertId: string;
  computedAt: Date | null;
  durationMs: number | null;
  tolerances: ReconciliationTolerances;
  byCounty: Array<ReconciliationCounts & { countyCode: string; countyName: string }>;
}

function sum(a: ReconciliationCounts, b: ReconciliationCounts): ReconciliationCounts {
  return {
    orders: a.orders + b.orders,
    checks: a.checks + b.checks,
    unmetered: a.unmetered + b.unmetered,
    hoursChecked: a.hoursChecked + b.hoursChecked,
    hoursPassed: a.hoursPassed + b.hoursPassed,
    exceeded: a.exceeded + b.exceeded,
    missing: a.missing + b.missing,
    flagged: a.flagged + b.flagged,
  };
}
