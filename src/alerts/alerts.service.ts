import { isUuid } from '../common/ids';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { MicroCache } from '../common/cache/micro-cache';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { type Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { shanghaiDate } from '../common/time';
import type { CountyRecommendation } from '../consultations/consultation.entity';
import { daysByCounty } from '../consultations/consultation.rules';
import { ConsultationsService, type ConsultationView } from '../consultations/consultations.service';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { Ruleset } from '../rulesets/ruleset.entity';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { RulesetsService } from '../rulesets/rulesets.service';
import { Alert, AlertChange, AlertRevision, type LiftCheck, type LiftOverride } from './alert.entity';
import {
  adjustKind,
  type AlertState,
  type AlertStatus,
  applyRevision,
  type ChangeFacts,
  type ChangeKind,
  describeOverlaps,
  type Footprint,
  HOLDING_STATUSES,
  isExpired,
  KIND_NAMES,
  failureReportDue,
  type LiftCheckCounty,
  liftForecastCheck,
  liftOverrideError,
  overlapsOf,
  projectedState,
  proposalProblem,
  redundantChange,
  type ScheduledRevision,
  STATUS_NAMES,
  widenedFootprint,
} from './alert.rules';
import { type AccountFacts, type TwoPersonConcern, twoPersonConcern } from './two-person.rules';
import type { AdjustAlertDto, CreateAlertDto, ExtendAlertDto, LiftAlertDto } from './dto/alert.dto';
import { RevisionEffects } from './revision-effects';
import { AuditAnchorService } from '../audit/audit-anchor.service';
import { OutboxSignal } from '../notifications/outbox-signal';

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
}

