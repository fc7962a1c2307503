import type { AlertView } from '../alerts/alert-views.service';
import { CAMPAIGN_KIND_NAMES, CAMPAIGN_KINDS, type CampaignKind } from '../campaigns/campaign.rules';
import { formatTime, shanghaiIso } from '../common/time';
import { CONTROL_TAGS, type ControlTag, GRADE_NAMES, type Grade } from '../enterprises/enterprise.types';
import { ESCALATION_SOURCE_NAMES } from '../orders/escalation.rules';
import { type FormBody, many, one } from './console-forms';

/**
 * Pure view models of the campaign records (issue 18): the 管控记录 card of /campaigns, the draft form and the record
 * page. No Nest, no database.
 */

/** The kinds as the draft form offers them. */
export const CAMPAIGN_KIND_OPTIONS = CAMPAIGN_KINDS.map((kind) => ({
  kind,
  name: CAMPAIGN_KIND_NAMES[kind],
}));

/** 管控时段: a staggered production's period, or an ozone-response day with its window (Beijing time). */
export function campaignPeriodText(
  a: Pick<AlertView, 'campaign' | 'effectiveAt' | 'expectedEndAt' | 'liftedAt'>,
): string {
  const c = a.campaign;
  if (c?.kind === 'SUMMER_OZONE' && c.day) {
    const [y, m, d] = c.day.split('-').map(Number);
    return `${y}年${m}月${d}日${c.window ? ` ${c.window.from}–${c.window.to}` : ''}(臭氧污染应对日)`;
  }
  return `${formatTime(a.effectiveAt)} 至 ${a.expectedEndAt ? formatTime(a.expectedEndAt) : '另行通知'}`;
}

/** The 文号 of the notice its approval released (the ISSUE revision's), or null before approval. */
export function issuingDocumentNumber(a: Pick<AlertView, 'revisions'>): string | null {
  return a.revisions.find((r) => r.kind === 'ISSUE')?.documentNumber ?? null;
}

const countyText = (codes: readonly string[], names: Record<string, string>, all: number): string =>
  all > 0 && codes.length === all ? '全市' : codes.map((c) => names[c] ?? c).join('、');

/** One row of the 管控记录 card. */
export function campaignRecordRow(a: AlertView, names: Record<string, string>, countyCount: number) {
  return {
    id: a.id,
    code: a.code,
    name: a.campaign?.name ?? a.levelName,
    kindName: a.campaign?.kindName ?? '',
    counties: countyText(a.countyCodes, names, countyCount),
    period: campaignPeriodText(a),
    status: a.status,
    statusName: a.statusName,
    documentNumber: issuingDocumentNumber(a),
    enterprises: a.orderCounts.total,
  };
}

/** The scope filters of a record in words: every industry, grade or tag when the record names none. */
export function campaignScopeText(
  spec: { industries: string[] | null; grades: string[] | null; tags: string[] | null },
  industryName: (code: string) => string,
) {
  return {
    industries: spec.industries?.length ? spec.industries.map(industryName).join('、') : '全部行业',
    grades: spec.grades?.length
      ? spec.grades.map((g) => GRADE_NAMES[g as Grade] ?? g).join('、')
      : '全部绩效等级',
    tags: spec.tags?.length
      ? spec.tags
          .map((t) =>
            (CONTROL_TAGS as readonly string[]).includes(t) ? ESCALATION_SOURCE_NAMES[t as ControlTag] : t,
          )
          .join('、')
      : '不限',
  };
}

/** The record page's facts: name, kind, counties, period, status, rules version, scope. */
export function campaignRecordFacts(
  a: AlertView,
  names: Record<string, string>,
  countyCount: number,
  industryName: (code: string) => string,
) {
  return {
    ...campaignRecordRow(a, names, countyCount),
    ozone: a.campaign?.kind === 'SUMMER_OZONE',
    scope: campaignScopeText(a.campaign ?? { industries: null, grades: null, tags: null }, industryName),
  };
}

/**
 * The draft form's values as `CreateCampaignDto`'s plain object: only the fields of the chosen kind (a period for
 * staggered production; a day, and the consultation if any, for the ozone response), times as Beijing time.
 */
export function campaignDraftPlain(body: FormBody): Record<string, unknown> {
  const kind = one(body, 'kind') ?? '';
  const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  return {
    kind,
    ...optional('name', one(body, 'name')),
    ...(one(body, 'wholeCity') ? { wholeCity: true } : { countyCodes: many(body, 'countyCodes') }),
    ...(kind === 'SUMMER_OZONE'
      ? { ...optional('day', one(body, 'day')), ...optional('consultationId', one(body, 'consultationId')) }
      : {
          ...optional('effectiveAt', shanghaiIso(one(body, 'effectiveAt'))),
          ...optional('expectedEndAt', shanghaiIso(one(body, 'expectedEndAt'))),
        }),
    ...optional('reason', one(body, 'reason')),
  };
}

/** The draft form's default end: the last minute of the season in progress or next (month-days, Beijing). */
export function seasonEndInput(season: { to: string }, today: string): string {
  const year = Number(today.slice(0, 4));
  const end = `${year}-${season.to}`;
  return `${end >= today ? end : `${year + 1}-${season.to}`}T23:59`;
}

/** The kind a form asks for, the staggered production when it names none it knows. */
export function draftKind(body: FormBody): CampaignKind {
  const kind = one(body, 'kind');
  return (CAMPAIGN_KINDS as readonly string[]).includes(kind ?? '')
    ? (kind as CampaignKind)
    : 'AUTUMN_WINTER';
}

/** The draft form's and the record page's fields in words, for the list of errors above a form. */
export const CAMPAIGN_FIELD_LABELS: Record<string, string> = {
  kind: '类型',
  name: '名称',
  countyCodes: '区县',
  wholeCity: '全市',
  effectiveAt: '开始时间',
  expectedEndAt: '结束时间',
  day: '应对日',
  consultationId: '会商',
  reason: '理由',
  comment: '审批意见',
};

/** A form's field errors as a list people read: the field's name in Chinese (its code never shown), the message. */
export function labelledErrors(
  fields: ReadonlyArray<{ field: string; message: string }>,
  labels: Record<string, string> = CAMPAIGN_FIELD_LABELS,
): Array<{ label: string; message: string }> {
  return fields.map((f) => ({ label: labels[f.field.split(/[.[]/)[0]] ?? '', message: f.message }));
}
