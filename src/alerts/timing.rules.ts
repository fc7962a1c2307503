/**
 * The ruleset's time limits on the procedure (domain.md §1-2): a warning is issued `leadTimeHours` before it takes
 * effect, in principle; a proposal is approved within `draftToApprovalHours`; an approved revision is released
 * within `approvalToReleaseHours`. Pure: the services read the times, these rules judge them.
 */

const HOUR = 3600_000;

/** Hours from `from` to `to`, to two decimals (a minute shows), negative when `to` is earlier. */
export function hoursBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / HOUR) * 100) / 100;
}

/** A proposal taking effect sooner than the lead time: hours left before it takes effect (≥ 0) and the rule's. */
export interface LeadTimeShort {
  hours: number;
  required: number;
}

/**
 * How short of the lead time a proposal made `now` to take effect at `effectiveAt` is, or null when it leaves
 * at least `leadTimeHours` (a lead time of 0 asks nothing). A time already past counts as 0 hours.
 */
export function leadTimeShort(effectiveAt: Date, now: Date, leadTimeHours: number): LeadTimeShort | null {
  const ms = effectiveAt.getTime() - now.getTime();
  if (leadTimeHours <= 0 || ms >= leadTimeHours * HOUR) return null;
  return { hours: Math.max(0, Math.floor((ms / HOUR) * 10) / 10), required: leadTimeHours };
}

/** Why a short lead time needs a reason, naming the rule: the 422's message on `reason`. */
export function leadTimeMessage(rulesetId: string, required: number): string {
  return `生效时间距现在不足${required}小时(规则集 ${rulesetId} 提前量),须说明理由,如:污染已较重,尽快启动`;
}

/** One step of the procedure measured against its limit; `hours` null (and `ok` null) while it has not happened. */
export interface StepTiming {
  hours: number | null;
  limitHours: number;
  /** Within the limit (inclusive); false when over, also while still waiting past it; null while within it. */
  ok: boolean | null;
}

/**
 * A step from `from` that ended at `to` (or has not ended by `now`): its hours against the limit. A step still
 * open is already over once the limit has passed, so a late approval shows before it is made.
 */
export function stepTiming(from: Date, to: Date | null, limitHours: number, now: Date): StepTiming {
  if (to) {
    const hours = hoursBetween(from, to);
    return { hours, limitHours, ok: to.getTime() - from.getTime() <= limitHours * HOUR };
  }
  const over = now.getTime() - from.getTime() > limitHours * HOUR;
  return { hours: null, limitHours, ok: over ? false : null };
}

/**
 * Past its limit and still waiting: `waitedHours` since `since` (to two decimals) when more than `limitHours`
 * have passed by `now`, else null.
 */
export function overdueHours(since: Date, now: Date, limitHours: number): number | null {
  return now.getTime() - since.getTime() > limitHours * HOUR ? hoursBetween(since, now) : null;
}

/** The dashboard's line for a proposal waiting too long, e.g. "待审批已超过2小时(已等待3.5小时)". */
export function approvalOverdueText(limitHours: number, waitedHours: number): string {
  return `待审批已超过${limitHours}小时(已等待${waitedHours}小时)`;
}

/** The dashboard's line for an approved revision whose notices are not all sent past the release limit. */
export function releaseOverdueText(limitHours: number, waitedHours: number, unsent: number): string {
  return `批准后已超过${limitHours}小时仍有${unsent}份通知未发出(批准后${waitedHours}小时)`;
}

/** A proposal awaiting a decision, with its warning's ruleset limit. */
export interface PendingProposal {
  alertId: string;
  alertCode: string;
  changeId: string;
  kind: string;
  proposedAt: Date;
  proposedBy: string;
  limitHours: number;
}

export interface OverdueApproval extends PendingProposal {
  waitedHours: number;
  text: string;
}

/** The proposals waiting longer than their ruleset's draftToApprovalHours at `now`, longest wait first. */
export function overdueApprovals(pending: readonly PendingProposal[], now: Date): OverdueApproval[] {
  return pending
    .flatMap((p) => {
      const waited = overdueHours(p.proposedAt, now, p.limitHours);
      return waited === null
        ? []
        : [{ ...p, waitedHours: waited, text: approvalOverdueText(p.limitHours, waited) }];
    })
    .sort((a, b) => b.waitedHours - a.waitedHours);
}

/** An approved revision with notices not yet handed to SMTP, with its warning's ruleset limit. */
export interface UnreleasedRevision {
  alertId: string;
  alertCode: string;
  revisionId: string;
  seq: number;
  kind: string;
  approvedAt: Date;
  /** Its notices not yet sent (queued, sending, retrying or failed). */
  unsent: number;
  limitHours: number;
}

export interface OverdueRelease extends UnreleasedRevision {
  waitedHours: number;
  text: string;
}

/** The revisions still not released more than approvalToReleaseHours after approval at `now`, longest first. */
export function overdueReleases(revisions: readonly UnreleasedRevision[], now: Date): OverdueRelease[] {
  return revisions
    .flatMap((r) => {
      const waited = r.unsent > 0 ? overdueHours(r.approvedAt, now, r.limitHours) : null;
      return waited === null
        ? []
        : [{ ...r, waitedHours: waited, text: releaseOverdueText(r.limitHours, waited, r.unsent) }];
    })
    .sort((a, b) => b.waitedHours - a.waitedHours);
}

/** How a revision went through the procedure: proposal to decision, decision to release, each against its limit. */
export interface RevisionTiming {
  revisionId: string;
  seq: number;
  kind: string;
  proposedAt: Date;
  decidedAt: Date;
  /** When the last of its notices was handed to SMTP; null while some are unsent (or failed). */
  releasedAt: Date | null;
  notices: number;
  unsent: number;
  approval: StepTiming;
  release: StepTiming;
}

/**
 * The timing of one approved revision. Release is the moment the last of its notices was handed to SMTP; a
 * revision with no notice to send (nobody in scope with an address) is released when approved; one with notices
 * still unsent has no release time yet, and is over its limit once the limit has passed by `now`.
 */
export function revisionTiming(
  r: {
    revisionId: string;
    seq: number;
    kind: string;
    proposedAt: Date;
    decidedAt: Date;
    notices: number;
    unsent: number;
    lastSentAt: Date | null;
  },
  limits: { draftToApprovalHours: number; approvalToReleaseHours: number },
  now: Date,
): RevisionTiming {
  const releasedAt = r.unsent > 0 ? null : r.notices === 0 ? r.decidedAt : r.lastSentAt;
  return {
    revisionId: r.revisionId,
    seq: r.seq,
    kind: r.kind,
    proposedAt: r.proposedAt,
    decidedAt: r.decidedAt,
    releasedAt,
    notices: r.notices,
    unsent: r.unsent,
    approval: stepTiming(r.proposedAt, r.decidedAt, limits.draftToApprovalHours, now),
    release: stepTiming(r.decidedAt, releasedAt, limits.approvalToReleaseHours, now),
  };
}
