import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { ALL_COUNTIES, type CountyScope, scopeCountiesParam, scopeSql } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { DiscrepanciesService } from '../reconciliation/discrepancies.service';
import { GRADE_NAMES, type Grade } from '../enterprises/enterprise.types';
import {
  drawSample,
  INSPECTION_WEIGHTS,
  type InspectionCandidate,
  isNonResponder,
  type PickReason,
  reasonText,
  SEED_MAX,
} from './inspection-plan.rules';
import { INSPECTION_RESULT_NAMES, type InspectionResult } from './inspection.rules';

/** Orders that bind their enterprise now: sent or waiting to be, answered or not (not replaced, ended or ahead). */
const IN_FORCE_STATES = ['PENDING', 'SENT', 'RECEIVED', 'EXECUTED', 'OVERDUE'];

export interface PlanItemView {
  rank: number;
  orderId: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  countyName: string;
  grade: Grade;
  gradeName: string;
  weight: number;
  reasons: PickReason[];
  reasonText: string;
  /** The latest inspection of the order, once there is one. */
  inspection: { id: string; result: InspectionResult; resultName: string; inspectedAt: Date } | null;
}

export interface PlanView {
  id: string;
  alertId: string;
  /** 1 for the warning's first draw, and on. */
  number: number;
  seed: number;
  size: number;
  population: number;
  /** How many the draw picked, in every county (the items are only those in the caller's counties). */
  picked: number;
  weights: Record<string, unknown>;
  drawnBy: string;
  createdAt: Date;
  items: PlanItemView[];
}

/**
 * Inspection plans of warnings (issue 17): the one writer of inspection_plan and inspection_plan_item. The draw is
 * `drawSample`'s; this reads the candidates (the warning's orders in force, with what weighs them) and keeps the
 * result with its seed, so the same seed over the same orders gives the same plan.
 */
