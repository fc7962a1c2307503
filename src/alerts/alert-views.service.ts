import type { LiftCheckCounty } from './lift-check.rules';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { MicroCache } from '../common/cache/micro-cache';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { CountyRecommendation } from '../consultations/consultation.entity';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { CAMPAIGN_KIND_NAMES, type CampaignSpec } from '../campaigns/campaign.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { Alert, AlertChange, type AlertKind, AlertRevision, type LiftCheck } from './alert.entity';
import { type AlertStatus, type ChangeKind, KIND_NAMES, STATUS_NAMES } from './alert.rules';
import { concernOf } from './alert-records';
import { DirectivesService } from '../directives/directives.service';
import type { LeadTimeShort } from './timing.rules';
import type { TwoPersonConcern } from './two-person.rules';

export interface ChangeView {
  id: string;
  kind: ChangeKind;
  status: AlertChange['status'];
  level: WarningLevel;
  countyCodes: string[];
  effectiveAt: Date;
  expectedEndAt: Date | null;
  reason: string;
  consultationId: string | null;
  recommendation: CountyRecommendation[] | null;
  /** For LIFT: the forecast check made at proposal (and the commander's override, once approved against it). */
  liftCheck: LiftCheckView | null;
  /** Proposed to take effect sooner than the ruleset's lead time: the hours it left and the rule's; else null. */
  leadTimeShort: LeadTimeShort | null;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

/**
 * A lift's forecast check as the API shows it: `ok` when every county's forecast stays below the start conditions
 * (`cleanCondition`) for at least `requiredHours` (the ruleset's liftBelowHours) from the lift time; per county
 * its name, `cleanHours` and `requiredHours`, the forecast days it had and the day that ends the clean run.
 * Checks recorded before the figures existed have `requiredHours: null` and no counties.
 */
export interface LiftCheckView {
  ok: boolean;
  message: string;
  consultationId: string | null;
  requiredHours: number | null;
  cleanCondition: string | null;
  counties: LiftCheckCounty[];
  /** Set when a commander approved the lift although the check was not ok: their written reason. */
  override: { reason: string; by: string; at: Date } | null;
}

export interface RevisionView {
  id: string;
  seq: number;
  kind: ChangeKind;
  kindName: string;
  level: WarningLevel;
  countyCodes: string[];
  effectiveAt: Date;
  expectedEndAt: Date | null;
  reason: string;
  consultationId: string | null;
  previousRevisionId: string | null;
  proposedBy: string;
  approvedBy: string;
  approvedAt: Date;
  appliedAt: Date | null;
  /** Why the approval may not have been two people (Chinese `message`), or null. */
  twoPersonConcern: TwoPersonConcern | null;
  /** For LIFT: the forecast check of its proposal, with the override reason when approved against it. */
  liftCheck: LiftCheckView | null;
  /** The 文号 of the notice it released (吕重污应急〔2026〕12号); null for revisions approved before numbering. */
  documentNumber: string | null;
  /** What the approving commander wrote (审批意见), or null. */
  approvalComment: string | null;
}

export interface AlertView {
  id: string;
  code: string;
  /** WARNING, or CAMPAIGN: a seasonal control (issue 18); its level is NONE and `campaign` says what it is. */
  kind: AlertKind;
  campaign: (CampaignSpec & { kindName: string }) | null;
  status: AlertStatus;
  statusName: string;
  level: WarningLevel;
  levelName: string;
  countyCodes: string[];
  effectiveAt: Date;
  expectedEndAt: Date | null;
  liftedAt: Date | null;
  /** The 文号 of its expiry notice (预警到期解除), once it ran to its expected end; else null. */
  expiryDocumentNumber: string | null;
  rulesetId: string;
  createdBy: string;
  createdAt: Date;
  /** The provincial directives it answers (recorded when drafted). */
  directives: Array<{ id: string; number: string; level: WarningLevel }>;
  pendingChange: ChangeView | null;
  revisions: RevisionView[];
  /** Decided proposals that did not become revisions. */
  rejectedChanges: ChangeView[];
  /**
   * The orders in force, one per enterprise in scope (superseded ones, orders not yet in force and end notices
   * excluded): by order state, by the delivery of the order's own notice, received and executed (kept once the
   * order ends, so a lifted warning still shows how far it got), and those needing a person. Apart: the orders
   * written ahead for a change not yet in force, and the end notices (lift, cancellation, expiry), by delivery.
   */
  orderCounts: {
    total: number;
    byState: Record<string, number>;
    byDelivery: Record<string, number>;
    received: number;
    executed: number;
    noEmail: number;
    noPlan: number;
    scheduled: { total: number; byDelivery: Record<string, number> };
    endNotices: { total: number; byDelivery: Record<string, number> };
  };
}

/** The warnings as the API and the console read them: views with their order counts, cached briefly. */
@Injectable()
export class AlertViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly directives: DirectivesService,
  ) {
    // Past the ttl the previous view is answered while one reload runs (up to 4 ttls more): screens never queue on it.
    this.viewCache = new MicroCache<AlertView>(
      config.alertViewCacheMs,
      1000,
      undefined,
      4 * config.alertViewCacheMs,
    );
  }

  private readonly viewCache: MicroCache<AlertView>;

  /** The latest 200 warnings, of one status or of several (e.g. those in force, for the dashboard). */
  async list(status?: string | readonly string[], kind: AlertKind = 'WARNING'): Promise<AlertView[]> {
    const statuses = (typeof status === 'string' ? [status] : (status ?? [])).map(
      (v) => v.toUpperCase() as AlertStatus,
    );
    const where = statuses.length ? { status: In(statuses), kind } : { kind };
    const alerts = await this.dataSource
      .getRepository(Alert)
      .find({ where, order: { createdAt: 'DESC' }, take: 200 });
    return Promise.all(alerts.map((a) => this.viewCache.get(a.id, () => this.view(a))));
  }

  /** The detail, reused for ALERT_VIEW_CACHE_MS: many screens poll one warning during dispatch. */
  get(id: string): Promise<AlertView> {
    if (!isUuid(id)) return Promise.reject(DomainError.notFound('预警'));
    return this.viewCache.get(id, () => this.load(id));
  }

  /** After a change made here: never an older view. */
  fresh(id: string): Promise<AlertView> {
    this.viewCache.invalidate(id);
    this.generation++;
    return this.get(id);
  }

  /** After scheduled transitions: every cached view may be stale. */
  invalidateAll(): void {
    this.viewCache.invalidate();
    this.generation++;
  }

  /** Grows with every change made through this instance: what is built from views (the dashboard) keys on it. */
  get changes(): number {
    return this.generation;
  }

  private generation = 0;

  private async load(id: string): Promise<AlertView> {
    const alert = await this.dataSource.getRepository(Alert).findOneBy({ id });
    if (!alert) throw DomainError.notFound('预警');
    return this.view(alert);
  }

  private async view(alert: Alert): Promise<AlertView> {
    const [revisions, changes, counts, endNotices, directives] = await Promise.all([
      this.dataSource
        .getRepository(AlertRevision)
        .find({ where: { alertId: alert.id }, order: { seq: 'ASC' } }),
      this.dataSource
        .getRepository(AlertChange)
        .find({ where: { alertId: alert.id }, order: { proposedAt: 'ASC' } }),
      // Each order with the delivery of its own notice (one per order, re-queued in place; not its later notices).
      this.dataSource.query<
        Array<{
          grp: 'ORDER' | 'SCHEDULED';
          state: string;
          delivery: string | null;
          problem: string | null;
          received: boolean;
          executed: boolean;
          n: number;
        }>
      >(
        `SELECT CASE WHEN o.state = 'SCHEDULED' THEN 'SCHEDULED' ELSE 'ORDER' END AS grp,
                o.state, o.problem, m.state AS delivery, o.received_at IS NOT NULL AS received,
                o.executed_at IS NOT NULL AS executed, count(*)::int AS n
           FROM reduction_order o
           -- The warning's notices as one set (a lookup per order: 305 ms at 10,000).
           LEFT JOIN (
             SELECT DISTINCT ON (om.order_id) om.order_id, om.state FROM outbox_message om
              WHERE om.alert_id = $1 AND om.kind IN ('ORDER_ISSUED', 'ORDER_ADJUSTED')
              ORDER BY om.order_id, om.created_at) m ON m.order_id = o.id
          WHERE o.alert_id = $1 AND o.state <> 'SUPERSEDED' AND o.notice_type NOT IN ('LIFT', 'CANCEL')
          GROUP BY 1, 2, 3, 4, 5, 6`,
        [alert.id],
      ),
      // End notices (lift, cancellation, expiry) by delivery: messages to the enterprises, apart from the orders.
      this.dataSource.query<Array<{ state: string; n: number }>>(
        `SELECT state, count(*)::int AS n FROM outbox_message
          WHERE alert_id = $1 AND kind IN ('ORDER_LIFTED', 'ORDER_CANCELLED') GROUP BY 1`,
        [alert.id],
      ),
      this.directives.byIds(this.dataSource.manager, alert.directiveIds ?? []),
    ]);
    const orderCounts: AlertView['orderCounts'] = {
      total: 0,
      byState: {},
      byDelivery: {},
      received: 0,
      executed: 0,
      noEmail: 0,
      noPlan: 0,
      scheduled: { total: 0, byDelivery: {} },
      endNotices: { total: 0, byDelivery: {} },
    };
    const add = (to: Record<string, number>, key: string | null, n: number) => {
      if (key) to[key] = (to[key] ?? 0) + n;
    };
    for (const c of counts) {
      if (c.grp === 'SCHEDULED') {
        orderCounts.scheduled.total += c.n;
        add(orderCounts.scheduled.byDelivery, c.delivery, c.n);
        continue;
      }
      orderCounts.total += c.n;
      add(orderCounts.byState, c.state, c.n);
      add(orderCounts.byDelivery, c.delivery, c.n);
      if (c.received) orderCounts.received += c.n;
      if (c.executed) orderCounts.executed += c.n;
      if (c.problem === 'NO_EMAIL') orderCounts.noEmail += c.n;
      if (c.problem === 'NO_PLAN') orderCounts.noPlan += c.n;
    }
    for (const e of endNotices) {
      orderCounts.endNotices.total += e.n;
      add(orderCounts.endNotices.byDelivery, e.state, e.n);
    }
    return {
      id: alert.id,
      code: alert.code,
      kind: alert.kind,
      campaign: alert.campaign
        ? { ...alert.campaign, kindName: CAMPAIGN_KIND_NAMES[alert.campaign.kind] }
        : null,
      status: alert.status,
      statusName: STATUS_NAMES[alert.status],
      level: alert.level,
      levelName: alert.campaign ? alert.campaign.name : LEVEL_NAMES[alert.level],
      countyCodes: alert.countyCodes,
      effectiveAt: alert.effectiveAt,
      expectedEndAt: alert.expectedEndAt,
      liftedAt: alert.liftedAt,
      expiryDocumentNumber: alert.expiryDocumentNumber,
      rulesetId: alert.rulesetId,
      createdBy: alert.createdBy,
      createdAt: alert.createdAt,
      directives: directives.map((d) => ({ id: d.id, number: d.number, level: d.level })),
      pendingChange: changes.filter((c) => c.status === 'PENDING').map(toChangeView)[0] ?? null,
      revisions: revisions.map((r) => ({
        ...pickRevision(r),
        kindName: KIND_NAMES[r.kind],
        liftCheck: liftCheckView(changes.find((c) => c.id === r.changeId)?.liftCheck ?? null),
        approvalComment: changes.find((c) => c.id === r.changeId)?.decisionReason ?? null,
      })),
      rejectedChanges: changes.filter((c) => c.status === 'REJECTED').map(toChangeView),
      orderCounts,
    };
  }

  /**
   * What approving the pending change would be flagged for if this user approved it now (for the console's
   * approval pages), or null: nothing pending, the user is the proposer, or no concern.
   */
  async approvalConcern(id: string, approverId: string): Promise<TwoPersonConcern | null> {
    if (!isUuid(id)) return null;
    const change = await this.dataSource
      .getRepository(AlertChange)
      .findOneBy({ alertId: id, status: 'PENDING' });
    if (!change || !change.proposedById || change.proposedById === approverId) return null;
    return concernOf(this.dataSource.manager, change.proposedById, approverId, this.clock.now());
  }
}

