import { MetricsService } from '../metrics/metrics.service';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryEffects } from './delivery-effects';
import { MailTransport } from './mail-transport';
import type { NoticeRenderContext } from './notice-render';
import { NoticeRenderPool } from './notice-render.pool';
import {
  afterFailure,
  describeMailError,
  leaseRenewalEveryMs,
  leasesLost,
  messageIdHeader,
  retryDelayMs,
} from './outbox.rules';
import { NoticeSourcesService } from './notice-sources.service';

export interface DispatchResult {
  recovered: number;
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** Results are written back in groups this size, so a crash loses track of few accepted messages. */
const FLUSH_EVERY = 200;

/** Notices handed to the render pool at a time: the first mails of a batch go out while the rest are rendered. */
const RENDER_CHUNK = 50;

/**
 * Sends the outbox. Claims due messages with FOR UPDATE SKIP LOCKED (several dispatchers never take the same
 * message), marks them SENDING with a lease, has them rendered (NoticeRenderPool: a worker thread, 50 at a time),
 * sends them through the pooled transport, and records each outcome as soon as a group is done: SENT, RETRYING
 * (transient: 4xx, connection) with exponential backoff and jitter, or FAILED (permanent, or out of attempts). A message left SENDING past its lease by a crashed
 * process goes back to RETRYING; the email keeps its Message-ID, so a rare second delivery is recognisable.
 *
 * A claim can hold more messages than the pool sends within one lease, so while any are in flight a timer renews
 * their leases every third of a lease, in one statement for all of them; a live dispatcher's messages are never
 * taken for a crashed one's. The timer stops with the last batch in flight (a graceful shutdown waits for it) and
 * dies with the process, so a killed dispatcher's leases still expire.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);
  /** This dispatcher's messages in SENDING, by id, with the attempt their claim made (the lease's identity). */
  private readonly held = new Map<string, number>();
  private renewal: NodeJS.Timeout | null = null;
  private renewing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly renderPool: NoticeRenderPool,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly deliveryEffects: DeliveryEffects,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notices: NoticeSourcesService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Dispatches batches until nothing is due or the time budget is spent. Three loops run side by side, so one
   * batch's database work (claim, load, record) overlaps the others' sending and the SMTP pool stays busy.
   */
  async drain(budgetMs = 50_000): Promise<DispatchResult> {
    const started = Date.now();
    const loop = async (): Promise<DispatchResult> => {
      const total: DispatchResult = { recovered: 0, claimed: 0, sent: 0, retrying: 0, failed: 0 };
      for (;;) {
        const r = await this.dispatchOnce();
        for (const k of Object.keys(total) as Array<keyof DispatchResult>) total[k] += r[k];
        if (r.claimed === 0 || Date.now() - started > budgetMs) return total;
      }
    };
    const results = await Promise.all([loop(), loop(), loop()]);
    const sum: DispatchResult = { recovered: 0, claimed: 0, sent: 0, retrying: 0, failed: 0 };
    for (const r of results) for (const k of Object.keys(sum) as Array<keyof DispatchResult>) sum[k] += r[k];
    return sum;
  }

