import { ALL_COUNTIES, type CountyScope, scopeCountiesParam, scopeSql } from '../auth/county-scope';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Alert, AlertChange, AlertRevision } from '../alerts/alert.entity';
import { RevisionEffects } from '../alerts/revision-effects';
import { SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { OutboxService } from '../notifications/outbox.service';
import { Ruleset } from '../rulesets/ruleset.entity';
import { deadlines, ORDER_STATES } from './order.rules';
import { escalationParams } from './escalation.rules';
import type { OrderMeasure } from './order.rules';
import {
  type CampaignSpec,
  campaignOrderMeasures,
  campaignRulesOf,
  decisionOrders,
  inCampaignScope,
  mergeWithCampaign,
  underCampaignSentence,
} from '../campaigns/campaign.rules';
import {
  type CampaignRuleRow,
  campaignDecisionOf,
  decisionKeyOf,
  RULE_ROWS_SQL,
} from '../campaigns/campaign-subjects';
import {
  AFTER_WARNING_SQL,
  CAMPAIGN_AT_SQL,
  campaignsInForceSql,
  WARNING_PAST_SQL,
  warningsInForceSql,
  CURRENT_ORDER_SQL,
  END_NOTICE_PROBLEM_SQL,
  SCOPE_NOTICE_TYPE_SQL,
  ORDER_SCOPE_FROM,
  orderScopeCtesFrom,
  orderScopeValues,
  CAMPAIGN_MERGE_ROWS_SQL,
  type CampaignMergeSqlRow,
  PROBLEM_SQL,
} from './order-scope.sql';

/** The notices of an order itself (not reminders, escalations or extensions): they are what "delivered" means. */
const NOTICE_KINDS_SQL = "'ORDER_ISSUED', 'ORDER_ADJUSTED', 'ORDER_LIFTED', 'ORDER_CANCELLED'";

/** What the audit entry of a revision's orders says of them (CREATED_ORDERS_SQL), counted where they are written. */
interface CreatedOrders {
  orders: number;
  orders_sha256: string;
  no_email: string[];
  no_plan: string[];
  voluntary: number;
  protected: number;
}

/**
 * Over the `created` CTE (an INSERT … RETURNING id, enterprise_id, notice_type, problem): what auditOrders records, in
 * the statement that writes the orders, so 10,000 rows are not returned to be counted. The digest is sha256 over the
 * "order id:enterprise id" pairs sorted by code unit (COLLATE "C": uuid text is ASCII) and joined by newlines.
 */
const CREATED_ORDERS_SQL = `SELECT count(*)::int AS orders,
       encode(sha256(convert_to(coalesce(string_agg(c.id::text || ':' || c.enterprise_id::text, E'\\n'
                                                    ORDER BY (c.id::text || ':' || c.enterprise_id::text) COLLATE "C"), ''),
                                'UTF8')), 'hex') AS orders_sha256,
       coalesce(array_agg(c.enterprise_id ORDER BY c.enterprise_id) FILTER (WHERE c.problem = 'NO_EMAIL'), '{}') AS no_email,
       coalesce(array_agg(c.enterprise_id ORDER BY c.enterprise_id) FILTER (WHERE c.problem = 'NO_PLAN'), '{}') AS no_plan,
       count(*) FILTER (WHERE c.notice_type = 'VOLUNTARY')::int AS voluntary,
       count(*) FILTER (WHERE c.notice_type = 'PROTECTED')::int AS protected
  FROM created c`;

export interface OrderRow {
  orderId: string;
  enterpriseId: string;
  enterpriseName: string;
  creditCode: string;
  countyCode: string;
  grade: string;
  level: string;
  noticeType: string;
  problem: string | null;
  state: string;
  deliveryState: string | null;
  /** The order's latest notice (reminders aside; an end notice of the order counts), for its delivery history. */
  messageId: string | null;
  /** Written ahead for a change not yet in force: the order (or end notice) that follows this one, and when. */
  next: { orderId: string; noticeType: string; state: string; effectiveAt: Date } | null;
  receiptDueAt: Date | null;
  reportDueAt: Date | null;
  receivedAt: Date | null;
  executedAt: Date | null;
  /** Who signed for the notice and who reported the measures (签收人 / 报告人), with their phones. */
  receivedBy: { name: string; phone: string | null } | null;
  reportedBy: { name: string; phone: string | null } | null;
  revisionId: string;
  /** The 文号 of the notice that issued this order (its revision's). */
  documentNumber: string | null;
}

/** An enterprise that has not confirmed its order, with whom to call. */
export interface NonResponder {
  orderId: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  state: string;
  receiptDueAt: Date | null;
  remindedAt: Date | null;
  hasEmail: boolean;
  contacts: Array<{ name: string; role: string | null; phone: string | null }>;
}

/**
 * Turns an approved revision into orders, in the approval's transaction, with set-based statements:
 * one INSERT … SELECT for the orders of every enterprise in scope, one for their outbox messages, one for the
 * messages' history, one for the audit entries, whatever the number of enterprises.
 */
@Injectable()
export class OrdersService extends RevisionEffects {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {
    super();
  }

  async onApproved(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    _change: AlertChange,
  ): Promise<void> {
    // The set-based statements below are planned with poor row estimates, so PostgreSQL's JIT would compile
    // them (≈440 ms at 10,000 enterprises) to save far less; off for this transaction only.
    await m.query('SET LOCAL jit = off');
    // A change approved ahead of its time is written now (enterprises are told in advance) but takes effect
    // later: its orders or end notices wait as SCHEDULED, the orders in force stay in force until onApplied.
    const ahead = revision.appliedAt == null;
    switch (revision.kind) {
      case 'ISSUE':
        return this.createOrders(m, alert, revision, false);
      case 'UPGRADE':
      case 'DOWNGRADE':
        return this.createOrders(m, alert, revision, ahead);
      case 'LIFT':
      case 'CANCEL':
        return this.createEndNotices(m, alert, revision, ahead);
      case 'EXTEND':
        return this.queueExtensionNotices(m, alert, revision);
    }
  }

  /**
   * A revision approved ahead takes effect: in this one transaction, the orders in force end (superseded by
   * an adjustment, lifted by a lift or cancellation) and the revision's scheduled orders and end notices come
   * into force, each in the state its notice and receipt have reached meanwhile. Two statements, whatever the
   * number of enterprises.
   */
  async onApplied(m: EntityManager, alert: Alert, revision: AlertRevision): Promise<void> {
    if (revision.kind === 'ISSUE' || revision.kind === 'EXTEND') return;
    const now = this.clock.now();
    const ends = revision.kind === 'LIFT' || revision.kind === 'CANCEL';
    const [ended] = await m.query<Array<{ n: number }>>(
      `WITH u AS (
         UPDATE reduction_order SET state = $3, updated_at = $4
          WHERE alert_id = $1 AND revision_id <> $2 AND ${CURRENT_ORDER_SQL} RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [alert.id, revision.id, ends ? 'LIFTED' : 'SUPERSEDED', now],
    );
    const [inForce] = await m.query<Array<{ n: number }>>(
      `WITH u AS (
         UPDATE reduction_order o
            SET state = CASE WHEN o.received_at IS NOT NULL THEN 'RECEIVED'
                             WHEN EXISTS (SELECT 1 FROM outbox_message om WHERE om.order_id = o.id AND om.state = 'SENT'
                                             AND om.kind IN (${NOTICE_KINDS_SQL})) THEN 'SENT'
                             ELSE 'PENDING' END,
                updated_at = $2
          WHERE o.revision_id = $1 AND o.state = 'SCHEDULED' RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [revision.id, now],
    );
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: ends ? 'orders.ended' : 'orders.superseded',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          revisionId: revision.id,
          kind: revision.kind,
          [ends ? 'ended' : 'superseded']: ended.n,
          [ends ? 'endNotices' : 'inForce']: inForce.n,
        },
      },
      m,
    );
  }

  /** Expected end passed with no lift: the orders in force end, and each enterprise gets an end notice. */
  async onExpired(m: EntityManager, alert: Alert): Promise<void> {
    const now = this.clock.now();
    await m.query(
      `UPDATE reduction_order SET state = 'LIFTED', updated_at = $2 WHERE alert_id = $1 AND state = 'SCHEDULED'`,
      [alert.id, now],
    );
    const [orders] = await m.query<
      [Array<{ id: string; enterprise_id: string; recipients: string[] }>, number]
    >(
      `UPDATE reduction_order SET state = 'LIFTED', updated_at = $2
        WHERE alert_id = $1 AND ${CURRENT_ORDER_SQL}
       RETURNING id, enterprise_id, recipients`,
      [alert.id, now],
    );
    // The end notice is a message of the ended order (no revision decided it: there is no new order to write).
    await this.outbox.enqueueSelected(m, {
      sql: `WITH cn AS MATERIALIZED (${campaignsInForceSql('$2')})
            SELECT o.id AS order_id, o.alert_id, 'ORDER_LIFTED' AS kind, o.recipients,
                   jsonb_build_object('expired', true, 'endedAt', $2::timestamptz, 'documentNumber', $3::text,
                                      'afterWarning', ${AFTER_WARNING_SQL}) AS context
              FROM reduction_order o LEFT JOIN cn ON cn.enterprise_id = o.enterprise_id
             WHERE o.id = ANY($1::uuid[])`,
      params: [orders.map((o) => o.id), alert.expectedEndAt, alert.expiryDocumentNumber],
    });
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'orders.ended',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          reason: 'EXPIRED',
          ended: orders.length,
          noEmail: orders.filter((o) => o.recipients.length === 0).map((o) => o.enterprise_id),
        },
      },
      m,
    );
  }

  private async createOrders(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    ahead: boolean,
  ): Promise<void> {
    const now = this.clock.now();
    const ruleset = await m.getRepository(Ruleset).findOneByOrFail({ id: alert.rulesetId });
    const due = deadlines(now, revision.effectiveAt, ruleset.definition.deadlines);
    if (alert.campaign) return this.createCampaignOrders(m, alert, alert.campaign, revision, ruleset, due);
    const escalation = escalationParams(revision.level, ruleset.levels, ruleset.definition.escalations);
    const scope = orderScopeValues(revision, alert.effectiveAt, escalation);
    const merges = await this.campaignMerges(m, scope, revision.effectiveAt);
    const [orders] = await m.query<CreatedOrders[]>(
      `WITH prev AS (
         SELECT DISTINCT ON (enterprise_id) id, enterprise_id FROM reduction_order
          WHERE alert_id = $1 AND state NOT IN ('SUPERSEDED', 'LIFTED') AND notice_type NOT IN ('LIFT', 'CANCEL')
          ORDER BY enterprise_id, created_at DESC),
       ${orderScopeCtesFrom(6)},
       created AS (
       INSERT INTO reduction_order (alert_id, revision_id, enterprise_id, county_code, level, notice_type, state, problem, measures,
                                    recipients, effective_at, receipt_due_at, report_due_at, supersedes_order_id,
                                    measure_level, escalated_by, grade_taken, reasons)
       SELECT $1, $2, s.id, s.county_code, $7,
              ${SCOPE_NOTICE_TYPE_SQL}, $5, ${PROBLEM_SQL},
              COALESCE(mg.measures, ms.list, '[]'::jsonb), em.emails, $9, $3, $4, prev.id, s.measure_level, s.escalated_by,
              s.taken_grade, CASE WHEN mg.reason IS NULL THEN '{}'::text[] ELSE ARRAY[mg.reason] END
         FROM ${ORDER_SCOPE_FROM}
         LEFT JOIN prev ON prev.enterprise_id = s.id
         LEFT JOIN jsonb_to_recordset($17::jsonb) AS mg(enterprise_id uuid, measures jsonb, reason text) ON mg.enterprise_id = s.id
       RETURNING id, enterprise_id, notice_type, problem)
       ${CREATED_ORDERS_SQL}`,
      [
        alert.id,
        revision.id,
        due.receiptDueAt,
        due.reportDueAt,
        ahead ? 'SCHEDULED' : 'PENDING',
        ...scope,
        merges,
      ],
    );
    if (!ahead) {
      await m.query(
        `UPDATE reduction_order SET state = 'SUPERSEDED', updated_at = $3
          WHERE alert_id = $1 AND revision_id <> $2 AND ${CURRENT_ORDER_SQL}`,
        [alert.id, revision.id, now],
      );
    }
    await this.queueMessages(
      m,
      revision,
      revision.kind === 'ISSUE'
        ? "'ORDER_ISSUED'"
        : "CASE WHEN o.supersedes_order_id IS NULL THEN 'ORDER_ISSUED' ELSE 'ORDER_ADJUSTED' END",
    );
    await this.auditOrders(m, alert, revision, orders);
  }

  /**
   * For a warning's orders: the enterprises under a campaign in force when the revision takes effect, with the stricter
   * of the two per line (mergeWithCampaign) and the sentence that opens the notice's measures, for the INSERT to write
   * in place of the warning's measures (an UPDATE afterwards rewrote every 1 KB row: 1.3-2 s at 10,000). One probe
   * and nothing more when no campaign is in force; else one read of the same scope. The campaign's order stays.
   * The merges go to the INSERT as one JSON document (jsonb_to_recordset), stringified once: as three text[] arrays
   * every 1-2 KB measures text was escaped into an array literal besides, 100 MB of short-lived strings at 10,000.
   */
  private async campaignMerges(m: EntityManager, scope: unknown[], at: Date): Promise<string> {
    const [{ any }] = await m.query<Array<{ any: boolean }>>(CAMPAIGN_AT_SQL, [at]);
    if (!any) return '[]';
    const rows = await m.query<Array<CampaignMergeSqlRow<OrderMeasure>>>(CAMPAIGN_MERGE_ROWS_SQL, scope);
    return JSON.stringify(
      rows.map((r) => ({
        enterprise_id: r.id,
        measures: mergeWithCampaign(r.list, r.campaign, r.lines ?? [], r.campaign_name),
        reason: underCampaignSentence(r.campaign_name),
      })),
    );
  }

  /** A warning's end notices to enterprises under a campaign then in force say its measures apply again. */
  private async campaignAfterLift(m: EntityManager, revision: AlertRevision): Promise<void> {
    const [{ any }] = await m.query<Array<{ any: boolean }>>(CAMPAIGN_AT_SQL, [revision.effectiveAt]);
    if (!any) return;
    await m.query(
      `WITH cn AS MATERIALIZED (${campaignsInForceSql('$2')})
       UPDATE reduction_order o SET reasons = array_remove(ARRAY[${AFTER_WARNING_SQL}], NULL)
         FROM cn WHERE cn.enterprise_id = o.enterprise_id AND o.revision_id = $1`,
      [revision.id, revision.effectiveAt],
    );
  }

  /**
   * A campaign's orders: every enterprise of its counties inside its scope filters through the ruleset's campaign
   * rules (staggerDecision, ozoneDecision: the rules the preview runs), one order for each that the rules give
   * measures, with the decision's reasons for the notice. One read, the rules in memory, one INSERT from unnest.
   * Enterprises alike in all the rules read share a decision (a few dozen for a city): each is decided and
   * serialised once, sent once and parsed once by PostgreSQL, and each order names its decision by number. Approved
   * while a warning is in force, the campaign's orders are issued as they are (they apply after the warning; the
   * warning's orders, already sent and confirmed, are not rewritten: its next revision merges), and each order of an
   * enterprise holding an order of that warning names it (a join in the INSERT), for its notice to say what applies
   * meanwhile (duringWarningSentence, composed with the notice).
   */
  private async createCampaignOrders(
    m: EntityManager,
    alert: Alert,
    spec: CampaignSpec,
    revision: AlertRevision,
    ruleset: Ruleset,
    due: { receiptDueAt: Date | null; reportDueAt: Date | null },
  ): Promise<void> {
    const rules = campaignRulesOf(ruleset.definition);
    const rows = await m.query<CampaignRuleRow[]>(
      `${RULE_ROWS_SQL} WHERE NOT e.archived AND e.county_code = ANY($1::varchar[])`,
      [revision.countyCodes],
    );
    // Decision number (1-based; 0: no measures, no order) per key of what the rules read, and per written decision.
    const byKey = new Map<string, number>();
    const byDecision = new Map<string, number>();
    const decisions = { measures: [] as string[], escalatedBy: [] as string[], reasons: [] as string[] };
    const enterpriseIds: string[] = [];
    const decisionNumbers: number[] = [];
    for (const r of rows) {
      if (!inCampaignScope(spec, { grade: r.grade, industry: r.industry, controlTags: r.control_tags }))
        continue;
      const key = decisionKeyOf(r);
      let n = byKey.get(key);
      if (n === undefined) {
        const d = campaignDecisionOf(spec.kind, r, rules);
        n = 0;
        if (decisionOrders(d)) {
          const measures = JSON.stringify(campaignOrderMeasures(d));
          const escalatedBy = JSON.stringify(d.escalatedBy);
          const reasons = JSON.stringify(d.reasons);
          const written = `${measures}\n${escalatedBy}\n${reasons}`;
          n = byDecision.get(written);
          if (n === undefined) {
            n = decisions.measures.push(measures);
            decisions.escalatedBy.push(escalatedBy);
            decisions.reasons.push(reasons);
            byDecision.set(written, n);
          }
        }
        byKey.set(key, n);
      }
      if (n > 0) {
        enterpriseIds.push(r.id);
        decisionNumbers.push(n);
      }
    }
    // A warning past the campaign's start (a probe): each order of an enterprise holding one of its orders names it.
    const [{ any: warned }] = await m.query<Array<{ any: boolean }>>(WARNING_PAST_SQL, [
      revision.effectiveAt,
    ]);
    // The decisions are materialised once (not re-parsed per order); the emails are computed once per order.
    const [orders] = await m.query<CreatedOrders[]>(
      `WITH decision AS MATERIALIZED (
         SELECT d.n, d.measures::jsonb AS measures,
                ARRAY(SELECT jsonb_array_elements_text(d.escalated_by::jsonb)) AS escalated_by,
                ARRAY(SELECT jsonb_array_elements_text(d.reasons::jsonb)) AS reasons
           FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS d(measures, escalated_by, reasons, n)),
       dw AS (${warned ? warningsInForceSql('$8') : 'SELECT NULL::uuid AS id, NULL::uuid AS enterprise_id WHERE false'}),
       created AS (
       INSERT INTO reduction_order (alert_id, revision_id, enterprise_id, county_code, level, notice_type, state, problem,
                                    measures, recipients, effective_at, receipt_due_at, report_due_at, escalated_by, reasons,
                                    during_warning_order_id)
       SELECT $1, $2, e.id, e.county_code, $7, CASE WHEN e.is_protected THEN 'PROTECTED' ELSE 'MANDATORY' END, 'PENDING',
              CASE WHEN cardinality(em.emails) = 0 THEN 'NO_EMAIL' END, d.measures, em.emails, $8, $9, $10,
              d.escalated_by, d.reasons, dw.id
         FROM unnest($3::uuid[], $11::int[]) AS p(enterprise_id, n)
         JOIN decision d ON d.n = p.n
         JOIN enterprise e ON e.id = p.enterprise_id
         LEFT JOIN dw ON dw.enterprise_id = p.enterprise_id
        CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT lower(trim(c->>'email')) FROM jsonb_array_elements(e.contacts) c
                                          WHERE coalesce(trim(c->>'email'), '') <> '')::text[] AS emails
                              OFFSET 0) em
       RETURNING id, enterprise_id, notice_type, problem)
       ${CREATED_ORDERS_SQL}`,
      [
        alert.id,
        revision.id,
        enterpriseIds,
        decisions.measures,
        decisions.escalatedBy,
        decisions.reasons,
        revision.level,
        revision.effectiveAt,
        due.receiptDueAt,
        due.reportDueAt,
        decisionNumbers,
      ],
    );
    await this.queueMessages(m, revision, "'ORDER_ISSUED'");
    await this.auditOrders(m, alert, revision, orders);
  }

  /**
   * Lift or cancel: each enterprise's current order ends, and it gets a notice saying so. Approved ahead, the
   * notices are sent now and the orders stay in force until the effective time (onApplied ends them).
   */
  private async createEndNotices(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    ahead: boolean,
  ): Promise<void> {
    const now = this.clock.now();
    const notice = revision.kind === 'LIFT' ? 'LIFT' : 'CANCEL';
    // Approved ahead, the orders are only read (the notices say what will end); otherwise they end now.
    const [orders] = await m.query<CreatedOrders[]>(
      `WITH ended AS (
         ${
           ahead
             ? `SELECT id, enterprise_id, county_code, recipients FROM reduction_order
                 WHERE alert_id = $1 AND ${CURRENT_ORDER_SQL} AND $5::timestamptz IS NOT NULL`
             : `UPDATE reduction_order SET state = 'LIFTED', updated_at = $5 WHERE alert_id = $1 AND ${CURRENT_ORDER_SQL}
                RETURNING id, enterprise_id, county_code, recipients`
         }),
       created AS (
       INSERT INTO reduction_order (alert_id, revision_id, enterprise_id, county_code, level, notice_type, state, problem, measures,
                                    recipients, effective_at, supersedes_order_id)
       SELECT $1, $2, enterprise_id, county_code, $3, $4, $7, ${END_NOTICE_PROBLEM_SQL},
              '[]'::jsonb, recipients, $6, id
         FROM ended
       RETURNING id, enterprise_id, notice_type, problem)
       ${CREATED_ORDERS_SQL}`,
      [
        alert.id,
        revision.id,
        revision.level,
        notice,
        now,
        revision.effectiveAt,
        ahead ? 'SCHEDULED' : 'PENDING',
      ],
    );
    if (notice === 'LIFT' && !alert.campaign) await this.campaignAfterLift(m, revision);
    await this.queueMessages(m, revision, notice === 'LIFT' ? "'ORDER_LIFTED'" : "'ORDER_CANCELLED'");
    await this.auditOrders(m, alert, revision, orders);
  }

  /** An extension: every enterprise with an order in force is told the new expected end (its order stands). */
  private async queueExtensionNotices(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
  ): Promise<void> {
    const queued = await this.outbox.enqueueSelected(m, {
      sql: `SELECT o.id AS order_id, o.alert_id, 'ORDER_EXTENDED' AS kind, o.recipients,
                   jsonb_build_object('expectedEndAt', $2::timestamptz, 'revisionId', $3::text,
                                      'documentNumber', $4::text) AS context
              FROM reduction_order o WHERE o.alert_id = $1 AND ${CURRENT_ORDER_SQL}`,
      params: [alert.id, revision.expectedEndAt, revision.id, revision.documentNumber],
    });
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'orders.extension-notices',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: { revisionId: revision.id, expectedEndAt: revision.expectedEndAt, notices: queued.length },
      },
      m,
    );
  }

  /** One outbox message per order of the revision with recipients, queued by the outbox in one statement. */
  private async queueMessages(m: EntityManager, revision: AlertRevision, kindSql: string): Promise<void> {
    await this.outbox.enqueueSelected(m, {
      sql: `SELECT o.id AS order_id, o.alert_id, ${kindSql} AS kind, o.recipients, NULL::jsonb AS context
              FROM reduction_order o WHERE o.revision_id = $1`,
      params: [revision.id],
    });
  }

  /**
   * One audit entry per revision for its orders: the counts, the enterprises that need a person, and a
   * sha256 over every "order id:enterprise id" pair, so the full set is provable without 10,000 entries
   * in the approval's transaction (the orders themselves are the detailed record).
   */
  private async auditOrders(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    orders: CreatedOrders,
  ): Promise<void> {
    await this.audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'orders.created',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          revisionId: revision.id,
          kind: revision.kind,
          orders: orders.orders,
          ordersSha256: orders.orders_sha256,
          noEmail: orders.no_email,
          noPlan: orders.no_plan,
          voluntary: orders.voluntary,
          protected: orders.protected,
        },
      },
      m,
    );
  }

  /**
   * One row per enterprise: its current order (superseded ones are history, end notices are its messages),
   * with its latest notice and the order written ahead to follow it. `state: 'SCHEDULED'` lists those instead.
   */
  async listForAlert(
    alertId: string,
    filters: { state?: string; countyCode?: string; problem?: string; grade?: string },
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<OrderRow[]> {
    if (filters.state && !(ORDER_STATES as readonly string[]).includes(filters.state)) {
      throw DomainError.validation([{ field: 'state', message: `状态应为 ${ORDER_STATES.join('、')} 之一` }]);
    }
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT o.id, o.enterprise_id, e.name, e.credit_code, o.county_code, e.grade, o.level, o.notice_type, o.problem, o.state,
              o.receipt_due_at, o.report_due_at, o.received_at, o.executed_at, o.revision_id,
              o.received_by_name, o.received_by_phone, o.reported_by_name, o.reported_by_phone,
              (SELECT r.document_number FROM alert_revision r WHERE r.id = o.revision_id) AS document_number,
              last.state AS delivery_state, last.id AS message_id,
              nx.id AS next_id, nx.notice_type AS next_notice_type, nx.state AS next_state, nx.effective_at AS next_effective_at
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
         LEFT JOIN LATERAL (
           SELECT n.id, n.notice_type, n.state, n.effective_at FROM reduction_order n
            WHERE n.supersedes_order_id = o.id AND n.state = 'SCHEDULED' ORDER BY n.created_at DESC LIMIT 1
         ) nx ON true
         LEFT JOIN LATERAL (
           SELECT om.id, om.state FROM outbox_message om
            WHERE (om.order_id = o.id
                   OR om.order_id IN (SELECT n.id FROM reduction_order n
                                       WHERE n.supersedes_order_id = o.id AND n.notice_type IN ('LIFT', 'CANCEL')))
              AND om.kind NOT IN ('REMINDER', 'ESCALATION')
            ORDER BY om.created_at DESC LIMIT 1
         ) last ON true
        WHERE o.alert_id = $1 AND o.state <> 'SUPERSEDED' AND o.notice_type NOT IN ('LIFT', 'CANCEL')
          AND (CASE WHEN $2::text = 'SCHEDULED' THEN o.state = 'SCHEDULED' ELSE o.state <> 'SCHEDULED' END)
          AND ($2::text IS NULL OR o.state = $2) AND ($3::text IS NULL OR o.county_code = $3) AND ($4::text IS NULL OR o.problem = $4)
          AND ($5::text IS NULL OR e.grade = $5) AND ${scopeSql('o.county_code', '$6')}
        ORDER BY o.county_code, e.name`,
      [
        alertId,
        filters.state ?? null,
        filters.countyCode ?? null,
        filters.problem ?? null,
        filters.grade ?? null,
        scopeCountiesParam(scope),
      ],
    );
    if (
      rows.length === 0 &&
      (await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length === 0
    )
      throw DomainError.notFound('预警');
    return rows.map((r) => ({
      orderId: r.id as string,
      enterpriseId: r.enterprise_id as string,
      enterpriseName: r.name as string,
      creditCode: r.credit_code as string,
      countyCode: r.county_code as string,
      grade: r.grade as string,
      level: r.level as string,
      noticeType: r.notice_type as string,
      problem: (r.problem as string | null) ?? null,
      state: r.state as string,
      deliveryState: (r.delivery_state as string | null) ?? null,
      messageId: (r.message_id as string | null) ?? null,
      next: r.next_id
        ? {
            orderId: r.next_id as string,
            noticeType: r.next_notice_type as string,
            state: r.next_state as string,
            effectiveAt: r.next_effective_at as Date,
          }
        : null,
      receiptDueAt: r.receipt_due_at as Date | null,
      reportDueAt: r.report_due_at as Date | null,
      receivedAt: r.received_at as Date | null,
      executedAt: r.executed_at as Date | null,
      receivedBy: personOf(r.received_by_name, r.received_by_phone),
      reportedBy: personOf(r.reported_by_name, r.reported_by_phone),
      revisionId: r.revision_id as string,
      documentNumber: (r.document_number as string | null) ?? null,
    }));
  }

  /**
   * The enterprises of a warning that have not confirmed receipt of their order in force, with their contacts
   * (names and phones) and when they were last reminded, by county and name; at most 500.
   */
  async nonResponders(alertId: string, scope: CountyScope = ALL_COUNTIES): Promise<NonResponder[]> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT o.id, o.enterprise_id, e.name, o.county_code, o.state, o.receipt_due_at, o.reminded_at,
              cardinality(o.recipients) > 0 AS has_email, e.contacts
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.alert_id = $1 AND o.received_at IS NULL AND o.state IN ('PENDING', 'SENT', 'OVERDUE')
          AND o.notice_type IN ('MANDATORY', 'VOLUNTARY', 'PROTECTED') AND ${scopeSql('o.county_code', '$2')}
        ORDER BY o.county_code, e.name LIMIT 500`,
      [alertId, scopeCountiesParam(scope)],
    );
    return rows.map((r) => ({
      orderId: r.id as string,
      enterpriseId: r.enterprise_id as string,
      enterpriseName: r.name as string,
      countyCode: r.county_code as string,
      state: r.state as string,
      receiptDueAt: (r.receipt_due_at as Date | null) ?? null,
      remindedAt: (r.reminded_at as Date | null) ?? null,
      hasEmail: r.has_email as boolean,
      contacts: (r.contacts as Array<{ name?: string; role?: string; phone?: string }>).map((c) => ({
        name: c.name ?? '',
        role: c.role ?? null,
        phone: c.phone ?? null,
      })),
    }));
  }
}

const personOf = (name: unknown, phone: unknown): { name: string; phone: string | null } | null =>
  typeof name === 'string' ? { name, phone: typeof phone === 'string' ? phone : null } : null;
