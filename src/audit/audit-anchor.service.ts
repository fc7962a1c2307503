import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OutboxService } from '../notifications/outbox.service';
import { OutboxSignal } from '../notifications/outbox-signal';
import { SYSTEM_ACTOR } from './actor';
import { ANCHOR_REASON_NAMES, type AnchorReason, type SignedAnchor } from './anchor.rules';
import { AnchorFileStore, AnchorSigner } from './anchor-signer';
import { AuditService } from './audit.service';

/**
 * Publishes the audit chain's head where the database cannot reach it: signed (AnchorSigner), appended to
 * the anchor file and mailed to the auditors (AUDIT_ANCHOR_EMAILS). Daily (AuditAnchorJob) and after every
 * approved change of a warning, whose notices are then released.
 */
@Injectable()
export class AuditAnchorService {
  private readonly logger = new Logger(AuditAnchorService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly signer: AnchorSigner,
    private readonly file: AnchorFileStore,
    private readonly outbox: OutboxService,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Anchors the current head (in the database too), signs it and publishes it; null for an empty log. */
  async publish(reason: AnchorReason, alertId: string | null = null): Promise<SignedAnchor | null> {
    const head = await this.audit.anchor();
    if (!head) return null;
    const anchor = this.signer.sign(
      { entryId: head.entryId, entryCount: String(head.entryCount), hash: head.hash },
      { anchoredAt: this.clock.now(), reason, alertId },
    );
    // The file first: it needs nothing from the database, and the mail is queued in the database.
    await this.file.append(anchor);
    const recipients = this.config.anchors.emails;
    await this.dataSource.transaction(async (m) => {
      if (recipients.length)
        await this.outbox.enqueue(m, {
          kind: 'AUDIT_ANCHOR',
          recipients,
          alertId,
          context: { anchor, reasonName: ANCHOR_REASON_NAMES[reason], anchorJson: JSON.stringify(anchor) },
        });
      await this.audit.record(
        {
          actor: SYSTEM_ACTOR,
          action: 'audit.anchor.published',
          subjectType: 'audit_entry',
          subjectId: anchor.entryId,
          ...(alertId ? { alertId } : {}),
          data: {
            reason,
            entryId: anchor.entryId,
            sha256: anchor.hash,
            keyId: anchor.keyId,
            mailedTo: recipients,
          },
        },
        m,
      );
    });
    this.signal.notify();
    return anchor;
  }

  /** After a warning's change is committed: a failure to publish is logged, never undoes the approval. */
  async publishAfterRelease(alertId: string): Promise<void> {
    try {
      await this.publish('alert.released', alertId);
    } catch (e) {
      this.logger.error(`publishing the audit anchor for warning ${alertId} failed: ${String(e)}`);
    }
  }
}
