import { ALL_COUNTIES, type CountyScope, scopeCountiesParam, scopeSql } from '../auth/county-scope';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A warning's orders in one county: how many, and how many were confirmed, carried out, overdue. */
export interface CountyProgress {
  alertId: string;
  countyCode: string;
  total: number;
  received: number;
  executed: number;
  overdue: number;
}

/** Order progress per warning and county, for the console's map: one grouped query whatever the list size. */
@Injectable()
export class CountyProgressService {
  constructor(private readonly dataSource: DataSource) {}

  /** Within the caller's counties (a county officer's map and dashboard show their own counties' progress). */
  async forAlerts(alertIds: readonly string[], scope: CountyScope = ALL_COUNTIES): Promise<CountyProgress[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.dataSource.query<Array<Record<string, string | number>>>(
      `SELECT alert_id, county_code, count(*)::int AS total, count(received_at)::int AS received,
              count(executed_at)::int AS executed, (count(*) FILTER (WHERE state = 'OVERDUE'))::int AS overdue
         FROM reduction_order
        WHERE alert_id = ANY($1::uuid[]) AND state NOT IN ('SUPERSEDED', 'SCHEDULED')
          AND notice_type NOT IN ('LIFT', 'CANCEL') AND ${scopeSql('county_code', '$2')}
        GROUP BY alert_id, county_code`,
      [alertIds, scopeCountiesParam(scope)],
    );
    return rows.map((r) => ({
      alertId: r.alert_id as string,
      countyCode: r.county_code as string,
      total: Number(r.total),
      received: Number(r.received),
      executed: Number(r.executed),
      overdue: Number(r.overdue),
    }));
  }
}
