import { Injectable } from '@nestjs/common';
import {
  CAMPAIGN_CODE_PREFIX,
  type CampaignKind,
  type CampaignSpec,
  campaignRulesOf,
  defaultCampaignName,
  documentSeriesOf,
  inSeason,
  ozoneResponseDays,
} from '../campaigns/campaign.rules';
import { DataSource, EntityManager } from 'typeorm';
import { TableStatistics } from '../common/sql/table-statistics.service';
import { type Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AuditAnchorService } from '../audit/audit-anchor.service';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { shanghaiDate } from '../common/time';
import type { CountyRecommendation } from '../consultations/consultation.entity';
import { daysByCounty } from '../consultations/consultation.rules';
import { ConsultationsService, type ConsultationView } from '../consultations/consultations.service';
import { OutboxSignal } from '../notifications/outbox-signal';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { Ruleset } from '../rulesets/ruleset.entity';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { RulesetsService } from '../rulesets/rulesets.service';
import type { Directive } from '../directives/directive.entity';
import {
  answeredDirectives,
  DIRECTIVE_KIND_NAMES,
  describeViolations,
  type FloorProposal,
  floorViolations,
} from '../directives/directive.rules';
import { DirectivesService } from '../directives/directives.service';
import { DocumentNumbersService } from '../documents/document-numbers.service';
import {
  Alert,
  AlertChange,
  AlertRevision,
  CAMPAIGN_LEVEL,
  type LiftCheck,
  type LiftOverride,
} from './alert.entity';
import {
  adjustKind,
  type AlertState,
  type AlertStatus,
  type ChangeFacts,
  type ChangeKind,
  describeOverlaps,
  type Footprint,
  HOLDING_STATUSES,
  KIND_NAMES,
  liftOverrideError,
  overlapsOf,
  projectedState,
  proposalProblem,
  redundantChange,
  widenedFootprint,
} from './alert.rules';
import { liftForecastCheck } from './lift-check.rules';
import { concernOf, lockAlert, scheduledRevisions, stateOf } from './alert-records';
import { isSelfReview } from './two-person.rules';
import { AlertTransitionsService } from './alert-transitions.service';
import { type AlertView, AlertViewsService } from './alert-views.service';
import type { AdjustAlertDto, CreateAlertDto, ExtendAlertDto, LiftAlertDto } from './dto/alert.dto';
import type { CreateCampaignDto } from '../campaigns/dto/campaign.dto';
import type { ControlTag, Grade } from '../enterprises/enterprise.types';
import { RevisionEffects } from './revision-effects';
import { type LeadTimeShort, leadTimeMessage, leadTimeShort } from './timing.rules';

/** A draft may take effect a little in the past (pollution already heavy), not a day ago. */
const MAX_BACKDATE_MS = 24 * 3600_000;
const SCOPE_LOCK = "hashtext('haze:alert-scope')";

