import type { WarningLevel } from '../rulesets/ruleset.types';
import { compareLevels, LEVEL_NAMES } from '../rulesets/level.rules';
import type { FieldError } from '../common/errors/domain-error';
import { formatTime } from '../common/time';

export const ALERT_STATUSES = [
  'PENDING_APPROVAL',
  'ISSUED',
  'ACTIVE',
  'LIFTED',
  'EXPIRED',
  'CANCELLED',
  'REJECTED',
] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const CHANGE_KINDS = ['ISSUE', 'UPGRADE', 'DOWNGRADE', 'EXTEND', 'LIFT', 'CANCEL'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const STATUS_NAMES: Record<AlertStatus, string> = {
  PENDING_APPROVAL: '待审批',
  ISSUED: '已发布(未生效)',
  ACTIVE: '生效中',
  LIFTED: '已解除',
  EXPIRED: '已到期',
  CANCELLED: '已撤销',
  REJECTED: '未批准',
};

export const KIND_NAMES: Record<ChangeKind, string> = {
  ISSUE: '发布',
  UPGRADE: '升级',
  DOWNGRADE: '降级',
  EXTEND: '延长',
  LIFT: '解除',
  CANCEL: '撤销',
};

/** Statuses in which a warning holds its counties (no second warning may overlap them). */
export const HOLDING_STATUSES: readonly AlertStatus[] = ['PENDING_APPROVAL', 'ISSUED', 'ACTIVE'];

export interface AlertState {
  status: AlertStatus;
  level: WarningLevel;
  effectiveAt: Date;
  expectedEndAt: Date | null;
  liftedAt: Date | null;
}

export interface RevisionFacts {
  kind: ChangeKind;
  level: WarningLevel;
  effectiveAt: Date;
  expectedEndAt: Date | null;
}

/** Why a change may not be proposed now, or null when it may. */
export type ProposalProblemCode = 'ALERT_NOT_CHANGEABLE' | 'ALERT_CANCEL_TOO_LATE';

export function proposalProblem(
  state: AlertState,
  kind: ChangeKind,
  now: Date,
): { code: ProposalProblemCode; message: string } | null {
  const notChangeable = (message: string) => ({ code: 'ALERT_NOT_CHANGEABLE' as const, message });
  switch (kind) {
    case 'ISSUE':
      return notChangeable('预警已存在,发布只能在新建时提出');
    case 'UPGRADE':
    case 'DOWNGRADE':
    case 'EXTEND':
    case 'LIFT':
      return state.status === 'ISSUED' || state.status === 'ACTIVE'
        ? null
        : notChangeable(`预警当前状态为“${STATUS_NAMES[state.status]}”,不能${KIND_NAMES[kind]}`);
    case 'CANCEL':
      if (state.status === 'ACTIVE')
        return {
          code: 'ALERT_CANCEL_TOO_LATE',
          message: `只有已发布但尚未生效的预警可以撤销(当前状态:${STATUS_NAMES[state.status]})`,
        };
      if (state.status !== 'ISSUED')
        return notChangeable(`只有已发布但尚未生效的预警可以撤销(当前状态:${STATUS_NAMES[state.status]})`);
      return state.effectiveAt.getTime() > now.getTime()
        ? null
        : { code: 'ALERT_CANCEL_TOO_LATE', message: '预警已到生效时间,不能撤销,请改为解除' };
  }
}

/** UPGRADE or DOWNGRADE for a level change, or null when the level is the same. */
export function adjustKind(current: WarningLevel, next: WarningLevel): 'UPGRADE' | 'DOWNGRADE' | null {
  const c = compareLevels(next, current);
  return c > 0 ? 'UPGRADE' : c < 0 ? 'DOWNGRADE' : null;
}

/** The warning after a revision takes effect. */
export function applyRevision(state: AlertState, r: RevisionFacts): AlertState {
  switch (r.kind) {
    case 'ISSUE':
      return {
        ...state,
        status: 'ACTIVE',
        level: r.level,
        effectiveAt: r.effectiveAt,
        expectedEndAt: r.expectedEndAt,
      };
    case 'UPGRADE':
    case 'DOWNGRADE':
      return { ...state, level: r.level };
    case 'EXTEND':
      return { ...state, expectedEndAt: r.expectedEndAt };
    case 'LIFT':
      return { ...state, status: 'LIFTED', liftedAt: r.effectiveAt };
    case 'CANCEL':
      return { ...state, status: 'CANCELLED' };
  }
}

/** An active warning past its expected end (with no lift still to come) has expired. */
export function isExpired(state: AlertState, now: Date, liftPending: boolean): boolean {
  return (
    state.status === 'ACTIVE' &&
    !liftPending &&
    state.expectedEndAt !== null &&
    state.expectedEndAt.getTime() <= now.getTime()
  );
}

/** A scheduled transition that keeps failing is logged and audited this often, not on every run. */
export const FAILURE_REPORT_MS = 3600_000;

/** Is a failure due to be reported again, given when it was last reported (null: never)? */
export function failureReportDue(lastReportedAt: Date | null, now: Date): boolean {
  return lastReportedAt === null || now.getTime() - lastReportedAt.getTime() >= FAILURE_REPORT_MS;
}

/** Do two time ranges [start, end) overlap? A null end is open. */
export function overlaps(aStart: Date, aEnd: Date | null, bStart: Date, bEnd: Date | null): boolean {
  const aEndMs = aEnd?.getTime() ?? Number.POSITIVE_INFINITY;
  const bEndMs = bEnd?.getTime() ?? Number.POSITIVE_INFINITY;
  return aStart.getTime() < bEndMs && bStart.getTime() < aEndMs;
}

/** What a warning holds: its counties from its start to its expected end, [start, end), a null end open. */
export interface Footprint {
  countyCodes: readonly string[];
  start: Date;
  end: Date | null;
}

/** Another warning, as the overlap check reads it. */
export interface HeldWarning extends Footprint {
  code: string;
  status: AlertStatus;
}

/** A warning that holds some of the footprint's counties at some time of it, with the counties it shares. */
export interface Overlap extends HeldWarning {
  countyCodes: string[];
}

/**
 * The warnings a footprint would overlap: those holding a county (HOLDING_STATUSES) at a time of the footprint.
 * A county has at most one warning in force or awaiting approval at any time; this is the check that runs, for a
 * draft and for every change that widens a warning (`widenedFootprint`).
 */
export function overlapsOf(footprint: Footprint, others: readonly HeldWarning[]): Overlap[] {
  return others.flatMap((o) => {
    if (!HOLDING_STATUSES.includes(o.status)) return [];
    const shared = footprint.countyCodes.filter((c) => o.countyCodes.includes(c));
    if (shared.length === 0 || !overlaps(footprint.start, footprint.end, o.start, o.end)) return [];
    return [{ ...o, countyCodes: shared }];
  });
}

/** "2026-002(生效中,2026年12月02日 00:00至2026年12月04日 00:00,离石区)" for each overlap, for people. */
export function describeOverlaps(list: readonly Overlap[], countyName: (code: string) => string): string {
  return list
    .map(
      (o) =>
        `${o.code}(${STATUS_NAMES[o.status]},${formatTime(o.start)}至${o.end ? formatTime(o.end) : '解除'},${o.countyCodes.map(countyName).join('、')})`,
    )
    .join(';');
}

/**
 * The warning's footprint once the change has applied, when the change widens it in time (a later expected end,
 * an earlier start) or in counties; null when it does not (a lift, a cancel, a level change over the same
 * counties), so only a widening change is checked against the other warnings.
 */
export function widenedFootprint(
  state: AlertState,
  countyCodes: readonly string[],
  change: ChangeFacts,
): Footprint | null {
  if (change.kind === 'LIFT' || change.kind === 'CANCEL') return null;
  const after = applyRevision(state, change);
  const counties = [...new Set([...countyCodes, ...change.countyCodes])];
  const endMs = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
  const wider =
    counties.length > new Set(countyCodes).size ||
    endMs(after.expectedEndAt) > endMs(state.expectedEndAt) ||
    after.effectiveAt.getTime() < state.effectiveAt.getTime();
  return wider ? { countyCodes: counties, start: after.effectiveAt, end: after.expectedEndAt } : null;
}

/**
 * A lift the forecast does not support may still be approved, but only with the commander's written reason: the
 * error naming `overrideReason` when it is missing or blank, else null (also for any other change).
 */
export function liftOverrideError(
  change: { kind: ChangeKind; liftCheck: { ok: boolean } | null },
  overrideReason: string | undefined,
): FieldError | null {
  if (change.kind !== 'LIFT' || !change.liftCheck || change.liftCheck.ok) return null;
  if (overrideReason?.trim()) return null;
  return {
    field: 'overrideReason',
    message: '最新会商预报不支持解除,批准解除须填写书面理由',
  };
}

/** A change as proposed or approved, with the counties it covers: enough to compare two of them. */
export interface ChangeFacts extends RevisionFacts {
  countyCodes: readonly string[];
}

/** An approved revision that has not taken effect yet. */
export interface ScheduledRevision extends ChangeFacts {
  seq: number;
}

/** A proposal awaiting its decision. */
export interface PendingChange extends ChangeFacts {
  proposedBy: string;
  proposedAt: Date;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

/** The same change twice: same kind, level, counties, effective time and expected end. */
export function sameChange(a: ChangeFacts, b: ChangeFacts): boolean {
  return (
    a.kind === b.kind &&
    a.level === b.level &&
    ms(a.effectiveAt) === ms(b.effectiveAt) &&
    ms(a.expectedEndAt) === ms(b.expectedEndAt) &&
    [...a.countyCodes].sort().join() === [...b.countyCodes].sort().join()
  );
}

/**
 * The warning once every approved revision still to come has taken effect, applied in the scheduler's order
 * (effective time, then sequence).
 */
export function projectedState(state: AlertState, scheduled: readonly ScheduledRevision[]): AlertState {
  return [...scheduled]
    .sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime() || a.seq - b.seq)
    .reduce(applyRevision, state);
}

/** What a change would leave unchanged is what the warning is judged by: status, level in force, expected end. */
function changesNothing(state: AlertState, change: RevisionFacts): boolean {
  const after = applyRevision(state, change);
  return (
    after.status === state.status &&
    after.level === state.level &&
    ms(after.expectedEndAt) === ms(state.expectedEndAt)
  );
}

export type RedundancyCode = 'ALERT_CHANGE_DUPLICATE' | 'ALERT_CHANGE_NO_EFFECT';

/**
 * Why a change must not be proposed or approved because it repeats another or changes nothing, or null. A
 * change is a duplicate when an identical one is pending or approved but not yet in effect; it has no effect
 * when the warning already is, or is approved to become, what it asks (e.g. a second downgrade to the level an
 * approved downgrade will set, or a second lift). `pending` is the proposal awaiting a decision, if any (none
 * when the change being judged is that proposal).
 */
export function redundantChange(
  ctx: { state: AlertState; scheduled: readonly ScheduledRevision[]; pending: PendingChange | null },
  change: ChangeFacts,
): { code: RedundancyCode; message: string } | null {
  const kind = KIND_NAMES[change.kind];
  if (ctx.pending && sameChange(ctx.pending, change)) {
    return {
      code: 'ALERT_CHANGE_DUPLICATE',
      message: `已有相同的${kind}变更待审批(${ctx.pending.proposedBy}于${formatTime(ctx.pending.proposedAt)}提出),不能重复提出`,
    };
  }
  const twin = ctx.scheduled.find((r) => sameChange(r, change));
  if (twin) {
    return {
      code: 'ALERT_CHANGE_DUPLICATE',
      message: `相同的${kind}变更已批准(第${twin.seq}版,${formatTime(twin.effectiveAt)}生效),不能重复`,
    };
  }
  const projected = projectedState(ctx.state, ctx.scheduled);
  if (!changesNothing(projected, change)) return null;
  // "already is" when nothing approved is still to come, "is approved to become" otherwise.
  const already = changesNothing(ctx.state, change);
  const what = (() => {
    switch (change.kind) {
      case 'UPGRADE':
      case 'DOWNGRADE':
      case 'ISSUE':
        return `${already ? '已是' : '已批准调整为'}${LEVEL_NAMES[projected.level]}`;
      case 'EXTEND':
        return `预计结束时间${already ? '已是' : '已批准为'}${formatTime(projected.expectedEndAt)}`;
      case 'LIFT':
        return `已批准于${formatTime(projected.liftedAt)}解除`;
      case 'CANCEL':
        return '已撤销';
    }
  })();
  return { code: 'ALERT_CHANGE_NO_EFFECT', message: `该${kind}变更不会改变预警:预警${what}` };
}
