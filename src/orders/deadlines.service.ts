import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Actor, SYSTEM_ACTOR } from '../audit/actor';
import { isUuid } from '../common/ids';
import { DomainError } from '../common/errors/domain-error';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OutboxService } from '../notifications/outbox.service';
import { ORDER_STATE_NAMES, type OrderState } from './order.rules';

/** Orders that call for an answer from the enterprise (lift and cancel notices do not). */
const ANSWERABLE = "('MANDATORY', 'VOLUNTARY', 'PROTECTED')";

/**
 * What a reminder asks of an order now: to confirm receipt (not yet received), to report (received, not reported),
 * or null when nothing is owed (executed, ended, superseded, written ahead, or a notice without an answer).
 */
export function remindStage(
  state: OrderState,
  noticeType: string,
  received: boolean,
): 'receipt' | 'report' | null {
  if (!['MANDATORY', 'VOLUNTARY', 'PROTECTED'].includes(noticeType)) return null;
  if (state === 'PENDING' || state === 'SENT') return 'receipt';
  if (state === 'RECEIVED') return 'report';
  // Overdue: past a deadline with nothing, or received but not reported.
  if (state === 'OVERDUE') return received ? 'report' : 'receipt';
  return null;
}

export interface DeadlineRun {
  reminders: number;
  overdue: number;
  escalations: number;
}

/**
 * Chases answers: a reminder shortly before each deadline to enterprises that have not answered, OVERDUE
 * once it passes, and one escalation email per warning and county to the county bureau listing its newly
 * overdue enterprises. One transaction per run; the scheduler runs it under an advisory lock.
 */