/** What people do to warnings: draft, propose changes (adjust, extend, lift, cancel), approve, reject. */
@Injectable()
export class AlertCommandsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly consultations: ConsultationsService,
    private readonly rulesets: RulesetsService,
    private readonly effects: RevisionEffects,
    private readonly anchors: AuditAnchorService,
    private readonly outbox: OutboxSignal,
    private readonly transitions: AlertTransitionsService,
    private readonly views: AlertViewsService,
    private readonly directives: DirectivesService,
    private readonly numbers: DocumentNumbersService,
    private readonly statistics: TableStatistics,
  ) {}

  // ── drafting ────────────────────────────────────────────────────────────────────────────────────

  /** A duty officer's draft: a new warning awaiting a commander's approval (its ISSUE change). */
  async draft(dto: CreateAlertDto, actor: Actor): Promise<AlertView> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    const countyCodes = await this.draftCounties(dto, errors);
    if (countyCodes.length === 0)
      errors.push({ field: 'countyCodes', message: '请选择区县,或设置 wholeCity: true 覆盖全市' });
    const effectiveAt = new Date(dto.effectiveAt);
    const expectedEndAt = dto.expectedEndAt ? new Date(dto.expectedEndAt) : null;
    if (effectiveAt.getTime() < now.getTime() - MAX_BACKDATE_MS)
      errors.push({ field: 'effectiveAt', message: '生效时间不能早于24小时前' });
    if (expectedEndAt && expectedEndAt.getTime() <= effectiveAt.getTime())
      errors.push({ field: 'expectedEndAt', message: '预计结束时间应晚于生效时间' });
    const consultation = await this.findConsultation(dto.consultationId, errors);
    const named = dto.directiveId
      ? (await this.directives.byIds(this.dataSource.manager, [dto.directiveId]))[0]
      : undefined;
    if (dto.directiveId && !named) errors.push({ field: 'directiveId', message: '省级指令不存在' });
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
    // Issued in principle leadTimeHours ahead; sooner (pollution already heavy) only with a written reason.
    const short = leadTimeShort(effectiveAt, now, ruleset.definition.leadTimeHours);
    if (short && reason === '')
      errors.push({ field: 'reason', message: leadTimeMessage(ruleset.id, short.required) });
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
      // The directives binding its counties during its span: none may be left below, and it answers them.
      const binding = await this.directives.bindingDuring(m, effectiveAt, expectedEndAt);
      this.refuseFloor(
        binding,
        {
          kind: 'ISSUE',
          level: dto.level as WarningLevel,
          countyCodes,
          from: effectiveAt,
          to: expectedEndAt,
        },
        await this.countyNames(m),
        '起草',
        false,
      );
      const answered = answeredDirectives(
        named && !binding.some((d) => d.id === named.id) ? [...binding, named] : binding,
        { countyCodes, start: effectiveAt, end: expectedEndAt },
        named?.id ?? null,
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
          directiveIds: answered.map((d) => d.id),
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
        leadTimeShort: short,
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
            directives: answered.map((d) => ({ id: d.id, number: d.number, level: d.level })),
            leadTimeShort: short,
          },
        },
        m,
      );
      return alert.id;
    });
    return this.views.fresh(id);
  }

  /**
   * A campaign draft (issue 18): staggered production for a period, or one ozone-response day's window, awaiting a
   * second person's approval like a warning. It holds its counties only against another campaign of its kind (a
   * warning on top of a campaign is the point). Its period must lie in the kind's season under its ruleset.
   */
  async draftCampaign(dto: CreateCampaignDto, actor: Actor): Promise<AlertView> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    let countyCodes = await this.draftCounties(dto, errors);
    const consultation = await this.findConsultation(dto.consultationId, errors);
    const day = dto.kind === 'SUMMER_OZONE' ? dto.day : undefined;
    if (dto.kind === 'SUMMER_OZONE' && !day)
      errors.push({ field: 'day', message: '臭氧污染应对须填写应对日' });
    const ruleset = consultation
      ? await this.rulesets.get(consultation.rulesetId)
      : await this.rulesets.inEffectOn(
          day ?? shanghaiDate(dto.effectiveAt ? new Date(dto.effectiveAt) : now),
        );
    const rules = campaignRulesOf(ruleset.definition);
    const season = dto.kind === 'AUTUMN_WINTER' ? rules.AUTUMN_WINTER.season : rules.SUMMER_OZONE.season;
    const window = dto.kind === 'SUMMER_OZONE' ? rules.SUMMER_OZONE.window : null;
    let effectiveAt: Date | null = null;
    let expectedEndAt: Date | null = null;
    let reason = dto.reason?.trim() ?? '';
    if (day && window) {
      effectiveAt = new Date(`${day}T${window.from}:00+08:00`);
      expectedEndAt = new Date(`${day}T${window.to}:00+08:00`);
      if (!inSeason(day, season))
        errors.push({ field: 'day', message: `应对日不在臭氧污染应对期(${season.from}至${season.to})内` });
      // The consultation's ozone-response days say which counties respond that day.
      const responding = consultation
        ? ozoneResponseDays(consultation.recommendations, season).find((d) => d.date === day)
        : undefined;
      if (consultation && !responding)
        errors.push({ field: 'day', message: `所选会商未确定 ${day} 为臭氧污染应对日` });
      if (responding && countyCodes.length === 0) countyCodes = responding.countyCodes;
      if (!consultation && reason === '')
        errors.push({ field: 'reason', message: '没有关联会商时必须填写理由' });
      if (reason === '' && responding) reason = `按会商确定的臭氧污染应对日(${day})实施`;
    } else if (dto.kind === 'AUTUMN_WINTER') {
      if (!dto.effectiveAt) errors.push({ field: 'effectiveAt', message: '请填写错峰生产开始时间' });
      if (!dto.expectedEndAt) errors.push({ field: 'expectedEndAt', message: '请填写错峰生产结束时间' });
      effectiveAt = dto.effectiveAt ? new Date(dto.effectiveAt) : null;
      expectedEndAt = dto.expectedEndAt ? new Date(dto.expectedEndAt) : null;
      if (effectiveAt && effectiveAt.getTime() < now.getTime() - MAX_BACKDATE_MS)
        errors.push({ field: 'effectiveAt', message: '生效时间不能早于24小时前' });
      if (effectiveAt && expectedEndAt && expectedEndAt.getTime() <= effectiveAt.getTime())
        errors.push({ field: 'expectedEndAt', message: '结束时间应晚于开始时间' });
      for (const [field, at] of [
        ['effectiveAt', effectiveAt],
        ['expectedEndAt', expectedEndAt],
      ] as const)
        if (at && !inSeason(shanghaiDate(at), season))
          errors.push({ field, message: `不在秋冬季错峰生产期(${season.from}至${season.to})内` });
      if (reason === '') reason = '按秋冬季差异化错峰生产方案实施';
    }
    if (countyCodes.length === 0)
      errors.push({ field: 'countyCodes', message: '请选择区县,或设置 wholeCity: true 覆盖全市' });
    if (errors.length) throw DomainError.validation(errors);
    const start = effectiveAt!;
    const spec: CampaignSpec = {
      kind: dto.kind,
      name: dto.name?.trim() || defaultCampaignName(dto.kind, start, day ?? null),
      industries: dto.industries?.length ? [...new Set(dto.industries)] : null,
      grades: dto.grades?.length ? ([...new Set(dto.grades)] as Grade[]) : null,
      tags: dto.tags?.length ? ([...new Set(dto.tags)] as ControlTag[]) : null,
      day: day ?? null,
      window,
    };
    const id = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(${SCOPE_LOCK})`);
      await this.refuseOverlap(
        m,
        { countyCodes, start, end: expectedEndAt },
        null,
        'countyCodes',
        (list) => `所选区县已有同类季节性管控在执行或待审批:${list}。`,
        dto.kind,
      );
      const [{ n }] = await m.query<Array<{ n: string }>>("SELECT nextval('alert_number_seq') AS n");
      const alert = await m.save(
        m.create(Alert, {
          code: `${CAMPAIGN_CODE_PREFIX[dto.kind]}${shanghaiDate(now).slice(0, 4)}-${n.padStart(3, '0')}`,
          kind: 'CAMPAIGN',
          campaign: spec,
          status: 'PENDING_APPROVAL',
          level: CAMPAIGN_LEVEL,
          countyCodes,
          effectiveAt: start,
          expectedEndAt,
          liftedAt: null,
          rulesetId: ruleset.id,
          createdBy: actor.name ?? 'unknown',
          directiveIds: [],
        }),
      );
      const change = await this.saveChange(m, alert, actor, now, {
        kind: 'ISSUE',
        level: CAMPAIGN_LEVEL,
        effectiveAt: start,
        expectedEndAt,
        reason,
        consultationId: consultation?.id ?? null,
        recommendation: null,
        liftCheck: null,
      });
      await this.audit.record(
        {
          actor,
          action: 'campaign.drafted',
          subjectType: 'alert',
          subjectId: alert.id,
          alertId: alert.id,
          data: {
            code: alert.code,
            changeId: change.id,
            campaign: spec,
            countyCodes,
            effectiveAt: start,
            expectedEndAt,
            reason,
          },
        },
        m,
      );
      return alert.id;
    });
    return this.views.fresh(id);
  }

  async adjust(id: string, dto: AdjustAlertDto, actor: Actor): Promise<AlertView> {
    return this.propose(id, actor, async (alert, ruleset, errors, projected) => {
      if (alert.kind === 'CAMPAIGN')
        errors.push({ field: 'level', message: '季节性管控没有预警级别,不能升级或降级' });
      else this.checkLevel(dto.level, ruleset, errors);
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
      // A campaign ends when the command decides, not when a forecast clears.
      const liftCheck: LiftCheck =
        alert.kind === 'CAMPAIGN'
          ? { ok: true, message: '季节性管控由指挥部决定结束,不以空气质量预报为条件', consultationId: null }
          : await this.liftCheck(alert, ruleset, effectiveAt, consultation);
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
  private async propose(id: string, actor: Actor, build: BuildChange): Promise<AlertView> {
    await this.dataSource.transaction((m) => this.proposeIn(m, id, actor, build));
    return this.views.fresh(id);
  }

  /**
   * The system's lift of a warning started under a provincial directive that the province has lifted, in the
   * transaction recording that lift: effective at the directive's lift (or at the warning's start, if later), with
   * the usual forecast check, for any commander to approve. Throws the usual DomainError when it cannot be
   * proposed (a change already pending, already lifted, another directive still binding), before writing anything.
   */
  async proposeDirectiveLiftTx(
    m: EntityManager,
    alertId: string,
    directive: Pick<Directive, 'id' | 'number' | 'kind'>,
    liftAt: Date,
  ): Promise<AlertChange> {
    const pending = await m.getRepository(AlertChange).findOneBy({ alertId, status: 'PENDING' });
    if (pending)
      throw new DomainError(
        'ALERT_CHANGE_PENDING',
        `该预警已有待审批的${KIND_NAMES[pending.kind]}变更(${pending.proposedBy}提出),未自动提出解除`,
      );
    return this.proposeIn(
      m,
      alertId,
      SYSTEM_ACTOR,
      async (alert, ruleset) => {
        const effectiveAt = new Date(Math.max(liftAt.getTime(), alert.effectiveAt.getTime()));
        const consultation = await this.consultations.latest();
        return {
          kind: 'LIFT',
          level: alert.level,
          effectiveAt,
          expectedEndAt: alert.expectedEndAt,
          reason: `${DIRECTIVE_KIND_NAMES[directive.kind]}${directive.number}已解除`,
          consultationId: consultation?.id ?? null,
          recommendation: null,
          liftCheck: await this.liftCheck(alert, ruleset, effectiveAt, consultation),
        };
      },
      { directiveId: directive.id, directiveNumber: directive.number },
    );
  }

  private async proposeIn(
    m: EntityManager,
    id: string,
    actor: Actor,
    build: BuildChange,
    auditExtra: Record<string, unknown> = {},
  ): Promise<AlertChange> {
    const now = this.clock.now();
    const alert = await lockAlert(m, id);
    const scheduled = await scheduledRevisions(m, id);
    const ruleset = await this.rulesets.get(alert.rulesetId);
    const errors: FieldError[] = [];
    const input = await build(alert, ruleset, errors, projectedState(stateOf(alert), scheduled));
    const problem = proposalProblem(stateOf(alert), input.kind, now);
    if (problem) throw new DomainError(problem.code, problem.message);
    if (errors.length) throw DomainError.validation(errors);
    const pending = await m.getRepository(AlertChange).findOneBy({ alertId: alert.id, status: 'PENDING' });
    const redundant = redundantChange(
      { state: stateOf(alert), scheduled, pending },
      { ...input, countyCodes: alert.countyCodes },
    );
    if (redundant) throw new DomainError(redundant.code, redundant.message);
    if (pending)
      throw new DomainError(
        'ALERT_CHANGE_PENDING',
        `该预警已有待审批的${KIND_NAMES[pending.kind]}变更,请先审批或驳回`,
      );
    await this.refuseWidening(m, alert, { ...input, countyCodes: alert.countyCodes }, false);
    await this.refuseChangeBelowFloor(m, alert, { ...input, countyCodes: alert.countyCodes }, now, false);
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
          ...auditExtra,
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
    return change;
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
      const alert = await lockAlert(m, id);
      const change = await m.getRepository(AlertChange).findOneBy({ alertId: id, status: 'PENDING' });
      if (!change)
        throw new DomainError('ALERT_NO_PENDING_CHANGE', '该预警没有待审批的变更(可能已被其他人审批)');
      if (isSelfReview(change.proposedById, actor.id))
        throw new DomainError('ALERT_SELF_REVIEW', '不能审批自己提出的变更(两人审批制)');
      // A change proposed twice (before this was refused at proposal) or overtaken must not make a revision.
      const redundant = redundantChange(
        { state: stateOf(alert), scheduled: await scheduledRevisions(m, id), pending: null },
        change,
      );
      if (redundant) throw new DomainError(redundant.code, redundant.message);
      // Another warning may have taken the counties since the proposal: checked again under the draft's lock.
      await this.refuseWidening(m, alert, change, true);
      // A directive recorded since the proposal binds the approval too.
      await this.refuseChangeBelowFloor(m, alert, change, now, true);
      // A lift the forecast does not support needs the commander's written reason, kept with the check.
      const overrideError = liftOverrideError(change, decision.overrideReason);
      if (overrideError) throw DomainError.validation([overrideError], overrideError.message);
      const override: LiftOverride | null =
        change.kind === 'LIFT' && change.liftCheck && !change.liftCheck.ok
          ? { reason: decision.overrideReason!.trim(), by: actor.name ?? 'unknown', at: now }
          : null;
      // A system proposal has no proposing account: nothing of two people to doubt.
      const concern =
        actor.id && change.proposedById ? await concernOf(m, change.proposedById, actor.id, now) : null;
      const decided = await m.query<[unknown[], number]>(
        `UPDATE alert_change SET status = 'APPROVED', decided_by = $2, decided_at = $3, decision_reason = $4,
                lift_check = CASE WHEN $5::jsonb IS NULL THEN lift_check
                                  ELSE lift_check || jsonb_build_object('override', $5::jsonb) END
          WHERE id = $1 AND status = 'PENDING'`,
        [change.id, actor.name, now, comment?.trim() || null, override ? JSON.stringify(override) : null],
      );
      if (decided[1] !== 1) throw new DomainError('ALERT_CHANGE_ALREADY_DECIDED', '该变更已被审批');
      if (change.kind === 'CANCEL' || change.kind === 'LIFT' || change.kind === 'EXTEND') {
        const problem = proposalProblem(stateOf(alert), change.kind, now);
        if (problem) throw new DomainError(problem.code, problem.message);
      }
      const previous = await m
        .getRepository(AlertRevision)
        .findOne({ where: { alertId: id }, order: { seq: 'DESC' } });
      // Every checks passed: the notice this approval releases takes the year's next 文号 (given back on rollback).
      const documentNumber = await this.numbers.next(m, now, documentSeriesOf(alert));
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
          documentNumber,
        }),
      );
      if (change.kind === 'ISSUE') alert.status = 'ISSUED';
      await m.save(alert);
      // One append for the approval and the entries that single it out (filterable on their own).
      const records: AuditRecord[] = [
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
            documentNumber,
            proposedBy: change.proposedBy,
            comment: comment?.trim() || null,
            liftCheck: change.liftCheck,
            overrideReason: override?.reason ?? null,
            twoPersonConcern: concern,
          },
        },
      ];
      if (override) {
        // Lifts approved against the forecast.
        records.push({
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
        });
      }
      if (concern) {
        records.push({
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
        });
      }
      await this.audit.record(records, m);
      if (
        revision.effectiveAt.getTime() <= now.getTime() ||
        revision.kind === 'EXTEND' ||
        revision.kind === 'CANCEL'
      ) {
        await this.transitions.applyRevisionTx(m, alert, revision, now, actor);
      }
      await this.effects.onApproved(m, alert, revision, change);
    });
    // The commander's answer is read first: started now, the dispatcher's rendering of thousands of notices would
    // compete with it on this process (the mail waits the few milliseconds the view takes).
    const view = await this.views.fresh(id);
    this.outbox.notify(); // committed: the dispatcher may start on the new messages now
    // Its orders and messages, thousands for a city-wide warning, analysed for the reads that follow (TableStatistics).
    this.statistics.analyzeSoon(['reduction_order', 'outbox_message']);
    // Its notices are released: publish the head they are recorded under, outside the database.
    await this.anchors.publishAfterRelease(id);
    return view;
  }

  async reject(id: string, reason: string, actor: Actor): Promise<AlertView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const alert = await lockAlert(m, id);
      const change = await m.getRepository(AlertChange).findOneBy({ alertId: id, status: 'PENDING' });
      if (!change) throw new DomainError('ALERT_NO_PENDING_CHANGE', '该预警没有待审批的变更');
      // Rejecting is deciding too: the proposer may not decide their own change, either way.
      if (isSelfReview(change.proposedById, actor.id))
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
    return this.views.fresh(id);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────

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
    campaignKind: CampaignKind | null = null,
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
        WHERE status = ANY($1::text[]) AND ($2::uuid IS NULL OR id <> $2)
          AND CASE WHEN $3::text IS NULL THEN kind = 'WARNING' ELSE campaign->>'kind' = $3 END`,
      [HOLDING_STATUSES, exceptId, campaignKind],
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
      alert.campaign?.kind ?? null,
    );
  }

  /**
   * The provincial floor (调度令 / 区域预警): a draft or a downgrade below a directive's level for one of its
   * counties while it binds, or a lift or cancellation taking effect while it binds, is refused (409
   * DIRECTIVE_FLOOR naming the directives, levels and counties). Checked at proposal and again at approval.
   */
  private async refuseChangeBelowFloor(
    m: EntityManager,
    alert: Alert,
    change: ChangeFacts,
    now: Date,
    atApproval: boolean,
  ): Promise<void> {
    // A campaign orders on top of whatever warning is in force: a directive's floor is the warnings' business.
    if (alert.kind === 'CAMPAIGN') return;
    const proposal = floorProposal(alert, change, now);
    if (!proposal) return;
    const from = proposal.kind === 'LIFT' ? proposal.at : proposal.from;
    const to = proposal.kind === 'LIFT' ? new Date(proposal.at.getTime() + 1) : proposal.to;
    const binding = await this.directives.bindingDuring(m, from, to);
    this.refuseFloor(binding, proposal, await this.countyNames(m), KIND_NAMES[change.kind], atApproval);
  }

  private refuseFloor(
    binding: readonly Directive[],
    proposal: FloorProposal,
    names: Map<string, string>,
    what: string,
    atApproval: boolean,
  ): void {
    const found = floorViolations(binding, proposal);
    if (found.length === 0) return;
    const list = describeViolations(found, (c) => names.get(c) ?? c);
    throw new DomainError(
      'DIRECTIVE_FLOOR',
      `${what}将使区县低于省级指令要求:${list}${atApproval ? '。请驳回此变更' : ''}`,
      [
        {
          field: proposal.kind === 'ISSUE' || proposal.kind === 'DOWNGRADE' ? 'level' : 'effectiveAt',
          message: list,
        },
      ],
      undefined,
      {
        directives: found.map(({ directive: d, countyCodes }) => ({
          id: d.id,
          number: d.number,
          kind: d.kind,
          level: d.level,
          countyCodes,
          startAt: d.startAt,
          endAt: d.endAt,
        })),
      },
    );
  }

  /** A draft's counties (every county for wholeCity), each unknown code an error naming its place. */
  private async draftCounties(
    dto: { wholeCity?: boolean; countyCodes?: string[] },
    errors: FieldError[],
  ): Promise<string[]> {
    const allCounties = (
      await this.dataSource.query<Array<{ code: string }>>('SELECT code FROM county ORDER BY sort_order')
    ).map((r) => r.code);
    const countyCodes = dto.wholeCity ? allCounties : [...new Set(dto.countyCodes ?? [])];
    countyCodes.forEach((c, i) => {
      if (!allCounties.includes(c)) errors.push({ field: `countyCodes[${i}]`, message: `未知区县代码 ${c}` });
    });
    return countyCodes;
  }

  private async countyNames(m: EntityManager): Promise<Map<string, string>> {
    return new Map(
      (await m.query<Array<{ code: string; name: string }>>('SELECT code, name FROM county')).map((r) => [
        r.code,
        r.name,
      ]),
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
      settings: ruleset.definition,
      rulesetId: ruleset.id,
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
        leadTimeShort: input.leadTimeShort ?? null,
        proposedBy: actor.name ?? 'unknown',
        proposedById: actor.id,
        proposedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
      }),
    );
  }
}

