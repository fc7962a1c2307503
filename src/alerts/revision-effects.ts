import type { EntityManager } from 'typeorm';
import type { Alert, AlertChange, AlertRevision } from './alert.entity';

/**
 * What a warning's life sets off, inside the transaction of the step: approval of a revision, a revision
 * approved ahead taking effect at its time, the warning expiring. The orders and their outbox messages
 * (reduction orders issue) plug in here by providing another implementation.
 */
export abstract class RevisionEffects {
  abstract onApproved(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    change: AlertChange,
  ): Promise<void>;

  /** A revision approved ahead of its effective time takes effect (the scheduler, at that time). */
  abstract onApplied(m: EntityManager, alert: Alert, revision: AlertRevision): Promise<void>;

  /** The warning passed its expected end with no lift: it ended on its own. */
  abstract onExpired(m: EntityManager, alert: Alert): Promise<void>;
}
