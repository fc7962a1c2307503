import type { EntityManager } from 'typeorm';
import type { Alert, AlertChange, AlertRevision } from './alert.entity';

/**
 * What a warning's life sets off, inside the transaction of the step: approval of a revision, a revision
 * approved ahead taking effect at its time, the warning expiring. The orders and their outbox messages
 * (reduction orders issue) and the county and department notices plug in here (RevisionEffectsChain).
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

/** Several modules' effects in turn, in the step's one transaction: the orders first, then whoever reads them. */
export class RevisionEffectsChain extends RevisionEffects {
  constructor(private readonly effects: readonly RevisionEffects[]) {
    super();
  }

  async onApproved(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    change: AlertChange,
  ): Promise<void> {
    for (const effect of this.effects) await effect.onApproved(m, alert, revision, change);
  }

  async onApplied(m: EntityManager, alert: Alert, revision: AlertRevision): Promise<void> {
    for (const effect of this.effects) await effect.onApplied(m, alert, revision);
  }

  async onExpired(m: EntityManager, alert: Alert): Promise<void> {
    for (const effect of this.effects) await effect.onExpired(m, alert);
  }
}
