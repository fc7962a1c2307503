import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { ALL_COUNTIES, type CountyScope, inCountyScope } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { pageSql, ScopedFilter } from '../common/sql/scoped-filter';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { ACTION_NAMES, type MeasureAction } from '../enterprises/enterprise.types';
import {
  FINDING_NAMES,
  type FindingKind,
  METRIC_NAMES,
  type Metric,
  REVIEW_OUTCOME_NAMES,
  type ReviewOutcome,
  reviewProblems,
} from './reconciliation.rules';

export interface DiscrepancyQuery {
  alert?: string;
  county?: string;
  kind?: FindingKind;
  flagged?: boolean;
  reviewed?: boolean;
  page?: number;
  pageSize?: number;
}

export interface DiscrepancyView {
  id: string;
  alertId: string;
  alertCode: string;
  orderId: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  countyName: string;
  pointId: string;
  pointCode: string;
  pointName: string | null;
  pointKind: 'LINE_POWER' | 'OUTLET_CEMS';
  measureIndex: number;
  action: MeasureAction;
  actionName: string;
  metric: Metric;
  metricName: string;
  kind: FindingKind;
  kindName: string;
  fromAt: Date;
  toAt: Date;
  hours: number;
  allowed: number;
  reference: number;
  observedMax: number | null;
  observedAvg: number | null;
  /** The enterprise had reported its measures in place before the finding ended (its word against the meter). */
  selfReported: boolean;
  firstFoundAt: Date;
  computedAt: Date;
  review: {
    outcome: ReviewOutcome;
    outcomeName: string;
    note: string | null;
    reviewedBy: string;
    reviewedAt: Date;
  } | null;
}

const SELECT_VIEW = `
  SELECT d.*, a.code AS alert_code, e.name AS enterprise_name, c.name AS county_name, p.code AS point_code,
         p.name AS point_name, p.kind AS point_kind
    FROM telemetry_discrepancy d
    JOIN alert a ON a.id = d.alert_id
    JOIN enterprise e ON e.id = d.enterprise_id
    JOIN county c ON c.code = d.county_code
    JOIN metering_point p ON p.id = d.point_id`;

function viewOf(r: Record<string, unknown>): DiscrepancyView {
  const action = r.action as MeasureAction;
  const metric = r.metric as Metric;
  const kind = r.kind as FindingKind;
  const outcome = r.review_outcome as ReviewOutcome | null;
  return {
    id: r.id as string,
    alertId: r.alert_id as string,
    alertCode: r.alert_code as string,
    orderId: r.order_id as string,
    enterpriseId: r.enterprise_id as string,
    enterpriseName: r.enterprise_name as string,
    countyCode: r.county_code as string,
    countyName: r.county_name as string,
    pointId: r.point_id as string,
    pointCode: r.point_code as string,
    pointName: (r.point_name as string | null) ?? null,
    pointKind: r.point_kind as DiscrepancyView['pointKind'],
    measureIndex: r.measure_index as number,
    action,
    actionName: ACTION_NAMES[action] ?? action,
    metric,
    metricName: METRIC_NAMES[metric] ?? metric,
    kind,
    kindName: FINDING_NAMES[kind],
    fromAt: r.from_at as Date,
    toAt: r.to_at as Date,
    hours: r.hours as number,
    allowed: r.allowed as number,
    reference: r.reference as number,
    observedMax: (r.observed_max as number | null) ?? null,
    observedAvg: (r.observed_avg as number | null) ?? null,
    selfReported: r.self_reported as boolean,
    firstFoundAt: r.first_found_at as Date,
    computedAt: r.computed_at as Date,
    review: outcome
      ? {
          outcome,
          outcomeName: REVIEW_OUTCOME_NAMES[outcome],
          note: (r.review_note as string | null) ?? null,
          reviewedBy: r.reviewed_by_name as string,
          reviewedAt: r.reviewed_at as Date,
        }
      : null,
  };
}

