import type { EntityManager } from 'typeorm';
import type { Alert, AlertChange, AlertRevision } from './alert.entity';

/**
 * What an approved revision sets off, inside the approval's transaction. The orders and their outbox messages
 * (reduction orders issue) plug in here by providing another implementation.
 */
export abstract class RevisionEffects {
  abstract onApproved(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    change: AlertChange,
  ): Promise<void>;
}
