import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import {
  ALL_COUNTIES,
  type CountyScope,
  inCountyScope,
  scopeCountiesParam,
  scopeSql,
} from '../auth/county-scope';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import type { CreateFollowUpDto } from './dto/follow-up.dto';
import {
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_OUTCOME_NAMES,
  type FollowUpAuthor,
  type FollowUpKind,
  type FollowUpOutcome,
  followUpRefusal,
  happenedAtProblems,
} from './follow-up.rules';

/** A follow-up as the API and the console read it. */
export interface FollowUpView {
  id: string;
  orderId: string;
  alertId: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  kind: FollowUpKind;
  kindName: string;
  outcome: FollowUpOutcome;
  outcomeName: string;
  note: string | null;
  contactName: string | null;
  happenedAt: Date;
  recordedBy: string;
  createdAt: Date;
}

/** The order a follow-up is for, with what the form and the rules need. */
export interface FollowUpOrder {
  id: string;
  alertId: string;
  alertCode: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  state: string;
  /** When the order was written: its revision's approval (by the service's clock). */
  writtenAt: Date;
  contacts: Array<{ name: string; role: string | null; phone: string | null }>;
}

const LIST_MAX = 500;

const SELECT_VIEW = `SELECT f.id, f.order_id, f.alert_id, o.enterprise_id, e.name AS enterprise_name, o.county_code,
                            f.kind, f.outcome, f.note, f.contact_name, f.happened_at, f.recorded_by_name, f.created_at, f.seq
                       FROM order_follow_up f
                       JOIN reduction_order o ON o.id = f.order_id
                       JOIN enterprise e ON e.id = o.enterprise_id`;
/** Newest first; two at the same minute in the order they were written. */
const NEWEST_FIRST = 'ORDER BY f.happened_at DESC, f.seq DESC';

function viewOf(r: Record<string, unknown>): FollowUpView {
  const kind = r.kind as FollowUpKind;
  const outcome = r.outcome as FollowUpOutcome;
  return {
    id: r.id as string,
    orderId: r.order_id as string,
    alertId: r.alert_id as string,
    enterpriseId: r.enterprise_id as string,
    enterpriseName: r.enterprise_name as string,
    countyCode: r.county_code as string,
    kind,
    kindName: FOLLOW_UP_KIND_NAMES[kind] ?? kind,
    outcome,
    outcomeName: FOLLOW_UP_OUTCOME_NAMES[outcome] ?? outcome,
    note: (r.note as string | null) ?? null,
    contactName: (r.contact_name as string | null) ?? null,
    happenedAt: r.happened_at as Date,
    recordedBy: r.recorded_by_name as string,
    createdAt: r.created_at as Date,
  };
}

