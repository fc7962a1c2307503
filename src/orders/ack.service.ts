import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { Actor } from '../audit/actor';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { formatTime } from '../common/time';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { signAckToken, verifyAckToken } from './ack-token';
import { checkSigner } from './signer.rules';
import {
  ackTransition,
  measuresInPlaceAtError,
  ORDER_STATE_NAMES,
  type OrderMeasure,
  orderMeasures,
  type OrderState,
} from './order.rules';

export interface AckPage {
  enterpriseName: string;
  alertCode: string;
  levelName: string;
  level: WarningLevel;
  stateName: string;
  state: OrderState;
  effectiveAt: string;
  receiptDueAt: string;
  reportDueAt: string;
  receivedAt: string | null;
  executedAt: string | null;
  measuresInPlaceAt: string | null;
  /** Who signed for it and who reported, as recorded (null until then). */
  receivedBy: { name: string; phone: string | null } | null;
  reportedBy: { name: string; phone: string | null } | null;
  reportNote: string | null;
  measures: Array<OrderMeasure & { fromAt: string | null; toAt: string | null }>;
  /** Receipt can be confirmed (also in advance, for an order not yet in force). */
  canAct: boolean;
  /** Measures in place can be reported: only for an order in force. */
  canReport: boolean;
  /** For an order not yet in force: it is not, and from when it will be. */
  notYetInForce: boolean;
  /**
   * For an order in force: the change approved ahead that ends or replaces it, from when, and the link to the
   * next order (none for a lift or cancellation).
   */
  upcoming: {
    kind: 'LIFT' | 'CANCEL' | 'ADJUST';
    at: string;
    toLevel: WarningLevel;
    nextPath: string | null;
  } | null;
}

const REASONS = {
  MALFORMED: '链接格式不正确',
  FORGED: '链接无效(可能被改动或伪造)',
  EXPIRED: '链接已过期',
} as const;