  async dispatchOnce(): Promise<DispatchResult> {
    const now = this.clock.now();
    const recovered = await this.recoverExpiredLeases(now);
    const claimed = await this.claim(now);
    const result: DispatchResult = { recovered, claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
    if (claimed.length === 0) return result;
    this.hold(claimed);
    try {
      const outcome = await this.send(claimed);
      this.metrics.mails.inc({ outcome: 'sent' }, outcome.sent);
      this.metrics.mails.inc({ outcome: 'retrying' }, outcome.retrying);
      this.metrics.mails.inc({ outcome: 'failed' }, outcome.failed);
      return { ...result, ...outcome };
    } finally {
      // Whatever happened, this batch is no longer renewed: anything still SENDING expires and is retried.
      this.release(claimed);
    }
  }

  private async send(
    claimed: Array<{ id: string; attempts: number }>,
  ): Promise<Pick<DispatchResult, 'sent' | 'retrying' | 'failed'>> {
    const rows = await this.notices.loadMessages(claimed.map((c) => c.id));
    const sources = await this.notices.sources(rows);
    const attempts = new Map(claimed.map((c) => [c.id, c.attempts]));
    const sent: string[] = [];
    const failures: Array<{ id: string; error: unknown }> = [];
    // Outcomes counted from the rows each write actually changed (a lease taken over elsewhere changes none).
    const outcome: Record<'SENT' | 'RETRYING' | 'FAILED', number> = { SENT: 0, RETRYING: 0, FAILED: 0 };
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const s = sent.splice(0);
      const f = failures.splice(0);
      flushing = flushing
        .then(() => this.record(s, f, attempts))
        .then((states) => {
          for (const state of states) outcome[state]++;
          // Recorded: no lease left to keep.
          this.release([...s, ...f.map((x) => x.id)].map((id) => ({ id, attempts: attempts.get(id)! })));
        });
      return flushing;
    };
    const ctx: NoticeRenderContext = {
      appUrl: this.config.appUrl,
      sessionSecret: this.config.sessionSecret,
      ackLinkDays: this.config.ackLinkDays,
      dutyOffice: this.config.dutyOffice,
      now: this.clock.now(),
    };
    const chunks: Array<Promise<void>> = [];
    for (let from = 0; from < rows.length; from += RENDER_CHUNK) {
      const chunk = rows.slice(from, from + RENDER_CHUNK);
      const rendered = this.renderPool.render(chunk, sources.slice(from, from + RENDER_CHUNK), ctx);
      chunks.push(
        rendered.then((outcomes) =>
          Promise.all(
            chunk.map(async (row, i) => {
              const o = outcomes[i];
              try {
                if ('error' in o) throw new Error(o.error);
                await this.transport.send({
                  messageId: messageIdHeader(row.message_id, this.config.mail.domain),
                  from: this.config.mailFrom,
                  to: row.recipients,
                  ...(this.config.dutyOffice.email ? { replyTo: this.config.dutyOffice.email } : {}),
                  ...o.mail,
                });
                sent.push(row.message_id);
              } catch (error) {
                failures.push({ id: row.message_id, error });
              }
              if (sent.length + failures.length >= FLUSH_EVERY) await flush();
            }),
          ).then(() => undefined),
        ),
      );
    }
    await Promise.all(chunks);
    await flush();
    return { sent: outcome.SENT, retrying: outcome.RETRYING, failed: outcome.FAILED };
  }

  private hold(claimed: Array<{ id: string; attempts: number }>): void {
    for (const c of claimed) this.held.set(c.id, c.attempts);
    if (this.renewal) return;
    this.renewal = setInterval(() => void this.renewLeases(), leaseRenewalEveryMs(this.config.mail.leaseMs));
    // Renewal never keeps a stopping process alive: its leases are meant to run out then.
    this.renewal.unref();
  }

  private release(claims: Array<{ id: string; attempts: number }>): void {
    for (const c of claims) if (this.held.get(c.id) === c.attempts) this.held.delete(c.id);
    if (this.held.size === 0) this.stopRenewal();
  }

  private stopRenewal(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
  }