@Injectable()
export class InspectionPlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly discrepancies: DiscrepanciesService,
  ) {}

  /** The warning's enterprises with orders in force (the latest order of each), weighed. */
  async candidates(alertId: string): Promise<InspectionCandidate[]> {
    const now = this.clock.now();
    const rows = await this.dataSource.query<
      Array<{
        order_id: string;
        enterprise_id: string;
        grade: Grade;
        received_at: Date | null;
        receipt_due_at: Date | null;
        repeat_offender: boolean;
      }>
    >(
      `SELECT DISTINCT ON (o.enterprise_id) o.id AS order_id, o.enterprise_id, e.grade, o.received_at,
              o.receipt_due_at,
              EXISTS (SELECT 1 FROM inspection i
                       WHERE i.enterprise_id = o.enterprise_id AND i.result = 'VIOLATION'
                         AND i.alert_id <> o.alert_id AND i.inspected_at <= $3) AS repeat_offender
         FROM reduction_order o
         JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.alert_id = $1 AND o.state = ANY($2::text[])
        ORDER BY o.enterprise_id, o.created_at DESC, o.id DESC`,
      [alertId, IN_FORCE_STATES, now],
    );
    const discrepancies = await this.discrepancies.countsByEnterprise(alertId);
    return rows.map((r) => ({
      orderId: r.order_id,
      enterpriseId: r.enterprise_id,
      grade: r.grade,
      nonResponder: isNonResponder({ receivedAt: r.received_at, receiptDueAt: r.receipt_due_at }, now),
      repeatOffender: r.repeat_offender,
      discrepancies: discrepancies.get(r.enterprise_id) ?? 0,
    }));
  }

  /** Draws and keeps a plan of `size` picks (a random seed when none is given), audited as `inspection.plan-drawn`. */
  async draw(alertId: string, input: { size: number; seed?: number }, actor: Actor): Promise<PlanView> {
    await this.alert(alertId);
    if (!actor.id) throw new DomainError('FORBIDDEN', '检查计划须由工作人员抽取');
    const candidates = await this.candidates(alertId);
    if (candidates.length === 0)
      throw new DomainError('CONFLICT', '该预警没有正在执行减排指令的企业,无法抽取检查名单');
    const seed = input.seed ?? randomInt(0, SEED_MAX);
    const picks = drawSample(candidates, input.size, seed);
    const now = this.clock.now();
    const planId = await this.dataSource.transaction(async (m) => {
      // Draws of one warning are numbered in turn: the warning's row is the lock.
      await m.query('SELECT 1 FROM alert WHERE id = $1 FOR UPDATE', [alertId]);
      const [{ id }] = await m.query<Array<{ id: string }>>(
        `INSERT INTO inspection_plan (alert_id, number, seed, size, population, weights, drawn_by_id, drawn_by_name,
                                      created_at)
         SELECT $1, COALESCE(max(number), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM inspection_plan WHERE alert_id = $1
         RETURNING id`,
        [
          alertId,
          seed,
          input.size,
          candidates.length,
          JSON.stringify(INSPECTION_WEIGHTS),
          actor.id,
          actor.name ?? '',
          now,
        ],
      );
      for (const p of picks) {
        await m.query(
          `INSERT INTO inspection_plan_item (plan_id, rank, order_id, enterprise_id, weight, sample_key, reasons, reason_text)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            id,
            p.rank,
            p.candidate.orderId,
            p.candidate.enterpriseId,
            p.weight,
            p.key,
            p.reasons,
            reasonText(p.reasons),
          ],
        );
      }
      await this.audit.record(
        {
          actor,
          action: 'inspection.plan-drawn',
          subjectType: 'alert',
          subjectId: alertId,
          alertId,
          data: { planId: id, seed, size: input.size, population: candidates.length, picked: picks.length },
        },
        m,
      );
      return id;
    });
    return (await this.latest(alertId, planId))!;
  }

  /**
   * The warning's latest plan (or the one named), with each pick's enterprise and latest inspection; null when none.
   * The picks are those in the caller's counties (a county officer sees their counties' picks of the city's plan).
   */
  async latest(
    alertId: string,
    planId?: string,
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<PlanView | null> {
    await this.alert(alertId);
    const [plan] = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT id, alert_id, number, seed, size, population, weights, drawn_by_name, created_at,
              (SELECT count(*)::int FROM inspection_plan_item p WHERE p.plan_id = inspection_plan.id) AS picked
         FROM inspection_plan
        WHERE alert_id = $1 ${planId ? 'AND id = $2' : ''}
        ORDER BY number DESC LIMIT 1`,
      planId ? [alertId, planId] : [alertId],
    );
    if (!plan) return null;
    const items = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT p.rank, p.order_id, p.enterprise_id, e.name, o.county_code, COALESCE(c.name, o.county_code) AS county_name,
              e.grade, p.weight, p.reasons, p.reason_text, i.id AS inspection_id, i.result, i.inspected_at
         FROM inspection_plan_item p
         JOIN enterprise e ON e.id = p.enterprise_id
         JOIN reduction_order o ON o.id = p.order_id
         LEFT JOIN county c ON c.code = o.county_code
         LEFT JOIN LATERAL (SELECT id, result, inspected_at FROM inspection
                             WHERE order_id = p.order_id ORDER BY inspected_at DESC, created_at DESC LIMIT 1) i ON true
        WHERE p.plan_id = $1 AND ${scopeSql('o.county_code', '$2')}
        ORDER BY p.rank`,
      [plan.id, scopeCountiesParam(scope)],
    );
    return {
      id: plan.id as string,
      alertId: plan.alert_id as string,
      number: plan.number as number,
      seed: Number(plan.seed),
      size: plan.size as number,
      population: plan.population as number,
      picked: plan.picked as number,
      weights: plan.weights as Record<string, unknown>,
      drawnBy: plan.drawn_by_name as string,
      createdAt: plan.created_at as Date,
      items: items.map((r) => ({
        rank: r.rank as number,
        orderId: r.order_id as string,
        enterpriseId: r.enterprise_id as string,
        enterpriseName: r.name as string,
        countyCode: r.county_code as string,
        countyName: r.county_name as string,
        grade: r.grade as Grade,
        gradeName: GRADE_NAMES[r.grade as Grade] ?? (r.grade as string),
        weight: Number(r.weight),
        reasons: r.reasons as PickReason[],
        reasonText: r.reason_text as string,
        inspection: r.inspection_id
          ? {
              id: r.inspection_id as string,
              result: r.result as InspectionResult,
              resultName: INSPECTION_RESULT_NAMES[r.result as InspectionResult],
              inspectedAt: r.inspected_at as Date,
            }
          : null,
      })),
    };
  }

  private async alert(alertId: string): Promise<void> {
    if (
      !isUuid(alertId) ||
      !(await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length
    )
      throw DomainError.notFound('预警');
  }
}
