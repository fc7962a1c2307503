import type { DataSource } from 'typeorm';
import type { HourlyValue } from './reconciliation.rules';

/** The key of a point's metric in the map `hourlyAverages` returns. */
export const seriesKey = (pointId: string, metric: string): string => `${pointId}|${metric}`;

/**
 * Hourly averages of the checked points' metrics (from every source that sent them) over the checks' span, in one
 * aggregate naming the points, the metrics and the time range, so PostgreSQL reads only those months' partitions by
 * the `(point_id, metric, measured_at)` index; keyed `seriesKey` → the hour's start (ms). Shared by the warnings'
 * reconciliation and the standing conditions' checks.
 */
export async function hourlyAverages(
  db: Pick<DataSource, 'query'>,
  checks: ReadonlyArray<{ pointId: string; metric: string; from: Date; to: Date }>,
): Promise<Map<string, Map<number, HourlyValue>>> {
  const out = new Map<string, Map<number, HourlyValue>>();
  if (checks.length === 0) return out;
  // A loop, not Math.min(...spread): a red warning has more checks than a call's argument limit.
  let from = Infinity;
  let to = -Infinity;
  for (const c of checks) {
    from = Math.min(from, c.from.getTime());
    to = Math.max(to, c.to.getTime());
  }
  const rows = await db.query<Array<{ point_id: string; metric: string; h: number; avg: number; n: number }>>(
    `SELECT point_id, metric, (extract(epoch FROM date_trunc('hour', measured_at AT TIME ZONE 'UTC')) * 1000)::float8 AS h,
            avg(value)::float8 AS avg, count(*)::int AS n
       FROM meter_reading
      WHERE point_id = ANY($1::uuid[]) AND metric = ANY($2::text[]) AND measured_at >= $3 AND measured_at < $4
      GROUP BY 1, 2, 3`,
    [
      [...new Set(checks.map((c) => c.pointId))],
      [...new Set(checks.map((c) => c.metric))],
      new Date(from),
      new Date(to),
    ],
  );
  for (const r of rows) {
    const key = seriesKey(r.point_id, r.metric);
    let hours = out.get(key);
    if (!hours) out.set(key, (hours = new Map<number, HourlyValue>()));
    hours.set(r.h, { avg: r.avg, count: r.n });
  }
  return out;
}