  /**
   * Extends the lease of every message this dispatcher still has in flight, in one statement. Only a claim that is
   * still ours is extended (same attempt, still SENDING); one recovered meanwhile is dropped from the renewal.
   */
  private async renewLeases(): Promise<void> {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = true;
    const asked = [...this.held].map(([id, attempts]) => ({ id, attempts }));
    try {
      const leaseUntil = new Date(this.clock.now().getTime() + this.config.mail.leaseMs);
      const [renewed] = await this.dataSource.query<[Array<{ id: string }>, number]>(
        `UPDATE outbox_message o SET lease_until = $3
           FROM unnest($1::uuid[], $2::int[]) AS h(id, attempts)
          WHERE o.id = h.id AND o.attempts = h.attempts AND o.state = 'SENDING'
         RETURNING o.id`,
        [asked.map((c) => c.id), asked.map((c) => c.attempts), leaseUntil],
      );
      const lost = leasesLost(
        asked,
        renewed.map((r) => r.id),
        (id, attempts) => this.held.get(id) === attempts,
      );
      if (lost.length) {
        this.logger.warn(`${lost.length} leases expired before they were renewed; no longer renewed here`);
        this.release(lost.map((id) => ({ id, attempts: this.held.get(id)! })));
      }
    } catch (e) {
      // The next tick tries again; the lease has two more renewals' worth of time left.
      this.logger.warn(`lease renewal failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.renewing = false;
    }
  }

  private async recoverExpiredLeases(now: Date): Promise<number> {
    // The statement ends in an INSERT, so the driver hands back its rows (not the [rows, count] of an UPDATE).
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `WITH stale AS (
         UPDATE outbox_message SET state = 'RETRYING', lease_until = NULL, next_attempt_at = $1, updated_at = $1,
                last_error = 'lease expired while sending (process stopped?)'
          WHERE state = 'SENDING' AND lease_until < $1
         RETURNING id, attempts)
       INSERT INTO outbox_message_history (message_id, from_state, to_state, attempt, detail, at)
       SELECT id, 'SENDING', 'RETRYING', attempts, 'lease expired', $1 FROM stale RETURNING message_id AS id`,
      [now],
    );
    return rows.length;
  }

  /**
   * Takes the due messages and writes their SENDING history in one statement (no transaction around two round trips):
   * the dispatcher's database work per batch is what competes with its sending.
   */
  private async claim(now: Date): Promise<Array<{ id: string; attempts: number }>> {
    return this.dataSource.query<Array<{ id: string; attempts: number }>>(
      `WITH due AS (
         SELECT id, state FROM outbox_message
          WHERE state IN ('QUEUED', 'RETRYING') AND next_attempt_at <= $1
          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE outbox_message o SET state = 'SENDING', attempts = o.attempts + 1, lease_until = $2, updated_at = $1
           FROM due WHERE o.id = due.id
         RETURNING o.id, o.attempts, due.state AS from_state),
       history AS (
         INSERT INTO outbox_message_history (message_id, from_state, to_state, attempt, detail, at)
         SELECT id, from_state, 'SENDING', attempts, NULL, $1 FROM claimed)
       SELECT id, attempts FROM claimed`,
      [now, new Date(now.getTime() + this.config.mail.leaseMs), this.config.mail.batchSize],
    );
  }

  /** Writes a group of outcomes: a few statements, whatever the group size. */
  private async record(
    sent: string[],
    failures: Array<{ id: string; error: unknown }>,
    attempts: Map<string, number>,
  ): Promise<Array<'SENT' | 'RETRYING' | 'FAILED'>> {
    const now = this.clock.now();
    const states: Array<'SENT' | 'RETRYING' | 'FAILED'> = [];
    if (sent.length) {
      // The outbox rows and their history here, the orders' side through DeliveryEffects: one transaction.
      const done = await this.dataSource.transaction(async (m) => {
        const rows = await m.query<Array<{ id: string; order_id: string | null }>>(
          `WITH done AS (
             UPDATE outbox_message SET state = 'SENT', sent_at = $2, lease_until = NULL, last_error = NULL, updated_at = $2
              WHERE id = ANY($1::uuid[]) AND state = 'SENDING' RETURNING id, order_id, attempts),
           history AS (
             INSERT INTO outbox_message_history (message_id, from_state, to_state, attempt, detail, at)
             SELECT id, 'SENDING', 'SENT', attempts, NULL, $2 FROM done)
           SELECT id, order_id FROM done`,
          [sent, now],
        );
        await this.deliveryEffects.onSent(
          m,
          rows.map((r) => ({ messageId: r.id, orderId: r.order_id })),
          now,
        );
        return rows;
      });
      states.push(...done.map(() => 'SENT' as const));
    }
    if (failures.length) {
      const outcomes = failures.map((f) => {
        const attempt = attempts.get(f.id) ?? 1;
        const next = afterFailure(f.error, attempt, this.config.mail.maxAttempts);
        const delay = retryDelayMs(attempt, {
          baseMs: this.config.mail.retryBaseMs,
          maxMs: this.config.mail.retryMaxMs,
        });
        return {
          id: f.id,
          state: next,
          at: new Date(now.getTime() + (next === 'RETRYING' ? delay : 0)),
          error: describeMailError(f.error),
          attempt,
        };
      });
      await this.dataSource.transaction(async (m) => {
        const changed = await m.query<Array<{ message_id: string; to_state: 'RETRYING' | 'FAILED' }>>(
          // Only this claim's attempt: a message another dispatcher has reclaimed since is that one's to record.
          `WITH u AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $6::int[])
                        AS u(id, state, next_at, error, attempt)),
           changed AS (
             UPDATE outbox_message o SET state = u.state, next_attempt_at = u.next_at, last_error = u.error, lease_until = NULL, updated_at = $5
               FROM u WHERE o.id = u.id AND o.state = 'SENDING' AND o.attempts = u.attempt
               RETURNING o.id, o.state, o.attempts, o.last_error)
           INSERT INTO outbox_message_history (message_id, from_state, to_state, attempt, detail, at)
           SELECT id, 'SENDING', state, attempts, last_error, $5 FROM changed RETURNING message_id, to_state`,
          [
            outcomes.map((o) => o.id),
            outcomes.map((o) => o.state),
            outcomes.map((o) => o.at),
            outcomes.map((o) => o.error),
            now,
            outcomes.map((o) => o.attempt),
          ],
        );
        states.push(...changed.map((c) => c.to_state));
        const recorded = new Set(changed.map((c) => c.message_id));
        const failed = outcomes.filter((o) => o.state === 'FAILED' && recorded.has(o.id));
        if (failed.length) {
          await this.audit.record(
            failed.map((o) => ({
              actor: SYSTEM_ACTOR,
              action: 'message.failed',
              subjectType: 'outbox_message',
              subjectId: o.id,
              data: { error: o.error, attempts: o.attempt },
            })),
            m,
          );
        }
      });
      for (const o of outcomes) this.logger.warn(`message ${o.id} ${o.state}: ${o.error}`);
    }
    return states;
  }
}