/**
 * Follow-up records of reduction orders (issue 17): the one writer of order_follow_up. Each record is audited
 * (`order.followed-up`) in the transaction that writes it, so it also shows in the warning's timeline.
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The order with its enterprise and contacts; 404 when there is none, or it is outside the caller's counties. */
  async order(orderId: string, scope: CountyScope = ALL_COUNTIES): Promise<FollowUpOrder> {
    if (!isUuid(orderId)) throw DomainError.notFound('指令');
    const [r] = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT o.id, o.alert_id, a.code AS alert_code, o.enterprise_id, e.name, o.county_code, o.state,
              r.approved_at AS written_at, e.contacts
         FROM reduction_order o
         JOIN enterprise e ON e.id = o.enterprise_id
         JOIN alert a ON a.id = o.alert_id
         JOIN alert_revision r ON r.id = o.revision_id
        WHERE o.id = $1`,
      [orderId],
    );
    // Another county's order is not found, so ids do not tell a county officer what exists elsewhere.
    if (!r || !inCountyScope(scope, r.county_code as string)) throw DomainError.notFound('指令');
    return {
      id: r.id as string,
      alertId: r.alert_id as string,
      alertCode: r.alert_code as string,
      enterpriseId: r.enterprise_id as string,
      enterpriseName: r.name as string,
      countyCode: r.county_code as string,
      state: r.state as string,
      writtenAt: r.written_at as Date,
      contacts: ((r.contacts as Array<{ name?: string; role?: string; phone?: string }> | null) ?? []).map(
        (c) => ({ name: c.name ?? '', role: c.role ?? null, phone: c.phone ?? null }),
      ),
    };
  }

  /**
   * Records a follow-up of an order: who may is `followUpRefusal`'s to say (403), when it happened
   * `happenedAtProblems`' (422 naming 跟进时间); written and audited in one transaction.
   */
  async record(
    orderId: string,
    input: CreateFollowUpDto,
    author: FollowUpAuthor,
    actor: Actor,
  ): Promise<FollowUpView> {
    const order = await this.order(orderId, author.scope ?? ALL_COUNTIES);
    const refusal = followUpRefusal(author, order);
    if (refusal) throw new DomainError('FORBIDDEN', refusal);
    if (!actor.id) throw new DomainError('FORBIDDEN', '跟进情况须由工作人员记录');
    const now = this.clock.now();
    const happenedAt = input.happenedAt ? new Date(input.happenedAt) : now;
    const problems = happenedAtProblems(happenedAt, now, order.writtenAt);
    if (problems.length) throw DomainError.validation(problems);
    const note = input.note?.trim() || null;
    const contactName = input.contactName?.trim() || null;
    return this.dataSource.transaction(async (m) => {
      const [{ id }] = await m.query<Array<{ id: string }>>(
        `INSERT INTO order_follow_up (order_id, alert_id, kind, outcome, note, contact_name, happened_at,
                                      recorded_by_id, recorded_by_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          order.id,
          order.alertId,
          input.kind,
          input.outcome,
          note,
          contactName,
          happenedAt,
          actor.id,
          actor.name ?? '',
          now,
        ],
      );
      await this.audit.record(
        {
          actor,
          action: 'order.followed-up',
          subjectType: 'order',
          subjectId: order.id,
          alertId: order.alertId,
          data: {
            followUpId: id,
            enterpriseName: order.enterpriseName,
            kind: input.kind,
            outcome: input.outcome,
            contactName,
            note,
            happenedAt,
          },
        },
        m,
      );
      const [row] = await m.query<Array<Record<string, unknown>>>(`${SELECT_VIEW} WHERE f.id = $1`, [id]);
      return viewOf(row);
    });
  }

  /** An order's follow-ups, newest first (at most 500). */
  async listForOrder(orderId: string, scope: CountyScope = ALL_COUNTIES): Promise<FollowUpView[]> {
    await this.order(orderId, scope);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} WHERE f.order_id = $1 ${NEWEST_FIRST} LIMIT ${LIST_MAX}`,
      [orderId],
    );
    return rows.map(viewOf);
  }

  /** A warning's follow-ups within the caller's counties, newest first, a page at a time with the total. */
  async pageForAlert(
    alertId: string,
    opts: { page?: number; pageSize?: number } = {},
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<{ items: FollowUpView[]; total: number; page: number; pageSize: number }> {
    if (
      !isUuid(alertId) ||
      !(await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length
    )
      throw DomainError.notFound('预警');
    const page = Math.max(Math.trunc(opts.page ?? 1), 1);
    const pageSize = Math.min(Math.max(Math.trunc(opts.pageSize ?? 50), 1), 200);
    const counties = scopeCountiesParam(scope);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<Array<Record<string, unknown>>>(
        `${SELECT_VIEW} WHERE f.alert_id = $1 AND ${scopeSql('o.county_code', '$4')} ${NEWEST_FIRST} LIMIT $2 OFFSET $3`,
        [alertId, pageSize, (page - 1) * pageSize, counties],
      ),
      this.dataSource.query<Array<{ total: number }>>(
        `SELECT count(*)::int AS total FROM order_follow_up f JOIN reduction_order o ON o.id = f.order_id
          WHERE f.alert_id = $1 AND ${scopeSql('o.county_code', '$2')}`,
        [alertId, counties],
      ),
    ]);
    return { items: rows.map(viewOf), total, page, pageSize };
  }

  /** The latest follow-up of each of these orders (one query), by order id. */
  async latestForOrders(orderIds: readonly string[]): Promise<Map<string, FollowUpView>> {
    const ids = orderIds.filter(isUuid);
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT DISTINCT ON (f.order_id) * FROM (${SELECT_VIEW} WHERE f.order_id = ANY($1::uuid[])) f
        ORDER BY f.order_id, f.happened_at DESC, f.seq DESC`,
      [ids],
    );
    return new Map(rows.map((r) => [r.order_id as string, viewOf(r)]));
  }
}