/** Builds a proposed change from the locked warning, its ruleset and the state its approved revisions will leave. */
type BuildChange = (
  alert: Alert,
  ruleset: Ruleset,
  errors: FieldError[],
  projected: AlertState,
) => Promise<ChangeInput>;

interface ChangeInput {
  kind: ChangeKind;
  level: WarningLevel;
  effectiveAt: Date;
  expectedEndAt: Date | null;
  reason: string;
  consultationId: string | null;
  recommendation: CountyRecommendation[] | null;
  liftCheck: LiftCheck | null;
  /** Drafts only: taking effect sooner than the lead time (the reason says why). */
  leadTimeShort?: LeadTimeShort | null;
}

/**
 * What a change asks of its counties, for the floor: a draft holds them at its level over its span, a downgrade
 * from its time to the warning's expected end; a lift leaves them at its time; a cancellation gives up the span the
 * warning would have covered from now. Upgrades and extensions never go below a floor: null.
 */
function floorProposal(alert: Alert, change: ChangeFacts, now: Date): FloorProposal | null {
  const countyCodes = change.countyCodes;
  switch (change.kind) {
    case 'ISSUE':
    case 'DOWNGRADE':
      return {
        kind: change.kind,
        level: change.level,
        countyCodes,
        from: change.effectiveAt,
        to: change.expectedEndAt,
      };
    case 'LIFT':
      return { kind: 'LIFT', countyCodes, at: change.effectiveAt };
    case 'CANCEL':
      return {
        kind: 'CANCEL',
        countyCodes,
        from: new Date(Math.max(now.getTime(), alert.effectiveAt.getTime())),
        to: alert.expectedEndAt,
      };
    case 'UPGRADE':
    case 'EXTEND':
      return null;
  }
}
