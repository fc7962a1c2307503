/**
 * The two-person rule can be met by one administrator alone: create (or reset the password of) a commander
 * account and approve one's own proposal with it. The service cannot know who typed the password, so such an
 * approval is allowed but flagged, in its revision, its audit entry and on the console.
 */

/** What an approval's two accounts say about who set their passwords. */
export interface AccountFacts {
  id: string;
  /** The administrator who created the account, if one did. */
  createdBy: string | null;
  /** Who set the current password (at creation or by a reset), and when. */
  passwordSetBy: string | null;
  passwordSetAt: Date | null;
}

export type TwoPersonConcernReason =
  /** The proposer created the approver's account and set its current password. */
  | 'CREATED_BY_PROPOSER'
  /** The proposer reset the approver's password: it is the one they chose. */
  | 'PASSWORD_RESET_BY_PROPOSER'
  /** One administrator, neither of the two, set both accounts' passwords within the last day. */
  | 'SAME_ADMIN_SET_BOTH';

export interface TwoPersonConcern {
  reason: TwoPersonConcernReason;
  /** The administrator who could have acted as both. */
  adminId: string;
  /** When the approver's current password was set. */
  setAt: string;
  /** Set within RECENT_MS of the approval. */
  recent: boolean;
  /** What the console shows (Chinese). */
  message: string;
}

export const RECENT_MS = 24 * 3600_000;

export const CONCERN_MESSAGES = {
  recent: '批准人账号由提议人于24小时内创建/重置密码',
  older: '批准人账号的现用密码由提议人设置',
  sameAdmin: '提议人与批准人账号均由同一管理员于24小时内创建/重置密码',
} as const;

const within = (at: Date | null, now: Date) => at !== null && now.getTime() - at.getTime() < RECENT_MS;

/**
 * Why an approval by `approver` of a change proposed by `proposer` may not have been two people, or null.
 * The proposer set the approver's current password (at any time: accounts cannot change their own, so the
 * proposer still knows it); the warning wording differs for the last 24 hours. Or one other administrator set
 * both passwords within the last 24 hours (two fresh accounts made for one person).
 */
export function twoPersonConcern(
  proposer: AccountFacts,
  approver: AccountFacts,
  now: Date,
): TwoPersonConcern | null {
  if (proposer.id === approver.id) return null; // refused outright elsewhere
  const setAt = approver.passwordSetAt?.toISOString() ?? '';
  if (approver.passwordSetBy === proposer.id) {
    const recent = within(approver.passwordSetAt, now);
    return {
      reason: approver.createdBy === proposer.id ? 'CREATED_BY_PROPOSER' : 'PASSWORD_RESET_BY_PROPOSER',
      adminId: proposer.id,
      setAt,
      recent,
      message: recent ? CONCERN_MESSAGES.recent : CONCERN_MESSAGES.older,
    };
  }
  const admin = approver.passwordSetBy;
  if (
    admin !== null &&
    admin !== approver.id &&
    admin === proposer.passwordSetBy &&
    within(approver.passwordSetAt, now) &&
    within(proposer.passwordSetAt, now)
  ) {
    return {
      reason: 'SAME_ADMIN_SET_BOTH',
      adminId: admin,
      setAt,
      recent: true,
      message: CONCERN_MESSAGES.sameAdmin,
    };
  }
  return null;
}

/**
 * Would this decider be deciding their own proposal? A proposal of the system (no proposing account, e.g. the lift
 * that follows a provincial directive's lift) is nobody's own: any commander may decide it.
 */
export function isSelfReview(proposedById: string | null, deciderId: string | null): boolean {
  return proposedById !== null && proposedById === deciderId;
}
