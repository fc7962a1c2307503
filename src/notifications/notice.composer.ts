import { CAMPAIGN_KIND_NAMES, type CampaignSpec } from '../campaigns/campaign.rules';
import type { Grade } from '../enterprises/enterprise.types';
import { GRADE_NAMES } from '../enterprises/enterprise.types';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { type OrderMeasure, orderDelta, orderMeasures } from '../orders/order.rules';
import type { MessageKind } from './outbox.rules';
import type { EmailTemplate } from './template-renderer.service';
import { buildNoticeDocument, type NoticeDocument, type NoticeSource } from '../documents/notice-document';
import { composePartyMessage, isPartyMessage, type PartyLinks } from '../parties/party-notice.composer';

/** Everything the dispatcher loads for one message (one query for a whole batch). */
export interface NoticeRow {
  message_id: string;
  kind: MessageKind;
  recipients: string[];
  context: Record<string, unknown> | null;
  order_id: string | null;
  notice_type: string | null;
  effective_at: Date | null;
  receipt_due_at: Date | null;
  report_due_at: Date | null;
  measures: OrderMeasure[] | null;
  previous_measures: OrderMeasure[] | null;
  revision_kind: string | null;
  name: string | null;
  credit_code: string | null;
  grade: Grade | null;
  protected_reason: string | null;
  protected_max_load: string | null;
  alert_code: string;
  alert_level: WarningLevel;
  alert_start: Date;
  expected_end_at: Date | null;
  order_state: string | null;
  /** The level the order is for (an upgrade's order names the new level before it takes effect). */
  order_level: WarningLevel | null;
  /** The level whose plan measures the order carries, and the tags and places that escalated it (issue 18). */
  measure_level?: WarningLevel | null;
  escalated_by?: string[] | null;
  /** The grade the order treated the enterprise as (GRADE_LOWER), null when written before. */
  grade_taken?: string | null;
  /** The revision whose notice this is (an extension's from its context, else the order's). */
  revision_id: string | null;
  county_code: string | null;
  alert_id: string | null;
  alert_county_codes: string[] | null;
  ruleset_id: string | null;
  directive_ids: string[] | null;
  expiry_document_number: string | null;
  /** A campaign's record (issue 18): its notices have their own templates and say the campaign, not a level. */
  alert_campaign?: CampaignSpec | null;
  /** Why the order carries its measures (a campaign's decision), for the notice. */
  order_reasons?: string[] | null;
  /** A campaign's order written while a warning was in force (before 1795900002500): what its notice says of it. */
  during_warning?: string | null;
  /** A campaign's order written while a warning is in force: that warning's order's measures, its code and level. */
  during_warning_measures?: OrderMeasure[] | null;
  during_warning_code?: string | null;
  during_warning_level?: WarningLevel | null;
  /** The enterprise's production lines, read with a warning's order (the sentence names the lines). */
  enterprise_lines?: Array<{ code: string; name: string }> | null;
}

export const TEMPLATE_OF: Record<MessageKind, EmailTemplate> = {
  ORDER_ISSUED: 'order-issued',
  ORDER_ADJUSTED: 'order-adjusted',
  ORDER_LIFTED: 'order-lifted',
  ORDER_CANCELLED: 'order-lifted',
  ORDER_EXTENDED: 'order-extended',
  REMINDER: 'reminder',
  ESCALATION: 'escalation',
  AUDIT_ANCHOR: 'audit-anchor',
  HEADS_UP: 'heads-up',
  COUNTY_NOTICE: 'county-notice',
  DEPARTMENT_NOTICE: 'department-notice',
  PARTY_REMINDER: 'party-reminder',
  PARTY_ESCALATION: 'party-escalation',
};

/** A campaign's orders and end notices have their own templates; reminders and the rest are shared. */
export function templateOf(row: Pick<NoticeRow, 'kind' | 'alert_campaign'>): EmailTemplate {
  if (row.alert_campaign) {
    if (row.kind === 'ORDER_ISSUED' || row.kind === 'ORDER_ADJUSTED') return 'campaign-order';
    if (row.kind === 'ORDER_LIFTED' || row.kind === 'ORDER_CANCELLED') return 'campaign-ended';
  }
  return TEMPLATE_OF[row.kind];
}