/** The discrepancy queue: per warning and per county, within the caller's counties; and the officers' reviews. */
@Injectable()
export class DiscrepanciesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * A page of discrepancies, the enterprise's word against the meter first, then the newest. A filter on another
   * county than the caller's finds nothing (as if it had none), never an error that tells what exists there.
   */
  async page(
    query: DiscrepancyQuery,
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<{ items: DiscrepancyView[]; total: number; page: number; pageSize: number }> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const f = new ScopedFilter('d.county_code', scope);
    if (query.alert !== undefined) {
      if (!isUuid(query.alert)) return { items: [], total: 0, page, pageSize };
      f.add((p) => `d.alert_id = ${p}`, query.alert);
    }
    if (query.county !== undefined) f.add((p) => `d.county_code = ${p}`, query.county);
    if (query.kind !== undefined) f.add((p) => `d.kind = ${p}`, query.kind);
    if (query.flagged !== undefined) f.add((p) => `d.self_reported = ${p}`, query.flagged);
    if (query.reviewed !== undefined)
      f.raw(query.reviewed ? 'd.review_outcome IS NOT NULL' : 'd.review_outcome IS NULL');
    const [{ total }] = await this.dataSource.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM telemetry_discrepancy d WHERE ${f.sql}`,
      f.params,
    );
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} WHERE ${f.sql}
        ORDER BY d.self_reported DESC, d.from_at DESC, d.id ${pageSql(page, pageSize)}`,
      f.params,
    );
    return { items: rows.map(viewOf), total, page, pageSize };
  }

  /** One discrepancy; another county's is not found. */
  async get(id: string, scope: CountyScope = ALL_COUNTIES): Promise<DiscrepancyView> {
    if (!isUuid(id)) throw DomainError.notFound('监测数据异常');
    const [row] = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} WHERE d.id = $1`,
      [id],
    );
    if (!row || !inCountyScope(scope, row.county_code as string)) throw DomainError.notFound('监测数据异常');
    return viewOf(row);
  }

  /**
   * An officer's review: confirmed (the enterprise did not comply) or explained (with the reason: a meter fault,
   * a permitted safety load…). Once per discrepancy (409 after); audited as `telemetry.discrepancy-reviewed`.
   */
  async review(
    id: string,
    input: { outcome: ReviewOutcome; note?: string },
    scope: CountyScope,
    actor: Actor,
  ): Promise<DiscrepancyView> {
    const current = await this.get(id, scope);
    if (!actor.id) throw new DomainError('FORBIDDEN', '监测数据异常须由工作人员核实');
    const note = input.note?.trim() || null;
    const problems = reviewProblems(input.outcome, note);
    if (problems.length) throw DomainError.validation(problems);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const updated = await m.query<[unknown[], number]>(
        `UPDATE telemetry_discrepancy
            SET review_outcome = $2, review_note = $3, reviewed_by_id = $4, reviewed_by_name = $5, reviewed_at = $6
          WHERE id = $1 AND review_outcome IS NULL`,
        [id, input.outcome, note, actor.id, actor.name ?? '', now],
      );
      if (updated[1] === 0) throw new DomainError('CONFLICT', '该异常已核实过,不能重复核实');
      await this.audit.record(
        {
          actor,
          action: 'telemetry.discrepancy-reviewed',
          subjectType: 'order',
          subjectId: current.orderId,
          alertId: current.alertId,
          data: {
            discrepancyId: id,
            enterpriseName: current.enterpriseName,
            point: current.pointCode,
            metric: current.metric,
            kind: current.kind,
            fromAt: current.fromAt,
            toAt: current.toAt,
            outcome: input.outcome,
            note,
          },
        },
        m,
      );
    });
    return this.get(id, scope);
  }

  /** Discrepancies per enterprise of a warning that were not explained away: the inspection plan's weight. */
  async countsByEnterprise(alertId: string): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<Array<{ enterprise_id: string; n: number }>>(
      `SELECT enterprise_id, count(*)::int AS n FROM telemetry_discrepancy
        WHERE alert_id = $1 AND review_outcome IS DISTINCT FROM 'EXPLAINED'
        GROUP BY enterprise_id`,
      [alertId],
    );
    return new Map(rows.map((r) => [r.enterprise_id, r.n]));
  }
}
