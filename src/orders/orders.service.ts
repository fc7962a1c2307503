import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Alert, AlertChange, AlertRevision } from '../alerts/alert.entity';
import { RevisionEffects } from '../alerts/revision-effects';
import { SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { createHash } from 'node:crypto';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { Ruleset } from '../rulesets/ruleset.entity';
import { deadlines, ORDER_STATES } from './order.rules';
import {
  CURRENT_ORDER_SQL,
  END_NOTICE_PROBLEM_SQL,
  NOTICE_TYPE_SQL,
  ORDER_SCOPE_FROM,
  orderScopeCtes,
  PROBLEM_SQL,
} from './order-scope.sql';

interface CreatedOrder {
  id: string;
  enterprise_id: string;
  notice_type: string;
  problem: string | null;
  recipients: string[];
}

export interface OrderRow {
  orderId: string;
  enterpriseId: string;
  enterpriseName: string;
  creditCode: string;
  countyCode: string;
  grade: string;
  level: string;
  noticeType: string;
  problem: string | null;
  state: string;
  deliveryState: string | null;
  /** The order's latest notice (reminders aside), for its delivery history. */
  messageId: string | null;
  receiptDueAt: Date | null;
  reportDueAt: Date | null;
  receivedAt: Date | null;
  executedAt: Date | null;
  revisionId: string;
}

/**
 * Turns an approved revision into orders, in the approval's transaction, with set-based statements:
 * one INSERT … SELECT for the orders of every enterprise in scope, one for their outbox messages, one for the
 * messages' history, one for the audit entries, whatever the number of enterprises.
 */
@Injectable()
export class OrdersService extends RevisionEffects {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async onApproved(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    _change: AlertChange,
  ): Promise<void> {
    // The set-based statements below are planned with poor row estimates, so PostgreSQL's JIT would compile
    // them (≈440 ms at 10,000 enterprises) to save far less; off for this transaction only.
    await m.query('SET LOCAL jit = off');
    switch (revision.kind) {
      case 'ISSUE':
      case 'UPGRADE':
      case 'DOWNGRADE':
        return this.createOrders(m, alert, revision);
      case 'LIFT':
      case 'CANCEL':
        return this.createEndNotices(m, alert, revision);
      case 'EXTEND':
        return; // the expected end changes; the orders stand
    }
  }

  private async createOrders(m: EntityManager, alert: Alert, revision: AlertRevision): Promise<void> {
    const now = this.clock.now();
    const ruleset = await m.getRepository(Ruleset).findOneByOrFail({ id: alert.rulesetId });
    const due = deadlines(now, revision.effectiveAt, ruleset.definition.deadlines);
    const orders = await m.query<CreatedOrder[]>(
      `WITH prev AS (
         SELECT DISTINCT ON (enterprise_id) id, enterprise_id FROM reduction_order
          WHERE alert_id = $1 AND state NOT IN ('SUPERSEDED', 'LIFTED') ORDER BY enterprise_id, created_at DESC),
       ${orderScopeCtes({ countyCodes: '$3', level: '$4', alertEffectiveAt: '$5', revisionEffectiveAt: '$6' })}
       INSERT INTO reduction_order (alert_id, revision_id, enterprise_id, county_code, level, notice_type, state, problem, measures,
                                    recipients, effective_at, receipt_due_at, report_due_at, supersedes_order_id)
       SELECT $1, $2, s.id, s.county_code, $4,
              ${NOTICE_TYPE_SQL}, 'PENDING', ${PROBLEM_SQL},
              COALESCE(ms.list, '[]'::jsonb), em.emails, $6, $7, $8, prev.id
         FROM ${ORDER_SCOPE_FROM}
         LEFT JOIN prev ON prev.enterprise_id = s.id
       RETURNING id, enterprise_id, notice_type, problem, recipients`,
      [
        alert.id,
        revision.id,
        revision.countyCodes,
        revision.level,
        alert.effectiveAt,
        revision.effectiveAt,
        due.receiptDueAt,
        due.reportDueAt,
      ],
    );
    await m.query(
      `UPDATE reduction_order SET state = 'SUPERSEDED', updated_at = $3
        WHERE alert_id = $1 AND revision_id <> $2 AND state NOT IN ('SUPERSEDED', 'LIFTED')`,
      [alert.id, revision.id, now],
    );
    await this.queueMessages(
      m,
      revision,
      now,
      revision.kind === 'ISSUE'
        ? "'ORDER_ISSUED'"
        : "CASE WHEN o.supersedes_order_id IS NULL THEN 'ORDER_ISSUED' ELSE 'ORDER_ADJUSTED' END",
    );
    await this.auditOrders(m, alert, revision, orders);
  }

  /** Lift or cancel: each enterprise's current order ends, and it gets a notice saying so. */
  private async createEndNotices(m: EntityManager, alert: Alert, revision: AlertRevision): Promise<void> {
    const now = this.clock.now();
    const notice = revision.kind === 'LIFT' ? 'LIFT' : 'CANCEL';
    const orders = await m.query<CreatedOrder[]>(
      `WITH ended AS (
         UPDATE reduction_order SET state = 'LIFTED', updated_at = $5
          WHERE alert_id = $1 AND ${CURRENT_ORDER_SQL}
         RETURNING id, enterprise_id, county_code, recipients)
       INSERT INTO reduction_order (alert_id, revision_id, enterprise_id, county_code, level, notice_type, state, problem, measures,
                                    recipients, effective_at, supersedes_order_id)
       SELECT $1, $2, enterprise_id, county_code, $3, $4, 'PENDING', ${END_NOTICE_PROBLEM_SQL},
              '[]'::jsonb, recipients, $6, id
         FROM ended
       RETURNING id, enterprise_id, notice_type, problem, recipients`,
      [alert.id, revision.id, revision.level, notice, now, revision.effectiveAt],
    );
    await this.queueMessages(m, revision, now, notice === 'LIFT' ? "'ORDER_LIFTED'" : "'ORDER_CANCELLED'");
    await this.auditOrders(m, alert, revision, orders);
  }

  /** One outbox message per order with recipients (its creation is the message's created_at; history records changes). */
  private async queueMessages(
    m: EntityManager,
    revision: AlertRevision,
    now: Date,
    kindSql: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO outbox_message (id, order_id, alert_id, kind, recipients, state, attempts, next_attempt_at)
       SELECT gen_random_uuid(), o.id, o.alert_id, ${kindSql}, o.recipients, 'QUEUED', 0, $2
         FROM reduction_order o WHERE o.revision_id = $1 AND cardinality(o.recipients) > 0`,
      [revision.id, now],
    );
  }

  /**
   * One audit entry per revision for its orders: the counts, the enterprises that need a person, and a
   * sha256 over every "order id:enterprise id" pair, so the full set is provable without 10,000 entries
   * in the approval's transaction (the orders themselves are the detailed record).
   */
  private async auditOrders(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    orders: CreatedOrder[],
  ): Promise<void> {
    const count = (pred: (o: CreatedOrder) => boolean) => orders.filter(pred).length;
    const pairs = orders.map((o) => `${o.id}:${o.enterprise_id}`).sort();
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'orders.created',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          revisionId: revision.id,
          kind: revision.kind,
          orders: orders.length,
          ordersSha256: createHash('sha256').update(pairs.join('\n')).digest('hex'),
          noEmail: orders.filter((o) => o.problem === 'NO_EMAIL').map((o) => o.enterprise_id),
          noPlan: orders.filter((o) => o.problem === 'NO_PLAN').map((o) => o.enterprise_id),
          voluntary: count((o) => o.notice_type === 'VOLUNTARY'),
          protected: count((o) => o.notice_type === 'PROTECTED'),
        },
      },
      m,
    );
  }

  /** One row per enterprise of the warning's current orders (superseded ones are history). */
  async listForAlert(
    alertId: string,
    filters: { state?: string; countyCode?: string; problem?: string; grade?: string },
  ): Promise<OrderRow[]> {
    if (filters.state && !(ORDER_STATES as readonly string[]).includes(filters.state)) {
      throw DomainError.validation([{ field: 'state', message: `状态应为 ${ORDER_STATES.join('、')} 之一` }]);
    }
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT o.id, o.enterprise_id, e.name, e.credit_code, o.county_code, e.grade, o.level, o.notice_type, o.problem, o.state,
              o.receipt_due_at, o.report_due_at, o.received_at, o.executed_at, o.revision_id,
              last.state AS delivery_state, last.id AS message_id
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
         LEFT JOIN LATERAL (
           SELECT om.id, om.state FROM outbox_message om
            WHERE om.order_id = o.id AND om.kind <> 'REMINDER' ORDER BY om.created_at DESC LIMIT 1
         ) last ON true
        WHERE o.alert_id = $1 AND o.state <> 'SUPERSEDED'
          AND ($2::text IS NULL OR o.state = $2) AND ($3::text IS NULL OR o.county_code = $3) AND ($4::text IS NULL OR o.problem = $4)
          AND ($5::text IS NULL OR e.grade = $5)
        ORDER BY o.county_code, e.name`,
      [
        alertId,
        filters.state ?? null,
        filters.countyCode ?? null,
        filters.problem ?? null,
        filters.grade ?? null,
      ],
    );
    if (
      rows.length === 0 &&
      (await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length === 0
    )
      throw DomainError.notFound('预警');
    return rows.map((r) => ({
      orderId: r.id as string,
      enterpriseId: r.enterprise_id as string,
      enterpriseName: r.name as string,
      creditCode: r.credit_code as string,
      countyCode: r.county_code as string,
      grade: r.grade as string,
      level: r.level as string,
      noticeType: r.notice_type as string,
      problem: (r.problem as string | null) ?? null,
      state: r.state as string,
      deliveryState: (r.delivery_state as string | null) ?? null,
      messageId: (r.message_id as string | null) ?? null,
      receiptDueAt: r.receipt_due_at as Date | null,
      reportDueAt: r.report_due_at as Date | null,
      receivedAt: r.received_at as Date | null,
      executedAt: r.executed_at as Date | null,
      revisionId: r.revision_id as string,
    }));
  }
}
