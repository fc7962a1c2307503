import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Alert, AlertChange, AlertRevision } from '../alerts/alert.entity';
import { RevisionEffects } from '../alerts/revision-effects';
import { SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { Grade } from '../enterprises/enterprise.types';
import { OutboxService } from '../notifications/outbox.service';
import { CURRENT_ORDER_SQL } from '../orders/order-scope.sql';
import { deadlines } from '../orders/order.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { Ruleset } from '../rulesets/ruleset.entity';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { CAMPAIGN_KIND_NAMES, campaignRulesOf } from '../campaigns/campaign.rules';
import {
  campaignPartyTitle,
  type CountySummary,
  countySummary,
  ENDING_KINDS,
  PARTY_NOTICE_KIND_NAMES,
  type PartyKind,
  type PartyNoticeKind,
  partiesToNotify,
  partyNoticeTitle,
  RESPONSE_LEVEL_NAMES,
} from './party.rules';

/** What the notices of one revision (or expiry) say in common; each party's own part is added per row. */
export interface PartyNoticeContext {
  noticeKind: PartyNoticeKind;
  noticeKindName: string;
  title: string;
  /** The notice's 文号 (the revision's, or the expiry's), else the warning's code for notices released before numbering. */
  number: string;
  alertCode: string;
  level: WarningLevel;
  levelName: string;
  responseLevel: string;
  /** The level before an upgrade or downgrade. */
  previousLevelName: string | null;
  countyNames: string;
  effectiveAt: string;
  expectedEndAt: string | null;
  receiptDueAt: string;
  linkExpiresAt: string;
  ending: boolean;
  cancelled: boolean;
  expired: boolean;
  reason: string | null;
  /** A campaign's notice (issue 18): what it is, in place of a level; null for a warning's. */
  campaign: {
    kind: string;
    kindName: string;
    name: string;
    day: string | null;
    window: { from: string; to: string } | null;
  } | null;
}

/**
 * Tells the county bureaus and city departments of every step of a warning, in the step's transaction: one party
 * notice per county of the warning and per department with duties at its level (a change also to everyone told
 * before, the end of the warning to everyone told before only), their messages queued by the outbox in one
 * statement, one audit entry. Runs after the orders (RevisionEffectsChain), so a county notice sums up the orders
 * this revision wrote.
 */
@Injectable()
export class PartyNoticesService extends RevisionEffects {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApproved(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    _change: AlertChange,
  ): Promise<void> {
    if (!this.config.partyNotices) return;
    await this.notify(m, alert, revision);
  }

  /** The notices went out when the change was approved (ahead of its time); taking effect changes nothing here. */
  async onApplied(): Promise<void> {}

  async onExpired(m: EntityManager, alert: Alert): Promise<void> {
    if (!this.config.partyNotices) return;
    await this.notify(m, alert, null);
  }

  private async notify(m: EntityManager, alert: Alert, revision: AlertRevision | null): Promise<void> {
    const now = this.clock.now();
    const kind: PartyNoticeKind = revision?.kind ?? 'EXPIRE';
    const level = revision?.level ?? alert.level;
    const effectiveAt = revision?.effectiveAt ?? alert.expectedEndAt ?? now;
    const countyCodes = revision?.countyCodes ?? alert.countyCodes;
    const ruleset = await m.getRepository(Ruleset).findOneByOrFail({ id: alert.rulesetId });
    const departments = await m.query<
      Array<{ code: string; name: string; email: string | null; active: boolean }>
    >('SELECT code, name, email, active FROM department ORDER BY sort_order, code');
    const notified = await m.query<Array<{ partyKind: PartyKind; partyCode: string }>>(
      'SELECT DISTINCT party_kind AS "partyKind", party_code AS "partyCode" FROM party_notice WHERE alert_id = $1',
      [alert.id],
    );
    const parties = partiesToNotify({
      kind,
      level,
      countyCodes,
      // A campaign's departments: the ozone day's bans (issue 18); staggered production tells the counties only.
      duties: alert.campaign
        ? alert.campaign.kind === 'SUMMER_OZONE'
          ? { [level]: campaignRulesOf(ruleset.definition).SUMMER_OZONE.departmentDuties ?? [] }
          : {}
        : ruleset.definition.departmentDuties,
      departments,
      notified,
    });
    if (parties.length === 0) return;

    const counties = new Map(
      (
        await m.query<
          Array<{ code: string; name: string; bureau_name: string | null; bureau_email: string | null }>
        >('SELECT code, name, bureau_name, bureau_email FROM county ORDER BY sort_order')
      ).map((c) => [c.code, c]),
    );
    const summaries = ENDING_KINDS.includes(kind)
      ? new Map<string, CountySummary>()
      : await this.summaries(m, alert, revision);
    const receiptDueAt = deadlines(now, effectiveAt, ruleset.definition.deadlines).receiptDueAt;
    const rows = parties.map((p) => {
      const county = p.partyKind === 'COUNTY' ? counties.get(p.partyCode) : undefined;
      const department =
        p.partyKind === 'DEPARTMENT' ? departments.find((d) => d.code === p.partyCode) : undefined;
      const email = county ? county.bureau_email : (department?.email ?? null);
      return {
        ...p,
        name: county
          ? (county.bureau_name ?? `${county.name}生态环境部门`)
          : (department?.name ?? p.partyCode),
        recipients: email ? [email] : [],
        summary:
          p.partyKind === 'COUNTY' && !ENDING_KINDS.includes(kind)
            ? (summaries.get(p.partyCode) ?? countySummary([]))
            : null,
      };
    });

    const inserted = await m.query<
      Array<{ id: string; party_kind: PartyKind; party_code: string; recipients: string[] }>
    >(
      `INSERT INTO party_notice (alert_id, revision_id, notice_kind, party_kind, party_code, party_name, level, duties, summary,
                                 recipients, state, receipt_due_at, created_at, updated_at)
       SELECT $1, $2, $3, u.kind, u.code, u.name, $4, u.duties, u.summary, ARRAY(SELECT jsonb_array_elements_text(u.recipients)),
              'PENDING', $5, $6, $6
         FROM unnest($7::text[], $8::varchar[], $9::text[], $10::jsonb[], $11::jsonb[], $12::jsonb[])
              WITH ORDINALITY AS u(kind, code, name, duties, summary, recipients, n)
        ORDER BY u.n
       RETURNING id, party_kind, party_code, recipients`,
      [
        alert.id,
        revision?.id ?? null,
        kind,
        level,
        receiptDueAt,
        now,
        rows.map((r) => r.partyKind),
        rows.map((r) => r.partyCode),
        rows.map((r) => r.name),
        rows.map((r) => JSON.stringify(r.duties)),
        rows.map((r) => (r.summary ? JSON.stringify(r.summary) : null)),
        rows.map((r) => JSON.stringify(r.recipients)),
      ],
    );

    const context = await this.context(m, alert, revision, {
      kind,
      level,
      effectiveAt,
      countyCodes,
      receiptDueAt,
      counties,
    });
    const queued = await this.outbox.enqueueSelected(m, {
      sql: `SELECT NULL::uuid AS order_id, p.alert_id,
                   CASE p.party_kind WHEN 'COUNTY' THEN 'COUNTY_NOTICE' ELSE 'DEPARTMENT_NOTICE' END AS kind, p.recipients,
                   $2::jsonb || jsonb_build_object('partyNoticeId', p.id, 'partyKind', p.party_kind, 'partyName', p.party_name,
                                                   'countyName', c.name, 'duties', p.duties, 'summary', p.summary) AS context
              FROM party_notice p LEFT JOIN county c ON p.party_kind = 'COUNTY' AND c.code = p.party_code
             WHERE p.id = ANY($1::uuid[])`,
      params: [inserted.map((r) => r.id), JSON.stringify(context)],
    });
    if (queued.length)
      await m.query(
        `UPDATE party_notice p SET message_id = om.id
           FROM outbox_message om WHERE om.id = ANY($1::uuid[]) AND p.id = (om.context->>'partyNoticeId')::uuid`,
        [queued.map((q) => q.id)],
      );
    const codes = (k: PartyKind) => inserted.filter((r) => r.party_kind === k).map((r) => r.party_code);
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'parties.notified',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          revisionId: revision?.id ?? null,
          kind,
          counties: codes('COUNTY'),
          departments: codes('DEPARTMENT'),
          messages: queued.length,
          noEmail: inserted
            .filter((r) => r.recipients.length === 0)
            .map((r) => `${r.party_kind}:${r.party_code}`),
        },
      },
      m,
    );
  }

  /**
   * Per county, its enterprises in scope by grade with their measures: the orders this revision wrote (an issue,
   * upgrade or downgrade), or for an extension the orders in force.
   */
  private async summaries(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision | null,
  ): Promise<Map<string, CountySummary>> {
    const ownOrders = revision && ['ISSUE', 'UPGRADE', 'DOWNGRADE'].includes(revision.kind);
    const orders = await m.query<
      Array<{
        county_code: string;
        grade: Grade;
        notice_type: string;
        problem: string | null;
        actions: string[];
        n: number;
      }>
    >(
      // Grouped in the database: a few hundred kinds of order, not one row per enterprise.
      `SELECT o.county_code, e.grade, o.notice_type, o.problem, x.actions, count(*)::int AS n
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT a->>'action' FROM jsonb_array_elements(o.measures) a ORDER BY 1)
                                   AS actions) x
        WHERE ${ownOrders ? 'o.revision_id = $1' : `o.alert_id = $1 AND ${CURRENT_ORDER_SQL}`}
        GROUP BY 1, 2, 3, 4, 5`,
      [ownOrders ? revision.id : alert.id],
    );
    const byCounty = new Map<string, typeof orders>();
    for (const o of orders) {
      const list = byCounty.get(o.county_code);
      if (list) list.push(o);
      else byCounty.set(o.county_code, [o]);
    }
    return new Map(
      [...byCounty].map(([code, list]) => [
        code,
        countySummary(
          list.map((o) => ({
            grade: o.grade,
            noticeType: o.notice_type,
            problem: o.problem,
            actions: o.actions,
            n: o.n,
          })),
        ),
      ]),
    );
  }

  private async context(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision | null,
    p: {
      kind: PartyNoticeKind;
      level: WarningLevel;
      effectiveAt: Date;
      countyCodes: string[];
      receiptDueAt: Date;
      counties: Map<string, { name: string }>;
    },
  ): Promise<PartyNoticeContext> {
    const [previous] = revision?.previousRevisionId
      ? await m.query<Array<{ level: WarningLevel }>>('SELECT level FROM alert_revision WHERE id = $1', [
          revision.previousRevisionId,
        ])
      : [];
    const expectedEndAt = revision?.expectedEndAt ?? alert.expectedEndAt;
    const until = Math.max(p.receiptDueAt.getTime(), (expectedEndAt ?? p.effectiveAt).getTime());
    return {
      noticeKind: p.kind,
      noticeKindName: PARTY_NOTICE_KIND_NAMES[p.kind],
      title: alert.campaign
        ? campaignPartyTitle(p.kind, alert.campaign.name)
        : partyNoticeTitle(p.kind, p.level),
      campaign: alert.campaign
        ? {
            kind: alert.campaign.kind,
            kindName: CAMPAIGN_KIND_NAMES[alert.campaign.kind],
            name: alert.campaign.name,
            day: alert.campaign.day ?? null,
            window: alert.campaign.window ?? null,
          }
        : null,
      // The notice's 文号: its revision's, or the expiry's own (a notice released before numbering: the code).
      number: (revision ? revision.documentNumber : alert.expiryDocumentNumber) ?? alert.code,
      alertCode: alert.code,
      level: p.level,
      levelName: LEVEL_NAMES[p.level],
      responseLevel: RESPONSE_LEVEL_NAMES[p.level],
      previousLevelName:
        previous && (p.kind === 'UPGRADE' || p.kind === 'DOWNGRADE') ? LEVEL_NAMES[previous.level] : null,
      countyNames: p.countyCodes.map((c) => p.counties.get(c)?.name ?? c).join('、'),
      effectiveAt: p.effectiveAt.toISOString(),
      expectedEndAt: expectedEndAt ? expectedEndAt.toISOString() : null,
      receiptDueAt: p.receiptDueAt.toISOString(),
      // The links stay open for the link days after the warning's expected end (or the receipt deadline).
      linkExpiresAt: new Date(until + this.config.ackLinkDays * 86_400_000).toISOString(),
      ending: ENDING_KINDS.includes(p.kind),
      cancelled: p.kind === 'CANCEL',
      expired: p.kind === 'EXPIRE',
      reason: revision?.reason ?? null,
    };
  }
}
