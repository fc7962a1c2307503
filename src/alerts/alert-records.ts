import type { EntityManager } from 'typeorm';
import { IsNull } from 'typeorm';
import { isUuid } from '../common/ids';
import { DomainError } from '../common/errors/domain-error';
import { Alert, AlertRevision } from './alert.entity';
import type { AlertState, ScheduledRevision } from './alert.rules';
import { type AccountFacts, type TwoPersonConcern, twoPersonConcern } from './two-person.rules';

// Reads of the warning tables shared by the commands, the transitions and the views, in the caller's transaction.

/** The warning, row-locked for the rest of the transaction (commands and transitions take turns on it). */
export async function lockAlert(m: EntityManager, id: string): Promise<Alert> {
  if (!isUuid(id)) throw DomainError.notFound('预警');
  const alert = await m
    .getRepository(Alert)
    .createQueryBuilder('a')
    .setLock('pessimistic_write')
    .where('a.id = :id', { id })
    .getOne();
  if (!alert) throw DomainError.notFound('预警');
  return alert;
}

/** Approved revisions of the warning that have not taken effect yet. */
export async function scheduledRevisions(m: EntityManager, alertId: string): Promise<ScheduledRevision[]> {
  return m.getRepository(AlertRevision).find({
    where: { alertId, appliedAt: IsNull() },
    order: { effectiveAt: 'ASC', seq: 'ASC' },
  });
}

/** The two accounts of an approval, as the two-person check needs them. */
async function accountFacts(m: EntityManager, ids: string[]): Promise<Map<string, AccountFacts>> {
  const rows = await m.query<
    Array<{
      id: string;
      created_by: string | null;
      password_set_by: string | null;
      password_set_at: Date | null;
    }>
  >('SELECT id, created_by, password_set_by, password_set_at FROM app_user WHERE id = ANY($1::uuid[])', [
    ids,
  ]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        createdBy: r.created_by,
        passwordSetBy: r.password_set_by,
        passwordSetAt: r.password_set_at,
      },
    ]),
  );
}

/** Why this approver approving this proposer's change may not be two people, or null. */
export async function concernOf(
  m: EntityManager,
  proposerId: string,
  approverId: string,
  now: Date,
): Promise<TwoPersonConcern | null> {
  const accounts = await accountFacts(m, [proposerId, approverId]);
  const proposer = accounts.get(proposerId);
  const approver = accounts.get(approverId);
  return proposer && approver ? twoPersonConcern(proposer, approver, now) : null;
}

/** The fields of a warning the rules judge. */
export function stateOf(a: Alert): AlertState {
  return {
    status: a.status,
    level: a.level,
    effectiveAt: a.effectiveAt,
    expectedEndAt: a.expectedEndAt,
    liftedAt: a.liftedAt,
  };
}
