import {
  FINDING_NAMES,
  type FindingKind,
  REVIEW_OUTCOME_NAMES,
  type ReviewOutcome,
} from '../reconciliation/reconciliation.rules';
import { KIND_NAMES, type ChangeKind } from '../alerts/alert.rules';
import { CAMPAIGN_LEVEL } from '../alerts/alert.entity';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { auditActionLabel } from './audit-actions';
import {
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_OUTCOME_NAMES,
  type FollowUpKind,
  type FollowUpOutcome,
} from '../follow-ups/follow-up.rules';
import { GRADE_NAMES, type Grade } from '../enterprises/enterprise.types';
import { INSPECTION_RESULT_NAMES, type InspectionResult } from '../inspections/inspection.rules';
/** A page of the timeline unless the client asks otherwise, and the most it may ask for. */
export const TIMELINE_DEFAULT_LIMIT = 200;
export const TIMELINE_MAX_LIMIT = 1000;

export type TimelineKind = 'AUDIT' | 'DELIVERY';

/** An event's id, also the cursor: `audit:<audit entry id>` or `delivery:<delivery history id>`. */
export const CURSOR_PATTERN = /^(audit|delivery):([1-9]\d{0,17})$/;

export function timelineEventId(kind: TimelineKind, seq: string): string {
  return `${kind === 'AUDIT' ? 'audit' : 'delivery'}:${seq}`;
}

/** The event a cursor names, or null when it is no event id. */
export function parseTimelineCursor(cursor: string): { kind: TimelineKind; seq: string } | null {
  const m = CURSOR_PATTERN.exec(cursor);
  return m ? { kind: m[1] === 'audit' ? 'AUDIT' : 'DELIVERY', seq: m[2] } : null;
}

/**
 * Cuts a page from rows fetched with one more than the limit: that extra row only says there is more, and the
 * next page starts after the last row kept.
 */
export function timelinePage<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextAfter: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? items[items.length - 1].id : null };
}

const DELIVERY_STATE_LABELS: Record<string, string> = {
  SENDING: '发送中',
  SENT: '已送达邮件服务器',
  RETRYING: '发送失败,稍后重试',
  FAILED: '发送失败',
  QUEUED: '重新排队',
};

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The event's action in words: an audit entry's catalogued label, or a delivery's new state. */
export function timelineLabel(kind: TimelineKind, action: string, data: Record<string, unknown>): string {
  if (kind === 'DELIVERY') return DELIVERY_STATE_LABELS[text(data.to)] ?? text(data.to);
  return auditActionLabel(action);
}

/** One line of the timeline: the label with the details a reader needs (recipients, reason, kind and level). */
export function timelineSummary(kind: TimelineKind, action: string, data: Record<string, unknown>): string {
  const label = timelineLabel(kind, action, data);
  if (kind === 'DELIVERY') {
    const to = (data.recipients as string[] | undefined)?.join(',') ?? '';
    return `${label}:${to}${text(data.detail) ? `(${text(data.detail)})` : ''}`;
  }
  if (action === 'alert.approval.two-person-concern') return `${label}:${text(data.message)}`;
  if (action === 'alert.lift.override') return `${label}:${text(data.reason)}`;
  if (action === 'order.followed-up') {
    // 记录跟进情况:孝义甲焦化 · 电话 · 已接通 · 王某
    const parts = [
      text(data.enterpriseName),
      FOLLOW_UP_KIND_NAMES[text(data.kind) as FollowUpKind] ?? text(data.kind),
      FOLLOW_UP_OUTCOME_NAMES[text(data.outcome) as FollowUpOutcome] ?? text(data.outcome),
      text(data.contactName),
    ];
    return `${label}:${parts.filter((p) => p !== '').join(' · ')}`;
  }
  // Inspections (issue 17): 记录现场检查:孝义甲焦化 · 存在违规; 绩效分级复核决定:孝义甲焦化 · B级→C级
  if (action === 'inspection.recorded') {
    const result = INSPECTION_RESULT_NAMES[text(data.result) as InspectionResult] ?? text(data.result);
    return `${label}:${[text(data.enterpriseName), result].filter((p) => p !== '').join(' · ')}`;
  }
  if (action.startsWith('inspection.') || action === 'grade-review.opened')
    return text(data.enterpriseName) ? `${label}:${text(data.enterpriseName)}` : label;
  if (action === 'grade-review.decided') {
    const grade = (g: unknown) => GRADE_NAMES[text(g) as Grade] ?? text(g);
    return `${label}:${text(data.enterpriseName)} · ${grade(data.from)}→${grade(data.to)}`;
  }
  // Reconciliation (issue 17): 核对监测数据与指令:超出 3 处 · 缺数 1 处 · 与自报不符 1 处;
  // 核实监测数据异常:孝义甲焦化 · JL1 · 超出指令允许值 · 属实(未落实措施)
  if (action === 'telemetry.reconciled')
    return `${label}:超出 ${Number(data.exceeded ?? 0)} 处 · 缺数 ${Number(data.missing ?? 0)} 处 · 与自报不符 ${Number(data.flagged ?? 0)} 处`;
  if (action === 'telemetry.discrepancy-reviewed') {
    const parts = [
      text(data.enterpriseName),
      text(data.point),
      FINDING_NAMES[text(data.kind) as FindingKind] ?? text(data.kind),
      REVIEW_OUTCOME_NAMES[text(data.outcome) as ReviewOutcome] ?? text(data.outcome),
    ];
    return `${label}:${parts.filter((p) => p !== '').join(' · ')}`;
  }
  // Codes in words: 发布 橙色, not ISSUE ORANGE.
  const kindName = KIND_NAMES[text(data.kind) as ChangeKind] ?? text(data.kind);
  // A campaign's level is NONE: it has none to name.
  const levelName =
    text(data.level) === CAMPAIGN_LEVEL
      ? ''
      : (LEVEL_NAMES[text(data.level) as WarningLevel] ?? text(data.level));
  const extra = kindName ? `(${kindName}${levelName ? ' ' + levelName : ''})` : '';
  // A release names the document it released (文号).
  const number = text(data.documentNumber) ? ` · ${text(data.documentNumber)}` : '';
  return label + extra + number;
}