/** What an enterprise can do through its signed link: see its order, confirm receipt, report measures in place. */
@Injectable()
export class AckService {
  private readonly logger = new Logger(AckService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private orderIdOf(token: string): string {
    const check = verifyAckToken(token, this.config.sessionSecret, this.clock.now());
    if (!check.ok)
      throw new DomainError(check.reason === 'EXPIRED' ? 'GONE' : 'NOT_FOUND', REASONS[check.reason]);
    return check.orderId;
  }

  async open(token: string): Promise<AckPage> {
    const orderId = this.orderIdOf(token);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT o.*, e.name AS enterprise_name, a.code AS alert_code, a.effective_at AS alert_start
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id JOIN alert a ON a.id = o.alert_id WHERE o.id = $1`,
      [orderId],
    );
    const r = rows[0];
    if (!r) throw new DomainError('NOT_FOUND', '指令不存在');
    const state = r.state as OrderState;
    const level = r.level as WarningLevel;
    const time = (v: unknown) => (v ? formatTime(v as Date) : null);
    const receivedAt = (r.received_at as Date | null) ?? null;
    return {
      enterpriseName: r.enterprise_name as string,
      alertCode: r.alert_code as string,
      levelName: LEVEL_NAMES[level],
      level,
      state,
      stateName: ORDER_STATE_NAMES[state],
      effectiveAt: formatTime(r.effective_at as Date),
      receiptDueAt: time(r.receipt_due_at) ?? '—',
      reportDueAt: time(r.report_due_at) ?? '—',
      receivedAt: time(r.received_at),
      executedAt: time(r.executed_at),
      measuresInPlaceAt: time(r.measures_in_place_at),
      receivedBy: r.received_by_name
        ? { name: r.received_by_name as string, phone: (r.received_by_phone as string | null) ?? null }
        : null,
      reportedBy: r.reported_by_name
        ? { name: r.reported_by_name as string, phone: (r.reported_by_phone as string | null) ?? null }
        : null,
      reportNote: (r.report_note as string | null) ?? null,
      measures: orderMeasures(r.measures as OrderMeasure[], r.alert_start as Date, r.effective_at as Date),
      canAct: !('error' in ackTransition(state, 'RECEIPT', receivedAt)),
      canReport: !('error' in ackTransition(state, 'REPORT', receivedAt)),
      notYetInForce: state === 'SCHEDULED',
      upcoming: state === 'SCHEDULED' ? null : await this.upcoming(orderId),
    };
  }

  /** The order (or end notice) written ahead to replace this one at a later effective time, if any. */
  private async upcoming(orderId: string): Promise<AckPage['upcoming']> {
    const [next] = await this.dataSource.query<
      Array<{
        id: string;
        notice_type: string;
        level: WarningLevel;
        effective_at: Date;
        report_due_at: Date | null;
      }>
    >(
      `SELECT id, notice_type, level, effective_at, report_due_at FROM reduction_order
        WHERE supersedes_order_id = $1 AND state = 'SCHEDULED' ORDER BY created_at DESC LIMIT 1`,
      [orderId],
    );
    if (!next) return null;
    const kind = next.notice_type === 'LIFT' || next.notice_type === 'CANCEL' ? next.notice_type : 'ADJUST';
    // The same lifetime as the link in the next order's own notice.
    const expires = new Date(
      (next.report_due_at ?? next.effective_at).getTime() + this.config.ackLinkDays * 86_400_000,
    );
    return {
      kind,
      at: formatTime(next.effective_at),
      toLevel: next.level,
      nextPath:
        kind === 'ADJUST' ? `/ack/${signAckToken(next.id, expires, this.config.sessionSecret)}` : null,
    };
  }

  /** Confirms receipt, naming the signer (签收人) and their phone; a second confirmation changes nothing. */
  receipt(
    token: string,
    input: { signerName?: unknown; signerPhone?: unknown },
    actor: Actor,
  ): Promise<{ changed: boolean }> {
    return this.enqueue(this.orderIdOf(token), 'RECEIPT', actor, { signer: checkSigner(input) });
  }

  /**
   * Reports the measures in place (time and note); implies receipt. The time is checked against the order's
   * issue before the report joins a batch, so an impossible one is refused alone and never reaches the database.
   */
  async report(
    token: string,
    input: { note: string; measuresInPlaceAt: Date; signerName?: unknown; signerPhone?: unknown },
    actor: Actor,
  ): Promise<{ changed: boolean }> {
    const orderId = this.orderIdOf(token);
    // Issued = the approval of the order's revision: the moment the order was written and its notice queued,
    // on the service's clock (created_at is the database's own now(), not the service's clock).
    const [order] = await this.dataSource.query<Array<{ issued_at: Date }>>(
      `SELECT r.approved_at AS issued_at FROM reduction_order o JOIN alert_revision r ON r.id = o.revision_id
        WHERE o.id = $1`,
      [orderId],
    );
    if (!order) throw new DomainError('NOT_FOUND', '指令不存在');
    const timeError = measuresInPlaceAtError(input.measuresInPlaceAt, order.issued_at, this.clock.now());
    const signer = checkSigner(input);
    const errors = [
      ...(timeError ? [{ field: 'measuresInPlaceAt', message: timeError }] : []),
      ...('errors' in signer ? signer.errors : []),
    ];
    if (timeError) throw DomainError.validation(errors);
    // A missing signer is refused in the batch, after the order's state: a report to an ended order says so first.
    return this.enqueue(orderId, 'REPORT', actor, {
      note: input.note,
      measuresInPlaceAt: input.measuresInPlaceAt,
      signer,
    });
  }

  /**
   * A signed-in staff member (a console session came with the request) tried to confirm or report for an
   * enterprise: refused, nothing written but the refusal itself, so a preview can never count as the enterprise's
   * answer. The token is checked only to name the order in the record; a bad one is refused all the same.
   */
  async refuseStaff(token: string, action: 'RECEIPT' | 'REPORT', actor: Actor): Promise<never> {
    const check = verifyAckToken(token, this.config.sessionSecret, this.clock.now());
    // An expired link's MAC was checked too, so its order id is genuine.
    const orderId = check.ok || check.reason === 'EXPIRED' ? (check.orderId ?? null) : null;
    const [order] = orderId
      ? await this.dataSource.query<Array<{ alert_id: string }>>(
          'SELECT alert_id FROM reduction_order WHERE id = $1',
          [orderId],
        )
      : [];
    await this.audit.recordEvent({
      actor,
      action: 'order.ack.refused-staff',
      subjectType: 'order',
      ...(order && orderId ? { subjectId: orderId, alertId: order.alert_id } : {}),
      data: {
        attempted: action === 'RECEIPT' ? 'receipt' : 'report',
        link: check.ok ? 'valid' : check.reason,
      },
    });
    throw new DomainError(
      'STAFF_CANNOT_ACK',
      '您已以工作人员身份登录控制台,不能代企业签收或报告。请由企业通过邮件中的链接(未登录控制台的浏览器)自行操作。',
    );
  }

  /**
   * Receipts and reports are written in batches: every request waiting while a batch commits goes into the
   * next one, with one transaction, one audit append and one commit for all of them. Under a burst (10,000
   * enterprises confirming within a minute) the audit chain's single head row is locked once per batch
   * instead of once per request; alone, a request is its own batch. Each request still gets its own outcome.
   */
  private enqueue(
    orderId: string,
    action: 'RECEIPT' | 'REPORT',
    actor: Actor,
    input: AckInput,
  ): Promise<{ changed: boolean }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ orderId, action, actor, input, resolve, reject });
      this.kick();
    });
  }

  private readonly queue: AckRequest[] = [];
  private draining: Promise<void> | null = null;

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      await this.commit(this.queue.splice(0, MAX_ACK_BATCH));
    }
  }

  /**
   * Commits one batch. If the database refuses a statement of it (something no check foresaw), nothing of it was
   * written, and each request is tried again as its own batch: the one at fault gets its error, the others commit.
   * Any other failure (no connection to be had) would fail each request alone too, so the batch shares it.
   */
  private async commit(batch: AckRequest[]): Promise<void> {
    let outcomes: Array<{ changed: boolean } | Error>;
    try {
      outcomes = await this.dataSource.transaction((m) => this.applyBatch(m, batch));
    } catch (e) {
      if (batch.length === 1 || !(e instanceof QueryFailedError)) return batch.forEach((r) => r.reject(e));
      this.logger.warn(
        `a batch of ${batch.length} acknowledgements failed (${String(e)}); retrying each alone`,
      );
      for (const request of batch) await this.commit([request]);
      return;
    }
    batch.forEach((request, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) request.reject(outcome);
      else request.resolve(outcome);
    });
  }

  private async applyBatch(
    m: EntityManager,
    batch: AckRequest[],
  ): Promise<Array<{ changed: boolean } | Error>> {
    const now = this.clock.now();
    const rows = await m.query<OrderAckRow[]>(
      `SELECT id, alert_id, enterprise_id, state, received_at, executed_at, measures_in_place_at, report_note,
              received_by_name, received_by_phone, reported_by_name, reported_by_phone
         FROM reduction_order WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...new Set(batch.map((b) => b.orderId))]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const dirty = new Set<OrderAckRow>();
    const records: AuditRecord[] = [];
    // In arrival order, so two requests for one order in a batch behave as they would one after the other.
    const outcomes = batch.map(({ orderId, action, actor, input }) => {
      const order = byId.get(orderId);
      if (!order) return new DomainError('NOT_FOUND', '指令不存在');
      const next = ackTransition(order.state, action, order.received_at);
      if ('error' in next) return new DomainError(next.code, next.error);
      const who: Actor = { ...actor, type: 'ENTERPRISE', id: order.enterprise_id };
      const subject = { subjectType: 'order', subjectId: order.id, alertId: order.alert_id };
      if (!next.changed) {
        records.push({
          actor: who,
          action: `order.${action === 'RECEIPT' ? 'receipt' : 'report'}.repeated`,
          ...subject,
        });
        return { changed: false };
      }
      // The signer is asked for only when something is recorded: a repeated confirmation needs none.
      if ('errors' in input.signer) return DomainError.validation(input.signer.errors);
      const { signer } = input.signer;
      const before = order.state;
      order.state = next.state;
      if (!order.received_at) {
        // A report implies receipt: its reporter signed for it too.
        order.received_at = now;
        order.received_by_name = signer.name;
        order.received_by_phone = signer.phone;
      }
      if (action === 'REPORT') {
        order.executed_at = now;
        order.measures_in_place_at = input.measuresInPlaceAt ?? now;
        order.report_note = input.note?.trim() || null;
        order.reported_by_name = signer.name;
        order.reported_by_phone = signer.phone;
      }
      dirty.add(order);
      records.push({
        actor: who,
        action: action === 'RECEIPT' ? 'order.received' : 'order.executed',
        ...subject,
        data: {
          state: [before, order.state],
          signer,
          ...(action === 'REPORT'
            ? { measuresInPlaceAt: order.measures_in_place_at, note: order.report_note }
            : {}),
        },
      });
      return { changed: true };
    });
    const changed = [...dirty];
    if (changed.length) {
      await m.query(
        `UPDATE reduction_order o
            SET state = u.state, received_at = u.received_at, executed_at = u.executed_at,
                measures_in_place_at = u.measures_in_place_at, report_note = u.report_note,
                received_by_name = u.received_by_name, received_by_phone = u.received_by_phone,
                reported_by_name = u.reported_by_name, reported_by_phone = u.reported_by_phone, updated_at = $7
           FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                       $8::text[], $9::text[], $10::text[], $11::text[])
                AS u(id, state, received_at, executed_at, measures_in_place_at, report_note,
                     received_by_name, received_by_phone, reported_by_name, reported_by_phone)
          WHERE o.id = u.id`,
        [
          changed.map((o) => o.id),
          changed.map((o) => o.state),
          changed.map((o) => o.received_at),
          changed.map((o) => o.executed_at),
          changed.map((o) => o.measures_in_place_at),
          changed.map((o) => o.report_note),
          now,
          changed.map((o) => o.received_by_name),
          changed.map((o) => o.received_by_phone),
          changed.map((o) => o.reported_by_name),
          changed.map((o) => o.reported_by_phone),
        ],
      );
    }
    if (records.length) await this.audit.record(records, m);
    return outcomes;
  }
}

/** Most acknowledgements written in one transaction. */
const MAX_ACK_BATCH = 500;

interface AckInput {
  note?: string;
  measuresInPlaceAt?: Date;
  /** Checked before the batch; its errors are returned only when the request would record something. */
  signer: ReturnType<typeof checkSigner>;
}

interface AckRequest {
  orderId: string;
  action: 'RECEIPT' | 'REPORT';
  actor: Actor;
  input: AckInput;
  resolve: (outcome: { changed: boolean }) => void;
  reject: (error: unknown) => void;
}

interface OrderAckRow {
  id: string;
  alert_id: string;
  enterprise_id: string;
  state: OrderState;
  received_at: Date | null;
  executed_at: Date | null;
  measures_in_place_at: Date | null;
  report_note: string | null;
  received_by_name: string | null;
  received_by_phone: string | null;
  reported_by_name: string | null;
  reported_by_phone: string | null;
}