function toChangeView(c: AlertChange): ChangeView {
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    level: c.level,
    countyCodes: c.countyCodes,
    effectiveAt: c.effectiveAt,
    expectedEndAt: c.expectedEndAt,
    reason: c.reason,
    consultationId: c.consultationId,
    recommendation: c.recommendation,
    liftCheck: liftCheckView(c.liftCheck),
    leadTimeShort: c.leadTimeShort,
    proposedBy: c.proposedBy,
    proposedAt: c.proposedAt,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt,
    decisionReason: c.decisionReason,
  };
}

/** The stored check in the API's shape (older checks lack the per-county figures). */
function liftCheckView(c: LiftCheck | null): LiftCheckView | null {
  if (!c) return null;
  return {
    ok: c.ok,
    message: c.message,
    consultationId: c.consultationId,
    requiredHours: c.requiredHours ?? null,
    cleanCondition: c.cleanCondition ?? null,
    counties: c.counties ?? [],
    override: c.override ? { ...c.override, at: new Date(c.override.at) } : null,
  };
}

function pickRevision(r: AlertRevision): Omit<RevisionView, 'kindName' | 'liftCheck' | 'approvalComment'> {
  return {
    id: r.id,
    seq: r.seq,
    kind: r.kind,
    level: r.level,
    countyCodes: r.countyCodes,
    effectiveAt: r.effectiveAt,
    expectedEndAt: r.expectedEndAt,
    reason: r.reason,
    consultationId: r.consultationId,
    previousRevisionId: r.previousRevisionId,
    proposedBy: r.proposedBy,
    approvedBy: r.approvedBy,
    approvedAt: r.approvedAt,
    appliedAt: r.appliedAt,
    twoPersonConcern: r.twoPersonConcern,
    documentNumber: r.documentNumber,
  };
}