@Injectable()
export class DeadlinesService {
  private readonly logger = new Logger(DeadlinesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 立即提醒: one reminder now to an enterprise that has not answered its order (to confirm receipt, or, once
   * received, to report), queued through the outbox in one statement, noted on the order and audited. The scheduled
   * reminder for the same stage is then not sent again.
   */
  async remindNow(
    orderId: string,
    actor: Actor,
  ): Promise<{ messageId: string; stage: 'receipt' | 'report' }> {
    if (!isUuid(orderId)) throw DomainError.notFound('指令');
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const [order] = await m.query<
        Array<{
          id: string;
          alert_id: string;
          state: OrderState;
          notice_type: string;
          recipients: string[];
          received: boolean;
        }>
      >(
        `SELECT id, alert_id, state, notice_type, recipients, received_at IS NOT NULL AS received
           FROM reduction_order WHERE id = $1 FOR UPDATE`,
        [orderId],
      );
      if (!order) throw DomainError.notFound('指令');
      const stage = remindStage(order.state, order.notice_type, order.received);
      if (!stage)
        throw new DomainError('ORDER_NOT_REMINDABLE', '该指令已落实、已结束或无需回执,不能再发送提醒');
      if (order.recipients.length === 0)
        throw new DomainError('ORDER_NOT_REMINDABLE', '该企业没有电子邮箱,无法发送提醒,请电话联系');
      const [queued] = await this.outbox.enqueueSelected(m, {
        sql: `SELECT o.id AS order_id, o.alert_id, 'REMINDER' AS kind, o.recipients,
                     jsonb_build_object('stage', $2::text, 'manual', true) AS context
                FROM reduction_order o WHERE o.id = $1`,
        params: [orderId, stage],
      });
      await m.query('UPDATE reduction_order SET reminded_at = $1 WHERE id = $2', [now, orderId]);
      await this.audit.record(
        {
          actor,
          action: 'order.reminded',
          subjectType: 'order',
          subjectId: orderId,
          alertId: order.alert_id,
          data: { stage, messageId: queued.id },
        },
        m,
      );
      return { messageId: queued.id, stage };
    });
  }

  async run(): Promise<DeadlineRun> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.config.reminderLeadMs);
    return this.dataSource.transaction(async (m) => {
      // The outbox queues the reminders (one statement); the orders note they were reminded (one more).
      const reminders = await this.outbox.enqueueSelected(m, {
        sql: `WITH due AS (
                SELECT o.id, o.alert_id, o.recipients,
                       CASE WHEN o.state IN ('PENDING', 'SENT') THEN 'receipt' ELSE 'report' END AS stage
                  FROM reduction_order o
                 WHERE o.notice_type IN ${ANSWERABLE}
                   AND ((o.state IN ('PENDING', 'SENT') AND o.receipt_due_at > $1 AND o.receipt_due_at <= $2)
                     OR (o.state = 'RECEIVED' AND o.report_due_at > $1 AND o.report_due_at <= $2)))
              SELECT due.id AS order_id, due.alert_id, 'REMINDER' AS kind, due.recipients,
                     jsonb_build_object('stage', due.stage) AS context
                FROM due WHERE NOT EXISTS (
                  SELECT 1 FROM outbox_message om
                   WHERE om.order_id = due.id AND om.kind = 'REMINDER' AND om.context->>'stage' = due.stage)`,
        params: [now, horizon],
      });
      if (reminders.length)
        await m.query('UPDATE reduction_order SET reminded_at = $1 WHERE id = ANY($2::uuid[])', [
          now,
          reminders.map((r) => r.orderId),
        ]);

      const [overdue] = await m.query<
        [
          Array<{
            id: string;
            alert_id: string;
            county_code: string;
            old_state: OrderState;
            due_at: Date;
            name: string;
            credit_code: string;
            document_number: string | null;
          }>,
          number,
        ]
      >(
        `WITH late AS (
           SELECT o.id, o.state AS old_state, CASE WHEN o.state = 'RECEIVED' THEN o.report_due_at ELSE o.receipt_due_at END AS due_at
             FROM reduction_order o
            WHERE o.notice_type IN ${ANSWERABLE}
              AND ((o.state IN ('PENDING', 'SENT') AND o.receipt_due_at <= $1) OR (o.state = 'RECEIVED' AND o.report_due_at <= $1))
            FOR UPDATE)
         UPDATE reduction_order o SET state = 'OVERDUE', updated_at = $1
           FROM late, enterprise e
          WHERE o.id = late.id AND e.id = o.enterprise_id
         RETURNING o.id, o.alert_id, o.county_code, late.old_state, late.due_at, e.name, e.credit_code,
                   (SELECT r.document_number FROM alert_revision r WHERE r.id = o.revision_id) AS document_number`,
        [now],
      );

      let escalations = 0;
      if (overdue.length) {
        const groups = new Map<string, typeof overdue>();
        for (const o of overdue)
          groups.set(`${o.alert_id}|${o.county_code}`, [
            ...(groups.get(`${o.alert_id}|${o.county_code}`) ?? []),
            o,
          ]);
        const counties = new Map(
          (
            await m.query<Array<{ code: string; name: string; bureau_email: string | null }>>(
              'SELECT code, name, bureau_email FROM county',
            )
          ).map((c) => [c.code, c]),
        );
        const records: AuditRecord[] = overdue.map((o) => ({
          actor: SYSTEM_ACTOR,
          action: 'order.overdue',
          subjectType: 'order',
          subjectId: o.id,
          alertId: o.alert_id,
          data: { state: [o.old_state, 'OVERDUE'], dueAt: o.due_at },
        }));
        for (const [key, list] of groups) {
          const [alertId, countyCode] = key.split('|');
          const county = counties.get(countyCode);
          const context = {
            countyName: county?.name ?? countyCode,
            overdue: list.map((o) => ({
              name: o.name,
              creditCode: o.credit_code,
              stateName:
                o.old_state === 'RECEIVED' ? '未报告落实情况' : `未签收(${ORDER_STATE_NAMES[o.old_state]})`,
              dueAt: o.due_at.toISOString(),
              // The notice it did not answer (文号), so the bureau can cite it when it follows up.
              documentNumber: o.document_number,
            })),
            documentNumbers: [...new Set(list.map((o) => o.document_number).filter(Boolean))],
          };
          if (county?.bureau_email) {
            await this.outbox.enqueue(m, {
              kind: 'ESCALATION',
              recipients: [county.bureau_email],
              context,
              alertId,
            });
            escalations++;
          }
          records.push({
            actor: SYSTEM_ACTOR,
            action: 'orders.escalated',
            subjectType: 'county',
            subjectId: countyCode,
            alertId,
            data: { bureauEmail: county?.bureau_email ?? null, enterprises: list.length },
          });
        }
        await this.audit.record(records, m);
      }
      if (reminders.length || overdue.length)
        this.logger.log(
          `reminders ${reminders.length}, overdue ${overdue.length}, escalations ${escalations}`,
        );
      return { reminders: reminders.length, overdue: overdue.length, escalations };
    });
  }
}
