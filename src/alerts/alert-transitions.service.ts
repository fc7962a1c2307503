import { documentSeriesOf } from '../campaigns/campaign.rules';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TableStatistics } from '../common/sql/table-statistics.service';
import { type Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { Alert, AlertRevision } from './alert.entity';
import { applyRevision, type ChangeKind, failureReportDue, isExpired } from './alert.rules';
import { lockAlert, stateOf } from './alert-records';
import { AlertViewsService } from './alert-views.service';
import { RevisionEffects } from './revision-effects';
import { DocumentNumbersService } from '../documents/document-numbers.service';

/** A scheduled transition: an approved revision taking effect, or a warning's expiry. */
interface TransitionItem {
  alertId: string;
  revisionId: string | null;
  kind: ChangeKind | 'EXPIRE';
  seq: number | null;
}

/** A warning's changes taking effect: revisions at their time (or at approval), and expiry. */
@Injectable()
export class AlertTransitionsService {
  private readonly logger = new Logger(AlertTransitionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly effects: RevisionEffects,
    private readonly views: AlertViewsService,
    private readonly numbers: DocumentNumbersService,
    private readonly statistics: TableStatistics,
  ) {}

  /**
   * Puts approved revisions into effect when their time comes (ISSUED → ACTIVE, level changes, lifts) and
   * expires warnings past their expected end. Called by the scheduler under an advisory lock; each revision
   * and each expiry in its own transaction, and a revision already applied is skipped, so a second run changes
   * nothing. One that fails is reported (`transitionFailed`) and retried next run, and the rest go on; a
   * warning's later revisions and its expiry wait for it, so its changes still apply in order.
   */
  async applyDue(): Promise<{ applied: number; expired: number; failed: number }> {
    const now = this.clock.now();
    const due = await this.dataSource.query<
      Array<{ id: string; alert_id: string; kind: ChangeKind; seq: number }>
    >(
      'SELECT id, alert_id, kind, seq FROM alert_revision WHERE applied_at IS NULL AND effective_at <= $1 ORDER BY effective_at, seq LIMIT 1000',
      [now],
    );
    let applied = 0;
    let failed = 0;
    const waiting = new Set<string>();
    for (const row of due) {
      if (waiting.has(row.alert_id)) continue;
      const item = { alertId: row.alert_id, revisionId: row.id, kind: row.kind, seq: row.seq };
      const done = await this.transitionTx(item, now, async (m) => {
        const alert = await lockAlert(m, row.alert_id);
        const revision = await m.getRepository(AlertRevision).findOneBy({ id: row.id });
        if (!revision || revision.appliedAt) return false;
        await this.applyRevisionTx(m, alert, revision, now, SYSTEM_ACTOR);
        // Approved ahead: the orders written then take over from those in force now, in this transaction.
        await this.effects.onApplied(m, alert, revision);
        return true;
      });
      if (done === 'failed') {
        failed++;
        waiting.add(row.alert_id); // its later revisions and its expiry wait: a warning's changes apply in order
      } else if (done) applied++;
    }
    const candidates = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT a.id FROM alert a WHERE a.status = 'ACTIVE' AND a.expected_end_at <= $1
          AND NOT EXISTS (SELECT 1 FROM alert_revision r WHERE r.alert_id = a.id AND r.kind = 'LIFT' AND r.applied_at IS NULL)`,
      [now],
    );
    let expired = 0;
    for (const { id } of candidates) {
      if (waiting.has(id)) continue;
      const item = { alertId: id, revisionId: null, kind: 'EXPIRE' as const, seq: null };
      const done = await this.transitionTx(item, now, async (m) => {
        const alert = await lockAlert(m, id);
        const liftPending =
          (
            await m.query<unknown[]>(
              "SELECT 1 FROM alert_revision WHERE alert_id = $1 AND kind = 'LIFT' AND applied_at IS NULL",
              [id],
            )
          ).length > 0;
        if (!isExpired(stateOf(alert), now, liftPending)) return false;
        alert.status = 'EXPIRED';
        // Its end is a released notice of its own (预警到期解除), numbered like the others.
        alert.expiryDocumentNumber = await this.numbers.next(m, now, documentSeriesOf(alert));
        await m.save(alert);
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'alert.expired',
            subjectType: 'alert',
            subjectId: id,
            alertId: id,
            data: {
              expectedEndAt: alert.expectedEndAt,
              level: alert.level,
              documentNumber: alert.expiryDocumentNumber,
            },
          },
          m,
        );
        await this.effects.onExpired(m, alert);
        return true;
      });
      if (done === 'failed') failed++;
      else if (done) expired++;
    }
    if (applied || expired)
      this.logger.log(`applied ${applied} revision(s), expired ${expired} warning(s), ${failed} failed`);
    if (applied || expired) this.views.invalidateAll();
    if (applied) this.statistics.analyzeSoon(['reduction_order', 'outbox_message']); // as after an approval
    return { applied, expired, failed };
  }

  /** One scheduled transition in its own transaction: one that throws is reported and retried next run. */
  private async transitionTx(
    item: TransitionItem,
    now: Date,
    work: (m: EntityManager) => Promise<boolean>,
  ): Promise<boolean | 'failed'> {
    try {
      return await this.dataSource.transaction(work);
    } catch (e) {
      await this.transitionFailed(item, e, now);
      return 'failed';
    }
  }

  /**
   * A revision or expiry that threw: an `alert.transition.failed` entry and an error in the log, at most once
   * per item per FAILURE_REPORT_MS (the job runs every 15 s; a lasting fault must not flood either). When even
   * that cannot be written (the database down), only the log, under the same bound kept in memory.
   */
  private async transitionFailed(item: TransitionItem, error: unknown, now: Date): Promise<void> {
    const { alertId, ...data } = item;
    const message = error instanceof Error ? error.message : String(error);
    const what = `${item.revisionId ? `revision ${item.revisionId} (${item.kind} #${item.seq})` : 'expiry'} of alert ${alertId}`;
    try {
      const reported = await this.dataSource.transaction(async (m) => {
        const [{ last }] = await m.query<Array<{ last: Date | null }>>(
          `SELECT max(occurred_at) AS last FROM audit_entry
            WHERE alert_id = $1 AND action = 'alert.transition.failed' AND data->>'kind' = $2
              AND (data->>'revisionId') IS NOT DISTINCT FROM $3`,
          [alertId, item.kind, item.revisionId],
        );
        if (!failureReportDue(last, now)) return false;
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'alert.transition.failed',
            subjectType: 'alert',
            subjectId: alertId,
            alertId,
            data: { ...data, error: message },
          },
          m,
        );
        return true;
      });
      if (reported) this.logger.error(`${what} failed, retried every run: ${message}`);
    } catch (e) {
      const key = `${alertId}:${item.revisionId ?? 'expiry'}`;
      if (!failureReportDue(this.failureLogged.get(key) ?? null, now)) return;
      for (const [k, at] of this.failureLogged) if (failureReportDue(at, now)) this.failureLogged.delete(k);
      this.failureLogged.set(key, now);
      this.logger.error(
        `${what} failed (${message}); recording the failure failed too: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** When each failing transition was last logged without an audit entry (see transitionFailed). */
  private readonly failureLogged = new Map<string, Date>();

  /** Puts one revision into effect in the caller's transaction (the scheduler's, or an approval's). */
  async applyRevisionTx(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    now: Date,
    actor: Actor,
  ): Promise<void> {
    const before = stateOf(alert);
    const after = applyRevision(before, revision);
    Object.assign(alert, after);
    await m.save(alert);
    await m.update(AlertRevision, { id: revision.id }, { appliedAt: now });
    revision.appliedAt = now;
    await this.audit.record(
      {
        actor,
        action: 'alert.revision.applied',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          revisionId: revision.id,
          seq: revision.seq,
          kind: revision.kind,
          before: { status: before.status, level: before.level, expectedEndAt: before.expectedEndAt },
          after: { status: after.status, level: after.level, expectedEndAt: after.expectedEndAt },
        },
      },
      m,
    );
  }
}
