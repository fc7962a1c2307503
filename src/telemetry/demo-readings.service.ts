import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { OrderMeasure } from '../orders/order.rules';
import {
  complianceProfile,
  type DemoOrder,
  type DemoPoint,
  demoReadings,
  measuresInForce,
  QUARTER_HOUR_MS,
  quarterHours,
} from './demo-readings.rules';
import type { MeteringPointKind } from './metering-point.rules';
import { ReadingsService } from './readings.service';
import { TelemetrySourcesService } from './telemetry-sources.service';

/** How far back the first run (or a run after a long pause) writes. */
export const DEMO_BACKFILL_MS = 48 * 3_600_000;

export interface DemoRun {
  /** False outside demo mode (nothing is read or written). */
  demo: boolean;
  points: number;
  /** The quarter-hours written, first and last (ISO), and how many. */
  from: string | null;
  to: string | null;
  quarterHours: number;
  accepted: number;
  duplicates: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Demo mode: the readings the demo enterprises' meters would send, written for every point in a county that has a
 * demo source (演示计量平台), quarter-hour by quarter-hour from the last one written (again: a run cut short is
 * completed, the rest are duplicates) up to now, or the last 48 hours when there is none (the span the standing conditions check). The values come from
 * demo-readings.rules.ts, from the orders as they were in force. Outside demo mode it does nothing.
 */
@Injectable()
export class DemoReadingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: TelemetrySourcesService,
    private readonly readings: ReadingsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async generate(): Promise<DemoRun> {
    const idle = (demo: boolean, points = 0): DemoRun => ({
      demo,
      points,
      from: null,
      to: null,
      quarterHours: 0,
      accepted: 0,
      duplicates: 0,
    });
    if (!this.config.demo) return idle(false);
    const sources = await this.sources.demoSources();
    if (sources.size === 0) return idle(true);
    const now = this.clock.now();
    const to = new Date(Math.floor(now.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
    const earliest = new Date(to.getTime() - DEMO_BACKFILL_MS);
    const points = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT p.id, p.enterprise_id, p.county_code, p.kind, p.code, p.name, p.normal_power_kw,
              p.limit_so2, p.limit_nox, p.limit_pm, p.limit_vocs, e.credit_code
         FROM metering_point p JOIN enterprise e ON e.id = p.enterprise_id
        WHERE p.county_code = ANY($1::varchar[]) AND NOT e.archived
        ORDER BY e.credit_code, p.code`,
      [[...sources.keys()]],
    );
    if (points.length === 0) return idle(true);
    // The months of the window only (partition pruning): the last quarter-hour any demo source wrote.
    const [{ last }] = await this.dataSource.query<Array<{ last: Date | null }>>(
      `SELECT max(measured_at) AS last FROM meter_reading
        WHERE source_id = ANY($1::uuid[]) AND measured_at >= $2 AND measured_at <= $3`,
      [[...sources.values()], earliest, to],
    );
    const times = quarterHours(last ?? earliest, to);
    if (times.length === 0) return idle(true, points.length);

    const enterpriseIds = [...new Set(points.map((p) => p.enterprise_id as string))];
    const orders = await this.ordersInForce(enterpriseIds, times[0], to);
    const codes = new Map<string, string[]>();
    for (const p of points) {
      const list = codes.get(p.enterprise_id as string) ?? [];
      list.push(p.code as string);
      codes.set(p.enterprise_id as string, list);
    }

    const rows: Array<{ sourceId: string; pointId: string; metric: string; at: Date; value: number }> = [];
    // Time first, so that a run cut short between batches has written whole quarter-hours before the last one.
    const measuresAt = new Map<string, ReturnType<typeof measuresInForce>>();
    for (const at of times) {
      measuresAt.clear();
      for (const p of points) {
        const enterpriseId = p.enterprise_id as string;
        let measures = measuresAt.get(enterpriseId);
        if (!measures) {
          measures = measuresInForce(orders.get(enterpriseId) ?? [], at);
          measuresAt.set(enterpriseId, measures);
        }
        const creditCode = p.credit_code as string;
        const point: DemoPoint = {
          kind: p.kind as MeteringPointKind,
          code: p.code as string,
          name: (p.name as string | null) ?? null,
          normalPowerKw: num(p.normal_power_kw),
          limits: {
            so2: num(p.limit_so2),
            nox: num(p.limit_nox),
            pm: num(p.limit_pm),
            vocs: num(p.limit_vocs),
          },
        };
        const profile = complianceProfile(creditCode, codes.get(enterpriseId)!);
        for (const r of demoReadings(creditCode, point, measures, profile, at))
          rows.push({
            sourceId: sources.get(p.county_code as string)!,
            pointId: p.id as string,
            metric: r.metric,
            at,
            value: r.value,
          });
      }
    }
    const written = await this.readings.writeGenerated(rows);
    return {
      demo: true,
      points: points.length,
      from: times[0].toISOString(),
      to: times[times.length - 1].toISOString(),
      quarterHours: times.length,
      ...written,
    };
  }

  /**
   * The enterprises' orders in force at some time in [from, to]: each from its effective time until the order (or
   * end notice) that replaced it took effect, or, ended without one (expiry), until the warning's end; open while
   * in force. Orders written ahead (SCHEDULED) are not yet in force; end notices carry no measures.
   */
  private async ordersInForce(
    enterpriseIds: string[],
    from: Date,
    to: Date,
  ): Promise<Map<string, DemoOrder[]>> {
    const rows = await this.dataSource.query<
      Array<{ enterprise_id: string; effective_at: Date; ends_at: Date | null; measures: OrderMeasure[] }>
    >(
      `SELECT * FROM (
         SELECT o.enterprise_id, o.effective_at, o.measures,
                COALESCE(
                  (SELECT min(n.effective_at) FROM reduction_order n
                    WHERE n.supersedes_order_id = o.id AND n.state <> 'SCHEDULED'),
                  CASE WHEN o.state IN ('SUPERSEDED', 'LIFTED')
                       THEN COALESCE(a.lifted_at, a.expected_end_at, o.updated_at) END) AS ends_at
           FROM reduction_order o JOIN alert a ON a.id = o.alert_id
          WHERE o.enterprise_id = ANY($1::uuid[]) AND o.effective_at <= $3
            AND o.state <> 'SCHEDULED' AND o.notice_type NOT IN ('LIFT', 'CANCEL')) x
        WHERE x.ends_at IS NULL OR x.ends_at > $2
        ORDER BY x.enterprise_id, x.effective_at`,
      [enterpriseIds, from, to],
    );
    const out = new Map<string, DemoOrder[]>();
    for (const r of rows) {
      const list = out.get(r.enterprise_id) ?? [];
      list.push({
        effectiveAt: new Date(r.effective_at),
        endsAt: r.ends_at ? new Date(r.ends_at) : null,
        measures: r.measures,
      });
      out.set(r.enterprise_id, list);
    }
    return out;
  }
}