export interface AlertView {
  id: string;
  code: string;
  status: AlertStatus;
  statusName: string;
  level: WarningLevel;
  levelName: string;
  countyCodes: string[];
  effectiveAt: Date;
  expectedEndAt: Date | null;
  liftedAt: Date | null;
  rulesetId: string;
  createdBy: string;
  createdAt: Date;
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

/** A draft may take effect a little in the past (pollution already heavy), not a day ago. */
const MAX_BACKDATE_MS = 24 * 3600_000;
const SCOPE_LOCK = "hashtext('haze:alert-scope')";

@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly consultations: ConsultationsService,
    private readonly rulesets: RulesetsService,
    private readonly effects: RevisionEffects,
    private readonly anchors: AuditAnchorService,
    private readonly outbox: OutboxSignal,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.viewCache = new MicroCache<AlertView>(config.alertViewCacheMs);
  }

  private readonly viewCache: MicroCache<AlertView>;

  // ── drafting ────────────────────────────────────────────────────────────────────────────────────

  /** A duty officer's draft: a new warning awaiting a commander's approval (its ISSUE change). */
  async draft(dto: CreateAlertDto, actor: Actor): Promise<AlertView> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    const allCounties = (
      await this.dataSource.query<Array<{ code: string }>>('SELECT code FROM county ORDER BY sort_order')
    ).map((r) => r.code);
    const countyCodes = dto.wholeCity ? allCounties : [...new Set(dto.countyCodes ?? [])];
    if (countyCodes.length === 0)
      errors.push({ field: 'countyCodes', message: '请选择区县,或设置 wholeCity: true 覆盖全市' });
    countyCodes.forEach((c, i) => {
      if (!allCounties.includes(c)) errors.push({ field: `countyCodes[${i}]`, message: `未知区县代码 ${c}` });
    });
    const effectiveAt = new Date(dto.effectiveAt);
    const expectedEndAt = dto.expectedEndAt ? new Date(dto.expectedEndAt) : null;
    if (effectiveAt.getTime() < now.getTime() - MAX_BACKDATE_MS)
      errors.push({ field: 'effectiveAt', message: '生效时间不能早于24小时前' });
    if (expectedEndAt && expectedEndAt.getTime() <= effectiveAt.getTime())
      errors.push({ field: 'expectedEndAt', message: '预计结束时间应晚于生效时间' });
    const consultation = await this.findConsultation(dto.consultationId, errors);
    const ruleset = consultation
      ? await this.rulesets.get(consultation.rulesetId)
      : await this.rulesets.inEffectOn(shanghaiDate(effectiveAt));
    this.checkLevel(dto.level, ruleset, errors);
    const recommendation = consultation
      ? consultation.recommendations.filter((r) => countyCodes.includes(r.countyCode))
      : null;
    const differs = recommendation
      ? countyCodes.some((c) => (recommendation.find((r) => r.countyCode === c)?.level ?? null) !== dto.level)
      : false;
    const reason = dto.reason?.trim() ?? '';
    if (differs && reason === '') {
      errors.push({
        field: 'reason',
        message: `所选级别与会商建议不一致,必须填写理由(建议:${recommendation!.map((r) => `${r.countyCode} ${r.level ?? '不预警'}`).join(',')})`,
      });
    }
    if (!consultation && reason === '')
      errors.push({ field: 'reason', message: '没有关联会商时必须填写理由' });
    if (errors.length) throw DomainError.validation(errors);

    const id = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(${SCOPE_LOCK})`);
      await this.refuseOverlap(
        m,
        { countyCodes, start: effectiveAt, end: expectedEndAt },
        null,
        'countyCodes',
        (list) => `所选区县已有预警在执行或待审批:${list}。请对现有预警进行升级、降级或延长。`,
      );
      const [{ n }] = await m.query<Array<{ n: string }>>("SELECT nextval('alert_number_seq') AS n");
      const alert = await m.save(
        m.create(Alert, {
          code: `${shanghaiDate(now).slice(0, 4)}-${n.padStart(3, '0')}`,
          status: 'PENDING_APPROVAL',
          level: dto.level as WarningLevel,
          countyCodes,
          effectiveAt,
          expectedEndAt,
          liftedAt: null,
          rulesetId: ruleset.id,
          createdBy: actor.name ?? 'unknown',
        }),
      );
      const change = await this.saveChange(m, alert, actor, now, {
        kind: 'ISSUE',
        level: alert.level,
        effectiveAt,
        expectedEndAt,
        reason: reason || '按会商建议发布',
        consultationId: consultation?.id ?? null,
        recommendation,
        liftCheck: null,
      });
      await this.audit.record(
        {
          actor,
          action: 'alert.drafted',
          subjectType: 'alert',
          subjectId: alert.id,
          alertId: alert.id,
          data: {
            code: alert.code,
            changeId: change.id,
            level: alert.level,
            countyCodes,
            effectiveAt,
            expectedEndAt,
            reason: change.reason,
            consultationId: change.consultationId,
            recommendation,
            differsFromRecommendation: differs,
          },
        },
        m,
      );
      return alert.id;
    });
    return this.fresh(id);
  }

  async adjust(id: string, dto: AdjustAlertDto, actor: Actor): Promise<AlertView> {
    return this.propose(id, actor, async (alert, ruleset, errors, projected) => {
      this.checkLevel(dto.level, ruleset, errors);
      // Up or down from the level the warning will have once the approved revisions still to come apply.
      const level = dto.level as WarningLevel;
      const kind = adjustKind(projected.level, level) ?? adjustKind(alert.level, level);
      if (!kind && errors.length === 0)
        errors.push({
          field: 'level',
          message: `预警已是${LEVEL_NAMES[alert.level]},升级或降级须选择其他级别`,
        });
      const effectiveAt = new Date(dto.effectiveAt);
      if (effectiveAt.getTime() < alert.effectiveAt.getTime())
        errors.push({ field: 'effectiveAt', message: '调整生效时间不能早于预警生效时间' });
      const consultation = await this.findConsultation(dto.consultationId, errors);
      return {
        kind: kind ?? 'UPGRADE',
        level,
        effectiveAt,
        expectedEndAt: alert.expectedEndAt,
        reason: dto.reason.trim(),
        consultationId: consultation?.id ?? null,
        recommendation: consultation
          ? consultation.recommendations.filter((r) => alert.countyCodes.includes(r.countyCode))
          : null,
        liftCheck: null,
      };
    });
  }

  async extend(id: string, dto: ExtendAlertDto, actor: Actor): Promise<AlertView> {
    return this.propose(id, actor, async (alert, _ruleset, errors) => {
      const expectedEndAt = new Date(dto.expectedEndAt);
      const floor = Math.max(
        this.clock.now().getTime(),
        (alert.expectedEndAt ?? alert.effectiveAt).getTime(),
      );
      if (expectedEndAt.getTime() <= floor)
        errors.push({
          field: 'expectedEndAt',
          message: '延长后的预计结束时间应晚于当前预计结束时间和当前时间',
        });
      const consultation = await this.findConsultation(dto.consultationId, errors);
      return {
        kind: 'EXTEND',
        level: alert.level,
        effectiveAt: this.clock.now(),
        expectedEndAt,
        reason: dto.reason?.trim() || '延长预警',
        consultationId: consultation?.id ?? null,
        recommendation: null,
        liftCheck: null,
      };
    });
  }

  async lift(id: string, dto: LiftAlertDto, actor: Actor): Promise<AlertView> {
    return this.propose(id, actor, async (alert, ruleset, errors) => {
      const effectiveAt = new Date(dto.effectiveAt);
      if (effectiveAt.getTime() < alert.effectiveAt.getTime())
        errors.push({ field: 'effectiveAt', message: '解除时间不能早于预警生效时间' });
      const consultation = dto.consultationId
        ? await this.findConsultation(dto.consultationId, errors)
        : await this.consultations.latest();
      const liftCheck = await this.liftCheck(alert, ruleset, effectiveAt, consultation);
      return {
        kind: 'LIFT',
        level: alert.level,
        effectiveAt,
        expectedEndAt: alert.expectedEndAt,
        reason: dto.reason.trim(),
        consultationId: consultation?.id ?? null,
        recommendation: null,
        liftCheck,
      };
    });
  }

  async cancel(id: string, reason: string, actor: Actor): Promise<AlertView> {
    return this.propose(id, actor, (alert) =>
      Promise.resolve({
        kind: 'CANCEL' as const,
        level: alert.level,
        effectiveAt: this.clock.now(),
        expectedEndAt: alert.expectedEndAt,
        reason: reason.trim(),
        consultationId: null,
        recommendation: null,
        liftCheck: null,
      }),
    );
  }

  /**
   * Shared path of every proposed change: lock the warning, check state and input, refuse a change that repeats
   * one pending or approved or changes nothing, record, audit. The row lock makes two concurrent proposals take
   * turns, so the second sees the first.
   */
  private async propose(
    id: string,
    actor: Actor,
    build: (
      alert: Alert,
      ruleset: Ruleset,
      errors: FieldError[],
      projected: AlertState,
    ) => Promise<ChangeInput>,
  ): Promise<AlertView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const alert = await this.lockAlert(m, id);
      const scheduled = await this.scheduledRevisions(m, id);
      const ruleset = await this.rulesets.get(alert.rulesetId);
      const errors: FieldError[] = [];
      const input = await build(alert, ruleset, errors, projectedState(stateOf(alert), scheduled));
      const problem = proposalProblem(stateOf(alert), input.kind, now);
      if (problem) throw new DomainError('CONFLICT', problem);
      if (errors.length) throw DomainError.validation(errors);
      const pending = await m.getRepository(AlertChange).findOneBy({ alertId: alert.id, status: 'PENDING' });
      const redundant = redundantChange(
        { state: stateOf(alert), scheduled, pending },
        { ...input, countyCodes: alert.countyCodes },
      );
      if (redundant) throw new DomainError(redundant.code, redundant.message);
      if (pending)
        throw new DomainError('CONFLICT', `该预警已有待审批的${KIND_NAMES[pending.kind]}变更,请先审批或驳回`);
      await this.refuseWidening(m, alert, { ...input, countyCodes: alert.countyCodes }, false);
      const change = await this.saveChange(m, alert, actor, now, input);
      await this.audit.record(
        {
          actor,
          action: 'alert.change.proposed',
          subjectType: 'alert',
          subjectId: alert.id,
          alertId: alert.id,
          data: {
            changeId: change.id,
            kind: change.kind,
            level: change.level,
            effectiveAt: change.effectiveAt,
            expectedEndAt: change.expectedEndAt,
            reason: change.reason,
            consultationId: change.consultationId,
            liftCheck: change.liftCheck,
          },
        },
        m,
      );
      if (change.liftCheck && !change.liftCheck.ok) {
        await this.audit.record(
          {
            actor,
            action: 'alert.lift.forecast-warning',
            subjectType: 'alert',
            subjectId: alert.id,
            alertId: alert.id,
            data: { changeId: change.id, ...change.liftCheck },
          },
          m,
        );
      }
    });
    return this.fresh(id);
  }

  // ── decisions ───────────────────────────────────────────────────────────────────────────────────

  /**
   * A commander other than the proposer approves the pending change: it becomes the next revision (in
   * force at once when its time has come), the revision's effects run, all in one transaction. Of two
   * commanders approving at once, one wins; the other gets 409.
   */
  async approve(
    id: string,
    decision: { comment?: string; overrideReason?: string },
    actor: Actor,
  ): Promise<AlertView> {
    const now = this.clock.now();
    const comment = decision.comment;
    await this.dataSource.transaction(async (m) => {
      const alert = await this.lockAlert(m, id);
      const change = await m.getRepository(AlertChange).findOneBy({ alertId: id, status: 'PENDING' });
      if (!change) throw new DomainError('CONFLICT', '该预警没有待审批的变更(可能已被其他人审批)');
      if (change.proposedById === actor.id)
        throw new DomainError('ALERT_SELF_REVIEW', '不能审批自己提出的变更(两人审批制)');
      // A change proposed twice (before this was refused at proposal) or overtaken must not make a revision.
      const redundant = redundantChange(
        { state: stateOf(alert), scheduled: await this.scheduledRevisions(m, id), pending: null },
        change,
      );
      if (redundant) throw new DomainError(redundant.code, redundant.message);
      // Another warning may have taken the counties since the proposal: checked again under the draft's lock.
      await this.refuseWidening(m, alert, change, true);
      // A lift the forecast does not support needs the commander's written reason, kept with the check.
      const overrideError = liftOverrideError(change, decision.overrideReason);
      if (overrideError) throw DomainError.validation([overrideError], overrideError.message);
      const override: LiftOverride | null =
        change.kind === 'LIFT' && change.liftCheck && !change.liftCheck.ok
          ? { reason: decision.overrideReason!.trim(), by: actor.name ?? 'unknown', at: now }
          : null;
      const concern = actor.id ? await this.concernOf(m, change.proposedById, actor.id, now) : null;
      const decided = await m.query<[unknown[], number]>(
        `UPDATE alert_change SET status = 'APPROVED', decided_by = $2, decided_at = $3, decision_reason = $4,
                lift_check = CASE WHEN $5::jsonb IS NULL THEN lift_check
                                  ELSE lift_check || jsonb_build_object('override', $5::jsonb) END
          WHERE id = $1 AND status = 'PENDING'`,
        [change.id, actor.name, now, comment?.trim() || null, override ? JSON.stringify(override) : null],
      );
      if (decided[1] !== 1) throw new DomainError('CONFLICT', '该变更已被审批');
      if (change.kind === 'CANCEL' || change.kind === 'LIFT' || change.kind === 'EXTEND') {
        const problem = proposalProblem(stateOf(alert), change.kind, now);
        if (problem) throw new DomainError('CONFLICT', problem);
      }
      const previous = await m
        .getRepository(AlertRevision)
        .findOne({ where: { alertId: id }, order: { seq: 'DESC' } });
      const revision = await m.save(
        m.create(AlertRevision, {
          alertId: id,
          seq: (previous?.seq ?? 0) + 1,
          kind: change.kind,
          level: change.level,
          countyCodes: change.countyCodes,
          effectiveAt: change.effectiveAt,
          expectedEndAt: change.expectedEndAt,
          reason: change.reason,
          consultationId: change.consultationId,
          previousRevisionId: previous?.id ?? null,
          changeId: change.id,
          proposedBy: change.proposedBy,
          approvedBy: actor.name ?? 'unknown',
          approvedAt: now,
          appliedAt: null,
          twoPersonConcern: concern,
        }),
      );
      if (change.kind === 'ISSUE') alert.status = 'ISSUED';
      await m.save(alert);
      await this.audit.record(
        {
          actor,
          action: 'alert.approved',
          subjectType: 'alert',
          subjectId: id,
          alertId: id,
          data: {
            changeId: change.id,
            revisionId: revision.id,
            seq: revision.seq,
            kind: revision.kind,
            level: revision.level,
            effectiveAt: revision.effectiveAt,
            proposedBy: change.proposedBy,
            comment: comment?.trim() || null,
            liftCheck: change.liftCheck,
            overrideReason: override?.reason ?? null,
            twoPersonConcern: concern,
          },
        },
        m,
      );
      if (override) {
        // An entry of its own, so the audit log can be filtered for lifts approved against the forecast.
        await this.audit.record(
          {
            actor,
            action: 'alert.lift.override',
            subjectType: 'alert',
            subjectId: id,
            alertId: id,
            data: {
              changeId: change.id,
              revisionId: revision.id,
              effectiveAt: revision.effectiveAt,
              reason: override.reason,
              check: change.liftCheck!.message,
              requiredHours: change.liftCheck!.requiredHours ?? null,
              counties: (change.liftCheck!.counties ?? []).map((c) => ({
                code: c.code,
                name: c.name,
                cleanHours: c.cleanHours,
                requiredHours: c.requiredHours,
                ok: c.ok,
              })),
            },
          },
          m,
        );
      }
      if (concern) {
        // An entry of its own, so the audit log can be filtered for it.
        await this.audit.record(
          {
            actor,
            action: 'alert.approval.two-person-concern',
            subjectType: 'alert',
            subjectId: id,
            alertId: id,
            data: {
              changeId: change.id,
              revisionId: revision.id,
              proposedBy: change.proposedBy,
              proposedById: change.proposedById,
              approvedBy: actor.name,
              ...concern,
            },
          },
          m,
        );
      }
      if (
        revision.effectiveAt.getTime() <= now.getTime() ||
        revision.kind === 'EXTEND' ||
        revision.kind === 'CANCEL'
      ) {
        await this.applyRevisionTx(m, alert, revision, now, actor);
      }
      await this.effects.onApproved(m, alert, revision, change);
    });
    this.outbox.notify(); // committed: the dispatcher may start on the new messages now
    // Its notices are released: publish the head they are recorded under, outside the database.
    await this.anchors.publishAfterRelease(id);
    return this.fresh(id);
  }

  async reject(id: string, reason: string, actor: Actor): Promise<AlertView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const alert = await this.lockAlert(m, id);
      const change = await m.getRepository(AlertChange).findOneBy({ alertId: id, status: 'PENDING' });
      if (!change) throw new DomainError('CONFLICT', '该预警没有待审批的变更');
      // Rejecting is deciding too: the proposer may not decide their own change, either way.
      if (change.proposedById === actor.id)
        throw new DomainError(
          'ALERT_SELF_REVIEW',
          '不能退回自己提出的变更(两人审批制),请由其他指挥部成员决定',
        );
      change.status = 'REJECTED';
      change.decidedBy = actor.name;
      change.decidedAt = now;
      change.decisionReason = reason.trim();
      await m.save(change);
      const before = alert.status;
      if (change.kind === 'ISSUE') {
        alert.status = 'REJECTED';
        await m.save(alert);
      }
      await this.audit.record(
        {
          actor,
          action: 'alert.rejected',
          subjectType: 'alert',
          subjectId: id,
          alertId: id,
          data: {
            changeId: change.id,
            kind: change.kind,
            reason: change.decisionReason,
            status: [before, alert.status],
          },
        },
        m,
      );
    });
    return this.fresh(id);
  }

  // ── time ────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Puts approved revisions into effect when their time comes (ISSUED → ACTIVE, level changes, lifts) and
   * expires warnings past their expected end. Called by the scheduler under an advisory lock; each revision
   * and each expiry in its own transaction, and a revision already applied is skipped, so a second run changes
   * nothing. One that fails is reported (`transitionFailed`) and retried next run, and the rest go on; a
   * warning's later revisions and its expiry wait for it, so its changes still apply in order.
   */
  async applyDue(): Promise<{ applied: number; expired: number; failed: number }> {
    const now = this.clock.now();
    const due = await this.dataSource.query<
      Array<{ id: string; alert_id: string; kind: ChangeKind; seq: number }>
    >(
      'SELECT id, alert_id, kind, seq FROM alert_revision WHERE applied_at IS NULL AND effective_at <= $1 ORDER BY effective_at, seq LIMIT 1000',
      [now],
    );
    let applied = 0;
    let failed = 0;
    const waiting = new Set<string>();
    for (const row of due) {
      if (waiting.has(row.alert_id)) continue;
      const item = { alertId: row.alert_id, revisionId: row.id, kind: row.kind, seq: row.seq };
      const done = await this.transitionTx(item, now, async (m) => {
        const alert = await this.lockAlert(m, row.alert_id);
        const revision = await m.getRepository(AlertRevision).findOneBy({ id: row.id });
        if (!revision || revision.appliedAt) return false;
        await this.applyRevisionTx(m, alert, revision, now, SYSTEM_ACTOR);
        // Approved ahead: the orders written then take over from those in force now, in this transaction.
        await this.effects.onApplied(m, alert, revision);
        return true;
      });
      if (done === 'failed') {
        failed++;
        waiting.add(row.alert_id); // its later revisions and its expiry wait: a warning's changes apply in order
      } else if (done) applied++;
    }
    const candidates = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT a.id FROM alert a WHERE a.status = 'ACTIVE' AND a.expected_end_at <= $1
          AND NOT EXISTS (SELECT 1 FROM alert_revision r WHERE r.alert_id = a.id AND r.kind = 'LIFT' AND r.applied_at IS NULL)`,
      [now],
    );
    let expired = 0;
    for (const { id } of candidates) {
      if (waiting.has(id)) continue;
      const item = { alertId: id, revisionId: null, kind: 'EXPIRE' as const, seq: null };
      const done = await this.transitionTx(item, now, async (m) => {
        const alert = await this.lockAlert(m, id);
        const liftPending =
          (
            await m.query<unknown[]>(
              "SELECT 1 FROM alert_revision WHERE alert_id = $1 AND kind = 'LIFT' AND applied_at IS NULL",
              [id],
            )
          ).length > 0;
        if (!isExpired(stateOf(alert), now, liftPending)) return false;
        alert.status = 'EXPIRED';
        await m.save(alert);
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'alert.expired',
            subjectType: 'alert',
            subjectId: id,
            alertId: id,
            data: { expectedEndAt: alert.expectedEndAt, level: alert.level },
          },
          m,
        );
        await this.effects.onExpired(m, alert);
        return true;
      });
      if (done === 'failed') failed++;
      else if (done) expired++;
    }
    if (applied || expired)
      this.logger.log(`applied ${applied} revision(s), expired ${expired} warning(s), ${failed} failed`);
    if (applied || expired) this.viewCache.invalidate();
    return { applied, expired, failed };
  }

  /** One scheduled transition in its own transaction: one that throws is reported and retried next run. */
  private async transitionTx(
    item: TransitionItem,
    now: Date,
    work: (m: EntityManager) => Promise<boolean>,
  ): Promise<boolean | 'failed'> {
    try {
      return await this.dataSource.transaction(work);
    } catch (e) {
      await this.transitionFailed(item, e, now);
      return 'failed';
    }
  }

  /**
   * A revision or expiry that threw: an `alert.transition.failed` entry and an error in the log, at most once
   * per item per FAILURE_REPORT_MS (the job runs every 15 s; a lasting fault must not flood either). When even
   * that cannot be written (the database down), only the log, under the same bound kept in memory.
   */
  private async transitionFailed(item: TransitionItem, error: unknown, now: Date): Promise<void> {
    const { alertId, ...data } = item;
    const message = error instanceof Error ? error.message : String(error);
    const what = `${item.revisionId ? `revision ${item.revisionId} (${item.kind} #${item.seq})` : 'expiry'} of alert ${alertId}`;
    try {
      const reported = await this.dataSource.transaction(async (m) => {
        const [{ last }] = await m.query<Array<{ last: Date | null }>>(
          `SELECT max(occurred_at) AS last FROM audit_entry
            WHERE alert_id = $1 AND action = 'alert.transition.failed' AND data->>'kind' = $2
              AND (data->>'revisionId') IS NOT DISTINCT FROM $3`,
          [alertId, item.kind, item.revisionId],
        );
        if (!failureReportDue(last, now)) return false;
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'alert.transition.failed',
            subjectType: 'alert',
            subjectId: alertId,
            alertId,
            data: { ...data, error: message },
          },
          m,
        );
        return true;
      });
      if (reported) this.logger.error(`${what} failed, retried every run: ${message}`);
    } catch (e) {
      const key = `${alertId}:${item.revisionId ?? 'expiry'}`;
      if (!failureReportDue(this.failureLogged.get(key) ?? null, now)) return;
      for (const [k, at] of this.failureLogged) if (failureReportDue(at, now)) this.failureLogged.delete(k);
      this.failureLogged.set(key, now);
      this.logger.error(
        `${what} failed (${message}); recording the failure failed too: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** When each failing transition was last logged without an audit entry (see transitionFailed). */
  private readonly failureLogged = new Map<string, Date>();

  private async applyRevisionTx(
    m: EntityManager,
    alert: Alert,
    revision: AlertRevision,
    now: Date,
    actor: Actor,
  ): Promise<void> {
    const before = stateOf(alert);
    const after = applyRevision(before, revision);
    Object.assign(alert, after);
    await m.save(alert);
    await m.update(AlertRevision, { id: revision.id }, { appliedAt: now });
    revision.appliedAt = now;
    await this.audit.record(
      {
        actor,
        action: 'alert.revision.applied',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          revisionId: revision.id,
          seq: revision.seq,
          kind: revision.kind,
          before: { status: before.status, level: before.level, expectedEndAt: before.expectedEndAt },
          after: { status: after.status, level: after.level, expectedEndAt: after.expectedEndAt },
        },
      },
      m,
    );
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────────────

  /** The latest 200 warnings, of one status or of several (e.g. those in force, for the dashboard). */
  async list(status?: string | readonly string[]): Promise<AlertView[]> {
    const statuses = (typeof status === 'string' ? [status] : (status ?? [])).map(
      (v) => v.toUpperCase() as AlertStatus,
    );
    const where = statuses.length ? { status: In(statuses) } : {};
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
  private fresh(id: string): Promise<AlertView> {
    this.viewCache.invalidate(id);
    return this.get(id);
  }

  private async load(id: string): Promise<AlertView> {
    const alert = await this.dataSource.getRepository(Alert).findOneBy({ id });
    if (!alert) throw DomainError.notFound('预警');
    return this.view(alert);
  }

  private async view(alert: Alert): Promise<AlertView> {
    const [revisions, changes, counts, endNotices] = await Promise.all([
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
           LEFT JOIN LATERAL (
             SELECT om.state FROM outbox_message om
              WHERE om.order_id = o.id AND om.kind IN ('ORDER_ISSUED', 'ORDER_ADJUSTED')
              ORDER BY om.created_at LIMIT 1) m ON true
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
      status: alert.status,
      statusName: STATUS_NAMES[alert.status],
      level: alert.level,
      levelName: LEVEL_NAMES[alert.level],
      countyCodes: alert.countyCodes,
      effectiveAt: alert.effectiveAt,
      expectedEndAt: alert.expectedEndAt,
      liftedAt: alert.liftedAt,
      rulesetId: alert.rulesetId,
      createdBy: alert.createdBy,
      createdAt: alert.createdAt,
      pendingChange: changes.filter((c) => c.status === 'PENDING').map(toChangeView)[0] ?? null,
      revisions: revisions.map((r) => ({
        ...pickRevision(r),
        kindName: KIND_NAMES[r.kind],
        liftCheck: liftCheckView(changes.find((c) => c.id === r.changeId)?.liftCheck ?? null),
      })),
      rejectedChanges: changes.filter((c) => c.status === 'REJECTED').map(toChangeView),
      orderCounts,
    };
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────

  private async lockAlert(m: EntityManager, id: string): Promise<Alert> {
    if (!isUuid(id)) throw DomainError.notFound('预警');
    const alert = await m
      .getRepository(Alert)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.id = :id', { id })
      .getOne();
    if (!alert) throw DomainError.notFound('预警');
    return alert;
  }

  /** Approved revisions of the warning that have not taken effect yet. */
  private async scheduledRevisions(m: EntityManager, alertId: string): Promise<ScheduledRevision[]> {
    return m.getRepository(AlertRevision).find({
      where: { alertId, appliedAt: IsNull() },
      order: { effectiveAt: 'ASC', seq: 'ASC' },
    });
  }

  /** The two accounts of an approval, as the two-person check needs them. */
  private async accountFacts(m: EntityManager, ids: string[]): Promise<Map<string, AccountFacts>> {
    const rows = await m.query<
      Array<{
        id: string;
        created_by: string | null;
        password_set_by: string | null;
        password_set_at: Date | null;
      }>
    >('SELECT id, created_by, password_set_by, password_set_at FROM app_user WHERE id = ANY($1::uuid[])', [
      ids,
    ]);
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          createdBy: r.created_by,
          passwordSetBy: r.password_set_by,
          passwordSetAt: r.password_set_at,
        },
      ]),
    );
  }

  private async concernOf(
    m: EntityManager,
    proposerId: string,
    approverId: string,
    now: Date,
  ): Promise<TwoPersonConcern | null> {
    const accounts = await this.accountFacts(m, [proposerId, approverId]);
    const proposer = accounts.get(proposerId);
    const approver = accounts.get(approverId);
    return proposer && approver ? twoPersonConcern(proposer, approver, now) : null;
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
    if (!change || change.proposedById === approverId) return null;
    return this.concernOf(this.dataSource.manager, change.proposedById, approverId, this.clock.now());
  }

  /**
   * A county has at most one warning in force (or awaiting approval) at any time: `overlapsOf` judges the
   * holding warnings. Call under SCOPE_LOCK, so two drafts or widenings cannot both pass.
   */
  private async refuseOverlap(
    m: EntityManager,
    footprint: Footprint,
    exceptId: string | null,
    field: string,
    message: (list: string) => string,
  ): Promise<void> {
    const rows = await m.query<
      Array<{
        code: string;
        status: AlertStatus;
        county_codes: string[];
        effective_at: Date;
        expected_end_at: Date | null;
      }>
    >(
      `SELECT code, status, county_codes, effective_at, expected_end_at FROM alert
        WHERE status = ANY($1::text[]) AND ($2::uuid IS NULL OR id <> $2)`,
      [HOLDING_STATUSES, exceptId],
    );
    const found = overlapsOf(
      footprint,
      rows.map((r) => ({
        code: r.code,
        status: r.status,
        countyCodes: r.county_codes,
        start: r.effective_at,
        end: r.expected_end_at,
      })),
    );
    if (found.length === 0) return;
    const names = new Map(
      (await m.query<Array<{ code: string; name: string }>>('SELECT code, name FROM county')).map((r) => [
        r.code,
        r.name,
      ]),
    );
    const list = describeOverlaps(found, (c) => names.get(c) ?? c);
    throw new DomainError('ALERT_COUNTY_OVERLAP', message(list), [{ field, message: list }], undefined, {
      overlaps: found.map((o) => ({
        code: o.code,
        status: o.status,
        countyCodes: o.countyCodes,
        effectiveAt: o.start,
        expectedEndAt: o.end,
      })),
    });
  }

  /**
   * A change that widens the warning (a later expected end, more counties) is checked against the other warnings
   * like a draft, under the draft's lock (taken after the warning's row lock, as everywhere).
   */
  private async refuseWidening(
    m: EntityManager,
    alert: Alert,
    change: ChangeFacts,
    atApproval: boolean,
  ): Promise<void> {
    const footprint = widenedFootprint(stateOf(alert), alert.countyCodes, change);
    if (!footprint) return;
    await m.query(`SELECT pg_advisory_xact_lock(${SCOPE_LOCK})`);
    await this.refuseOverlap(
      m,
      footprint,
      alert.id,
      change.kind === 'EXTEND' ? 'expectedEndAt' : 'countyCodes',
      (list) =>
        `${KIND_NAMES[change.kind]}后预警 ${alert.code} 将与其他预警重叠:${list}。同一区县同一时间只能有一个预警${atApproval ? ',请驳回此变更' : ''}。`,
    );
  }

  private checkLevel(level: string, ruleset: Ruleset, errors: FieldError[]): void {
    if (!(ruleset.levels as string[]).includes(level))
      errors.push({
        field: 'level',
        message: `规则集 ${ruleset.id} 的预警级别为 ${ruleset.levels.join('、')}`,
      });
  }

  private async findConsultation(
    id: string | undefined,
    errors: FieldError[],
  ): Promise<ConsultationView | null> {
    if (!id) return null;
    try {
      return await this.consultations.get(id);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'NOT_FOUND') {
        errors.push({ field: 'consultationId', message: '会商记录不存在' });
        return null;
      }
      throw e;
    }
  }

  private async liftCheck(
    alert: Alert,
    ruleset: Ruleset,
    liftAt: Date,
    consultation: ConsultationView | null,
  ): Promise<LiftCheck> {
    const names = new Map(
      (
        await this.dataSource.query<Array<{ code: string; name: string }>>(
          'SELECT code, name FROM county WHERE code = ANY($1::varchar[])',
          [alert.countyCodes],
        )
      ).map((r) => [r.code, r.name]),
    );
    const result = liftForecastCheck({
      counties: alert.countyCodes.map((code) => ({ code, name: names.get(code) ?? code })),
      liftAt,
      requiredHours: ruleset.definition.liftBelowHours,
      rules: ruleset.definition.levelRules,
      forecast: consultation?.forecasts ? daysByCounty(consultation.forecasts) : null,
    });
    return { ...result, consultationId: consultation?.id ?? null };
  }

  private async saveChange(
    m: EntityManager,
    alert: Alert,
    actor: Actor,
    now: Date,
    input: ChangeInput,
  ): Promise<AlertChange> {
    return m.save(
      m.create(AlertChange, {
        alertId: alert.id,
        kind: input.kind,
        status: 'PENDING',
        level: input.level,
        countyCodes: alert.countyCodes,
        effectiveAt: input.effectiveAt,
        expectedEndAt: input.expectedEndAt,
        reason: input.reason,
        consultationId: input.consultationId,
        recommendation: input.recommendation,
        liftCheck: input.liftCheck,
        proposedBy: actor.name ?? 'unknown',
        proposedById: actor.id!,
        proposedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
      }),
    );
  }
}

/** A scheduled transition: an approved revision taking effect, or a warning's expiry. */
interface TransitionItem {
  alertId: string;
  revisionId: string | null;
  kind: ChangeKind | 'EXPIRE';
  seq: number | null;
}

interface ChangeInput {
  kind: ChangeKind;
  level: WarningLevel;
  effectiveAt: Date;
  expectedEndAt: Date | null;
  reason: string;
  consultationId: string | null;
  recommendation: CountyRecommendation[] | null;
  liftCheck: LiftCheck | null;
}

function stateOf(a: Alert): AlertState {
  return {
    status: a.status,
    level: a.level,
    effectiveAt: a.effectiveAt,
    expectedEndAt: a.expectedEndAt,
    liftedAt: a.liftedAt,
  };
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

function pickRevision(r: AlertRevision): Omit<RevisionView, 'kindName' | 'liftCheck'> {
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
  };
}
