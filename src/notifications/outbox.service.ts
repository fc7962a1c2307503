import { isUuid } from '../common/ids';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { OutboxMessage, OutboxMessageHistory } from './outbox-message.entity';
import { MESSAGE_KINDS, MESSAGE_STATES, type MessageKind } from './outbox.rules';
import { OutboxSignal } from './outbox-signal';

/** One row of the console's outbox list. */
export interface OutboxListItem {
  id: string;
  kind: MessageKind;
  state: string;
  recipients: string[];
  attempts: number;
  sentAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  /** The enterprise, county bureau or department it addresses (null for the duty office's digests). */
  addressee: string | null;
  alertId: string | null;
  alertCode: string | null;
  documentNumber: string | null;
}

/**
 * A set of messages to queue, as a SELECT the caller owns (it reads its own tables): one message per row, with the
 * columns `order_id` (uuid), `alert_id`, `kind`, `recipients` (text[]) and `context` (jsonb; a bare NULL must be
 * cast, `NULL::jsonb`, or PostgreSQL reads it as text). Its placeholders are `$1`…`$n` for `params`.
 */
export interface OutboxSelection {
  sql: string;
  params: unknown[];
}

/**
 * The outbox's one writer for new messages (enqueue, enqueueSelected, both joining the caller's transaction),
 * reading it and putting dead letters back; sending is the dispatcher's alone.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly signal: OutboxSignal,
  ) {}

  /** Queues a message that belongs to no order (a digest), inside the caller's transaction. */
  async enqueue(
    m: EntityManager,
    message: {
      kind: MessageKind;
      recipients: string[];
      context: Record<string, unknown>;
      alertId?: string | null;
    },
  ): Promise<string> {
    const [{ id }] = await m.query<Array<{ id: string }>>(
      `INSERT INTO outbox_message (id, order_id, alert_id, kind, recipients, context, state, attempts, next_attempt_at)
       VALUES (gen_random_uuid(), NULL, $1, $2, $3::text[], $4::jsonb, 'QUEUED', 0, $5) RETURNING id`,
      [
        message.alertId ?? null,
        message.kind,
        message.recipients,
        JSON.stringify(message.context),
        this.clock.now(),
      ],
    );
    return id;
  }

  /**
   * Queues one message per row of the caller's selection, inside the caller's transaction, in a single
   * INSERT … SELECT whatever the number of rows (a red warning for 10,000 enterprises is one statement). Rows
   * without recipients are skipped: nothing could be sent. Returns the queued messages with their orders.
   */
  async enqueueSelected(
    m: EntityManager,
    selection: OutboxSelection,
  ): Promise<Array<{ id: string; orderId: string | null }>> {
    const at = `$${selection.params.length + 1}`;
    const rows = await m.query<Array<{ id: string; order_id: string | null }>>(
      `INSERT INTO outbox_message (id, order_id, alert_id, kind, recipients, context, state, attempts, next_attempt_at)
       SELECT gen_random_uuid(), src.order_id, src.alert_id, src.kind, src.recipients, src.context, 'QUEUED', 0, ${at}
         FROM (${selection.sql}) AS src
        WHERE cardinality(src.recipients) > 0
       RETURNING id, order_id`,
      [...selection.params, this.clock.now()],
    );
    return rows.map((r) => ({ id: r.id, orderId: r.order_id }));
  }

  async list(filters: {
    state?: string;
    alertId?: string;
  }): Promise<Array<OutboxMessage & { documentNumber: string | null }>> {
    if (filters.state && !(MESSAGE_STATES as readonly string[]).includes(filters.state)) {
      throw DomainError.validation([
        { field: 'state', message: `状态应为 ${MESSAGE_STATES.join('、')} 之一` },
      ]);
    }
    if (filters.alertId && !isUuid(filters.alertId))
      throw DomainError.validation([{ field: 'alertId', message: '不是有效的预警编号' }]);
    const messages = await this.dataSource.getRepository(OutboxMessage).find({
      where: {
        ...(filters.state ? { state: filters.state as OutboxMessage['state'] } : {}),
        ...(filters.alertId ? { alertId: filters.alertId } : {}),
      },
      order: { createdAt: 'DESC' },
      take: 500,
    });
    // The 文号 of the notice each message carries (or reminds of): its context's, else its order's revision's.
    const numbers = new Map(
      (
        await this.dataSource.query<Array<{ id: string; number: string | null }>>(
          `SELECT m.id, COALESCE(m.context->>'documentNumber', r.document_number) AS number
             FROM outbox_message m
             LEFT JOIN reduction_order o ON o.id = m.order_id
             LEFT JOIN alert_revision r ON r.id = o.revision_id
            WHERE m.id = ANY($1::uuid[])`,
          [messages.map((m) => m.id)],
        )
      ).map((r) => [r.id, r.number]),
    );
    return messages.map((m) => Object.assign(m, { documentNumber: numbers.get(m.id) ?? null }));
  }

  /**
   * The console's outbox: messages newest first with whom they address (enterprise, county bureau or department),
   * their warning and 文号, filtered by state and kind and searched by addressee, warning code, 文号 or recipient
   * address; a page at a time with the total. One query for the page, one for the count.
   */
  async search(filters: {
    state?: string;
    kind?: string;
    q?: string;
    page: number;
    pageSize: number;
  }): Promise<{ items: OutboxListItem[]; total: number; page: number; pageSize: number }> {
    const state =
      filters.state && (MESSAGE_STATES as readonly string[]).includes(filters.state) ? filters.state : null;
    const kind =
      filters.kind && (MESSAGE_KINDS as readonly string[]).includes(filters.kind) ? filters.kind : null;
    const q = filters.q?.trim() || null;
    const pageSize = Math.min(Math.max(filters.pageSize, 1), 200);
    const page = Math.max(filters.page, 1);
    const from = `FROM outbox_message m
         LEFT JOIN reduction_order o ON o.id = m.order_id
         LEFT JOIN enterprise e ON e.id = o.enterprise_id
         LEFT JOIN party_notice p ON p.message_id = m.id
         LEFT JOIN alert a ON a.id = COALESCE(o.alert_id, m.alert_id, p.alert_id)
         LEFT JOIN alert_revision r ON r.id = COALESCE(o.revision_id, p.revision_id)
        WHERE ($1::text IS NULL OR m.state = $1) AND ($2::text IS NULL OR m.kind = $2)
          AND ($3::text IS NULL
               OR e.name ILIKE '%' || $3 || '%' OR p.party_name ILIKE '%' || $3 || '%'
               OR m.context -> 'enterprise' ->> 'name' ILIKE '%' || $3 || '%'
               OR a.code = $3 OR COALESCE(m.context ->> 'documentNumber', r.document_number) = $3
               OR lower($3) = ANY(m.recipients))`;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<Array<Record<string, unknown>>>(
        `SELECT m.id, m.kind, m.state, m.recipients, m.attempts, m.sent_at, m.last_error, m.created_at,
                COALESCE(e.name, p.party_name, m.context -> 'enterprise' ->> 'name') AS addressee,
                a.id AS alert_id, a.code AS alert_code,
                COALESCE(m.context ->> 'documentNumber', r.document_number) AS document_number
           ${from}
          ORDER BY m.created_at DESC, m.id LIMIT $4 OFFSET $5`,
        [state, kind, q, pageSize, (page - 1) * pageSize],
      ),
      this.dataSource.query<Array<{ total: number }>>(`SELECT count(*)::int AS total ${from}`, [
        state,
        kind,
        q,
      ]),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id as string,
        kind: r.kind as MessageKind,
        state: r.state as string,
        recipients: r.recipients as string[],
        attempts: Number(r.attempts),
        sentAt: (r.sent_at as Date | null) ?? null,
        lastError: (r.last_error as string | null) ?? null,
        createdAt: r.created_at as Date,
        addressee: (r.addressee as string | null) ?? null,
        alertId: (r.alert_id as string | null) ?? null,
        alertCode: (r.alert_code as string | null) ?? null,
        documentNumber: (r.document_number as string | null) ?? null,
      })),
      total,
      page,
      pageSize,
    };
  }

  async get(id: string): Promise<OutboxMessage> {
    const message = isUuid(id) ? await this.dataSource.getRepository(OutboxMessage).findOneBy({ id }) : null;
    if (!message) throw DomainError.notFound('消息');
    return message;
  }

  async history(id: string): Promise<OutboxMessageHistory[]> {
    if (!isUuid(id) || !(await this.dataSource.getRepository(OutboxMessage).existsBy({ id })))
      throw DomainError.notFound('消息');
    return this.dataSource
      .getRepository(OutboxMessageHistory)
      .find({ where: { messageId: id }, order: { id: 'ASC' } });
  }

  async requeue(id: string, actor: Actor): Promise<OutboxMessage> {
    if (!isUuid(id)) throw DomainError.notFound('消息');
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const message = await m
        .getRepository(OutboxMessage)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.id = :id', { id })
        .getOne();
      if (!message) throw DomainError.notFound('消息');
      if (message.state !== 'FAILED')
        throw new DomainError('OUTBOX_NOT_FAILED', `只有发送失败的消息可以重新排队(当前:${message.state})`);
      message.state = 'QUEUED';
      message.nextAttemptAt = now;
      await m.save(message);
      await m.insert(OutboxMessageHistory, {
        messageId: id,
        fromState: 'FAILED',
        toState: 'QUEUED',
        attempt: message.attempts,
        detail: `requeued by ${actor.name}`,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: 'message.requeued',
          subjectType: 'outbox_message',
          subjectId: id,
          alertId: message.alertId ?? undefined,
          data: { lastError: message.lastError },
        },
        m,
      );
      return message;
    });
  }

  /** How many of a warning's messages are dead letters (FAILED), for the console's re-send button. */
  async countFailed(alertId: string): Promise<number> {
    if (!isUuid(alertId)) return 0;
    const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state = 'FAILED'`,
      [alertId],
    );
    return n;
  }

  /**
   * A warning named by its id or its code (what the outbox page's search holds), with how many of its messages
   * failed; null when there is no such warning.
   */
  async failedOfWarning(ref: {
    id?: string;
    code?: string;
  }): Promise<{ alertId: string; code: string; failed: number } | null> {
    if (ref.id !== undefined && !isUuid(ref.id)) return null;
    if (ref.id === undefined && !ref.code) return null;
    const [row] = await this.dataSource.query<Array<{ id: string; code: string; failed: number }>>(
      `SELECT a.id, a.code,
              (SELECT count(*) FROM outbox_message m WHERE m.alert_id = a.id AND m.state = 'FAILED')::int AS failed
         FROM alert a WHERE ${ref.id !== undefined ? 'a.id = $1::uuid' : 'a.code = $1'}`,
      [ref.id ?? ref.code],
    );
    return row ? { alertId: row.id, code: row.code, failed: row.failed } : null;
  }

  /**
   * Puts every FAILED message of a warning back in the queue: one statement for the messages and their history;
   * audited as the person's one action (`messages.requeued-failed`, with the count and the ids) and, in the same
   * set-based append, one `message.requeued` entry per message, as re-sending a single message is. A message
   * re-queued meanwhile (one by one) is simply not counted.
   */
  async requeueFailedForAlert(alertId: string, actor: Actor): Promise<{ requeued: number }> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (m) => {
      const exists = await m.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId]);
      if (exists.length === 0) throw DomainError.notFound('预警');
      const rows = await m.query<Array<{ id: string; last_error: string | null }>>(
        `WITH requeued AS (
           UPDATE outbox_message SET state = 'QUEUED', next_attempt_at = $2, updated_at = $2
            WHERE alert_id = $1 AND state = 'FAILED'
           RETURNING id, attempts, last_error),
         history AS (
           INSERT INTO outbox_message_history (message_id, from_state, to_state, attempt, detail, at)
           SELECT id, 'FAILED', 'QUEUED', attempts, $3, $2 FROM requeued)
         SELECT id, last_error FROM requeued ORDER BY id`,
        [alertId, now, `requeued with the warning's failed messages by ${actor.name}`],
      );
      const ids = rows.map((r) => r.id);
      await this.audit.record(
        [
          {
            actor,
            action: 'messages.requeued-failed',
            subjectType: 'alert',
            subjectId: alertId,
            alertId,
            data: { count: ids.length, messageIds: ids },
          },
          ...rows.map((r) => ({
            actor,
            action: 'message.requeued' as const,
            subjectType: 'outbox_message',
            subjectId: r.id,
            alertId,
            data: { lastError: r.last_error, withWarning: true },
          })),
        ],
        m,
      );
      return { requeued: ids.length };
    });
    if (result.requeued > 0) this.signal.notify(); // the dispatch job starts at once rather than at its next tick
    return result;
  }
}
