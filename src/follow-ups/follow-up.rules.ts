import { type CountyScope, countyScopeOf } from '../auth/county-scope';
import type { FieldError } from '../common/errors/domain-error';
import { formatShortTime } from '../common/time';

/**
 * Follow-up records (跟进记录) of a reduction order: a phone call, a visit or a note, with its outcome. Pure: the
 * service reads the order and the clock, these rules decide.
 */
export const FOLLOW_UP_KINDS = ['PHONE_CALL', 'VISIT', 'NOTE'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export const FOLLOW_UP_OUTCOMES = [
  'REACHED',
  'NOT_REACHED',
  'PROMISED',
  'REFUSED',
  'COMPLIANT',
  'NON_COMPLIANT',
  'OTHER',
] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

/** The Chinese names people read, in one place (pages, timeline, assessment). */
export const FOLLOW_UP_KIND_NAMES: Record<FollowUpKind, string> = {
  PHONE_CALL: '电话',
  VISIT: '现场检查',
  NOTE: '备注',
};

export const FOLLOW_UP_OUTCOME_NAMES: Record<FollowUpOutcome, string> = {
  REACHED: '已接通',
  NOT_REACHED: '未接通',
  PROMISED: '承诺落实',
  REFUSED: '拒不落实',
  COMPLIANT: '已落实',
  NON_COMPLIANT: '未落实',
  OTHER: '其他',
};

export const FOLLOW_UP_NOTE_MAX = 2000;
export const FOLLOW_UP_CONTACT_MAX = 50;

/** Roles that follow up any county's enterprises (the city's duty office and the command). */
const CITY_WIDE_ROLES: readonly string[] = ['DUTY_OFFICER', 'COMMANDER'];

/** Who records a follow-up: their roles, and the counties they answer for when their role is county-scoped. */
export interface FollowUpAuthor {
  roles: readonly string[];
  countyCodes?: readonly string[];
  /** Which orders they may find at all (another county's order is not found: 404 before any refusal). */
  scope?: CountyScope;
}

/**
 * Why this person may not record a follow-up for this order, or null when they may: city-wide roles may for every
 * county; a county-scoped person (countyCodes given) only for the orders of their own counties.
 */
export function followUpRefusal(author: FollowUpAuthor, order: { countyCode: string }): string | null {
  if (author.roles.some((r) => CITY_WIDE_ROLES.includes(r))) return null;
  if (author.countyCodes?.includes(order.countyCode)) return null;
  return author.countyCodes ? '只能记录本辖区企业的跟进情况' : '当前角色无权记录跟进情况';
}

/** The author a signed-in user records as: a county officer with their counties, every other role city-wide. */
export function followUpAuthorOf(user: {
  roles: readonly string[];
  countyCodes?: readonly string[];
}): FollowUpAuthor {
  return {
    roles: user.roles,
    ...(user.roles.includes('COUNTY_OFFICER') ? { countyCodes: user.countyCodes ?? [] } : {}),
    scope: countyScopeOf(user),
  };
}

/** When the follow-up happened must be known: not in the future, not before the order was written. */
export function happenedAtProblems(happenedAt: Date, now: Date, orderWrittenAt: Date): FieldError[] {
  if (happenedAt.getTime() > now.getTime())
    return [{ field: 'happenedAt', message: '跟进时间不能晚于当前时间' }];
  if (happenedAt.getTime() < orderWrittenAt.getTime())
    return [{ field: 'happenedAt', message: '跟进时间不能早于指令下达时间' }];
  return [];
}

/** One follow-up in a row: "12-01 10:20 电话 已接通 王某". */
export function followUpLine(f: {
  happenedAt: Date;
  kind: FollowUpKind;
  outcome: FollowUpOutcome;
  contactName: string | null;
}): string {
  return [
    formatShortTime(f.happenedAt),
    FOLLOW_UP_KIND_NAMES[f.kind] ?? f.kind,
    FOLLOW_UP_OUTCOME_NAMES[f.outcome] ?? f.outcome,
    f.contactName ?? '',
  ]
    .filter((s) => s !== '')
    .join(' ');
}

/** How a warning's follow-ups add up: in all, by kind, and per county in the counties' order. */
export interface FollowUpCounts {
  total: number;
  byKind: Record<FollowUpKind, number>;
  byCounty: Array<{ code: string; name: string; count: number }>;
}

/** Counts from rows grouped by county and kind (one row per pair). */
export function followUpCounts(
  rows: ReadonlyArray<{
    countyCode: string;
    countyName: string;
    countySort: number;
    kind: FollowUpKind;
    count: number;
  }>,
): FollowUpCounts {
  const byKind = Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [k, 0])) as Record<FollowUpKind, number>;
  const counties = new Map<string, { code: string; name: string; sort: number; count: number }>();
  for (const r of rows) {
    byKind[r.kind] = (byKind[r.kind] ?? 0) + r.count;
    const county = counties.get(r.countyCode) ?? {
      code: r.countyCode,
      name: r.countyName,
      sort: r.countySort,
      count: 0,
    };
    county.count += r.count;
    counties.set(r.countyCode, county);
  }
  return {
    total: rows.reduce((sum, r) => sum + r.count, 0),
    byKind,
    byCounty: [...counties.values()]
      .sort((a, b) => a.sort - b.sort || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map(({ code, name, count }) => ({ code, name, count })),
  };
}
