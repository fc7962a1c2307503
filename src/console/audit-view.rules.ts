import { auditActionLabel } from '../audit/audit-actions';
import type { EntryNames } from '../audit/audit-query.service';
import { ACTOR_TYPES, type ActorType, type AuditEntry } from '../audit/audit-entry.entity';
import { auditSummary } from '../audit/audit-summary.rules';
import { shanghaiDate, shanghaiIso } from '../common/time';
import { ACTOR_TYPE_NAMES, SUBJECT_NAMES } from './console-helpers';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The page's 起/止 dates as the API's instants: Beijing calendar days, both inclusive, so 止 is the start of the
 * next day (exclusive). A date-and-time (an older link) is read as Beijing time; anything else goes on as it
 * came, for the API's validator to refuse naming the field.
 */
export function beijingDayRange(from?: string, to?: string): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  const f = from?.trim();
  const t = to?.trim();
  if (f) out.from = DAY.test(f) ? `${f}T00:00:00+08:00` : shanghaiIso(f);
  if (t) {
    const next = DAY.test(t) ? new Date(new Date(`${t}T00:00:00+08:00`).getTime() + 86_400_000) : null;
    out.to = next && !Number.isNaN(next.getTime()) ? `${shanghaiDate(next)}T00:00:00+08:00` : shanghaiIso(t);
  }
  return out;
}

/** The actor select's value: an account's username, or `@KIND` for every actor of a kind (系统, 企业 …). */
export function actorFilter(value?: string): { actor?: string } | { actorType?: string } {
  const v = value?.trim();
  if (!v) return {};
  return v.startsWith('@') ? { actorType: v.slice(1) } : { actor: v };
}

export interface ActorOption {
  value: string;
  label: string;
  selected: boolean;
}

/**
 * The accounts by display name (the username beside it only where two accounts share a name), then the kinds of
 * actor that are not accounts.
 */
export function actorOptions(
  users: Array<{ username: string; displayName: string }>,
  selected: string | undefined,
): { users: ActorOption[]; kinds: ActorOption[] } {
  const count = new Map<string, number>();
  for (const u of users) count.set(u.displayName, (count.get(u.displayName) ?? 0) + 1);
  return {
    users: [...users]
      .sort(
        (a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || a.username.localeCompare(b.username),
      )
      .map((u) => ({
        value: u.username,
        label: (count.get(u.displayName) ?? 0) > 1 ? `${u.displayName}(${u.username})` : u.displayName,
        selected: u.username === selected,
      })),
    kinds: ACTOR_TYPES.map((type) => ({
      value: `@${type}`,
      label: type === 'USER' ? '全部工作人员' : ACTOR_TYPE_NAMES[type],
      selected: `@${type}` === selected,
    })),
  };
}

/** Who did it, for people: the account's display name, the enterprise's name, the system. */
export function actorLabel(
  e: Pick<AuditEntry, 'actorType' | 'actorName' | 'action'>,
  names: Pick<EntryNames, 'actorName'>,
): string {
  const type: ActorType = e.actorType;
  if (type === 'SYSTEM' || e.actorName === 'system') return ACTOR_TYPE_NAMES.SYSTEM;
  if (names.actorName) return names.actorName;
  if (type === 'ENTERPRISE') return ACTOR_TYPE_NAMES.ENTERPRISE;
  // Bureaus and departments sign through their links, without an account.
  if (type === 'ANONYMOUS' && e.action.startsWith('party.')) return ACTOR_TYPE_NAMES.PARTY;
  return e.actorName || ACTOR_TYPE_NAMES[type] || ACTOR_TYPE_NAMES.ANONYMOUS;
}

export interface AuditRowView {
  id: string;
  occurredAt: Date;
  action: string;
  actionLabel: string;
  actorLabel: string;
  subjectKind: string;
  subjectId: string | null;
  /** Not `subjectName`: that is a helper's name, and a helper wins over a field in a template. */
  subjectLabel: string | null;
  alertId: string | null;
  alertCode: string | null;
  summary: string;
  ip: string | null;
  dataText: string;
}

/** One row of the audit page: time, who, what, about what, a line of detail, and the raw record. */
export function auditRowView(e: AuditEntry, names: EntryNames): AuditRowView {
  return {
    id: e.id,
    occurredAt: e.occurredAt,
    action: e.action,
    actionLabel: auditActionLabel(e.action),
    actorLabel: actorLabel(e, names),
    subjectKind: e.subjectType ? (SUBJECT_NAMES[e.subjectType] ?? e.subjectType) : '',
    subjectId: e.subjectId,
    subjectLabel: names.subjectName,
    alertId: e.alertId,
    // The warning is said once: as the subject when it is one.
    alertCode: e.subjectType === 'alert' ? null : names.alertCode,
    summary: auditSummary(e.action, e.data ?? {}, { previousLevel: names.previousLevel }),
    ip: e.ip,
    dataText: JSON.stringify(e.data),
  };
}