/** The template context of one message: a plain object with every field the strict templates read. */
export function composeNotice(
  row: NoticeRow,
  source: NoticeSource | null,
  opts: {
    links: (orderId: string) => { view: string; receipt: string; report: string };
    /** The signed links of a county's or department's notice (its own, not an order's). */
    partyLinks: PartyLinks;
    dutyOffice: { name: string; phone: string; email: string };
  },
): Record<string, unknown> {
  // A county's or department's message: everything it says was fixed in its context when it was queued.
  if (isPartyMessage(row.kind)) return composePartyMessage(row.kind, row.context ?? {}, opts);
  // The document every form renders (null for the audit digest and the escalation, which are no notices).
  const doc: NoticeDocument | null = source ? buildNoticeDocument(source) : null;
  // A digest of the audit chain belongs to no warning: its context is all there is.
  if (row.kind === 'AUDIT_ANCHOR')
    return {
      alert: null,
      doc,
      banner: '审计日志 · 链头锚定',
      dutyOffice: opts.dutyOffice,
      ...(row.context ?? {}),
    };
  // A heads-up belongs to no warning either: no order, no deadline, nothing to confirm.
  if (row.kind === 'HEADS_UP')
    return {
      alert: null,
      doc,
      banner: '预警提示 · 请提前做好应急减排准备',
      dutyOffice: opts.dutyOffice,
      ...(row.context ?? {}),
    };
  const level = row.order_level ?? row.alert_level;
  const campaign = row.alert_campaign ?? null;
  const alert = {
    code: row.alert_code,
    level,
    // A campaign has no level: the subject and the reminders name the campaign.
    levelName: campaign ? campaign.name : LEVEL_NAMES[level],
    expectedEndAt: row.expected_end_at,
    campaign: campaign ? { ...campaign, kindName: CAMPAIGN_KIND_NAMES[campaign.kind] } : null,
    // What the reminders and escalations name: 橙色预警 / the campaign, and its order.
    what: campaign ? campaign.name : `${LEVEL_NAMES[level]}预警`,
    orderName: campaign ? `${campaign.name}管控指令` : `${LEVEL_NAMES[level]}预警减排指令`,
  };
  const base = { alert, doc, dutyOffice: opts.dutyOffice };
  if (row.kind === 'ESCALATION') return { ...base, ...(row.context ?? {}) };
  const start = row.alert_start;
  const effective = row.effective_at ?? start;
  const measures = orderMeasures(row.measures ?? [], start, effective);
  const previous = orderMeasures(row.previous_measures ?? [], start, effective);
  return {
    ...base,
    enterprise: {
      name: row.name,
      creditCode: row.credit_code,
      gradeName: row.grade ? GRADE_NAMES[row.grade] : '',
      protectedReason: row.protected_reason ?? '',
      protectedMaxLoad: row.protected_max_load === null ? '' : Number(row.protected_max_load),
    },
    order: {
      effectiveAt: effective,
      receiptDueAt: row.receipt_due_at,
      reportDueAt: row.report_due_at,
      noticeType: row.notice_type,
      measures,
    },
    delta: orderDelta(previous, measures),
    change: row.revision_kind,
    cancelled: row.kind === 'ORDER_CANCELLED',
    // An end notice at expiry (no lift was decided: the warning ran to its expected end).
    expired: row.context?.expired === true,
    endedAt: row.context?.endedAt ?? null,
    // An extension notice: the new expected end.
    extendedTo: row.kind === 'ORDER_EXTENDED' ? (row.context?.expectedEndAt ?? null) : null,
    // An order written ahead of its effective time can be received in advance too.
    needsReceipt:
      row.order_state === 'PENDING' || row.order_state === 'SENT' || row.order_state === 'SCHEDULED',
    links: opts.links(row.order_id!),
  };
}
