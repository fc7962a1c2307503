import { countyScopeOf, inCountyScope } from '../auth/county-scope';
import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AlertPreviewService } from '../alerts/alert-preview.service';
import type { AlertPreviewDto } from '../alerts/dto/alert-preview.dto';
import { shanghaiDate, shanghaiIso, shanghaiLocalInput } from '../common/time';
import { RulesetsService } from '../rulesets/rulesets.service';
import { KIND_NAMES, liftOverrideError } from '../alerts/alert.rules';
import { AlertCommandsService } from '../alerts/alert-commands.service';
import { AlertViewsService, type AlertView } from '../alerts/alert-views.service';
import { AssessmentService, JSON_LIST_LIMIT } from '../alerts/assessment.service';
import {
  AdjustAlertDto,
  ApproveDto,
  CreateAlertDto,
  ExtendAlertDto,
  LiftAlertDto,
} from '../alerts/dto/alert.dto';
import type { Actor } from '../audit/actor';
import { TIMELINE_DEFAULT_LIMIT } from '../audit/timeline.rules';
import { TimelineService } from '../audit/timeline.service';
import {
  AuthedRequest,
  type AuthUser,
  CurrentUser,
  RequestActor,
  Roles,
  OpenToCounties,
  SignedIn,
} from '../auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { ConsultationsService, type ConsultationView } from '../consultations/consultations.service';
import { GRADES } from '../enterprises/enterprise.types';
import { ORDER_STATES } from '../orders/order.rules';
import { OrdersService } from '../orders/orders.service';
import { RegionsService } from '../regions/regions.service';
import { OutboxService } from '../notifications/outbox.service';
import { WARNING_LEVELS, type WarningLevel } from '../rulesets/ruleset.types';
import { ConsolePages } from './console-page.decorator';
import { campaignPeriodText } from './campaign-record-view.rules';
import { FormBody, formErrors, many, one, validated } from './console-forms';
import { adequacyBars, orderProgress, partyGroups } from './console-view.rules';
import { PartyViewsService } from '../parties/party-views.service';
import { PARTY_KIND_NAMES, PARTY_NOTICE_KIND_NAMES, PARTY_STATE_NAMES } from '../parties/party.rules';
import { draftCoverage, draftPrefill, episodeStartInput } from './draft-options.rules';
import { countyMapView, warningCounties } from './county-map.view';
import { CountyProgressService } from '../orders/county-progress.service';
import { DeadlinesService } from '../orders/deadlines.service';
import { leadTimeShort } from '../alerts/timing.rules';
import {
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_KINDS,
  followUpLine,
  followUpAuthorOf,
  followUpRefusal,
} from '../follow-ups/follow-up.rules';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { InspectionPlansService } from '../inspections/inspection-plans.service';
import { inspectionRefusal, inspectorOf } from '../inspections/inspection.rules';
import { PLAN_DRAWERS } from './inspection-pages.controller';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { DISCREPANCY_READERS, durationText, RECONCILERS, reconciliationRows } from './discrepancy-view.rules';

/** What a redirect's ?msg= may say; anything else shows nothing. */
const FLASH: Record<string, string> = {
  drafted: '预警草案已提交,等待指挥部审批。',
  adjust: '级别调整已提交,等待审批。',
  extend: '延长申请已提交,等待审批。',
  lift: '解除申请已提交,等待审批。',
  cancel: '撤销申请已提交,等待审批。',
  approve: '已批准:指令正在生成并发送。',
  reject: '已退回。',
  requeued: '已重新排队发送。',
  reminded: '提醒已排队发送给该企业。',
  'followed-up': '跟进情况已记录。',
  'plan-drawn': '现场检查名单已抽取。',
  reconciliation: '监测核查已完成,结果见「监测核查」。',
};

const ORDERS_SHOWN = 500;
/** A red warning's timeline holds every delivery: the detail shows the first page, 更多 pages on. */
const TIMELINE_SHOWN = TIMELINE_DEFAULT_LIMIT;
const DAY_MS = 24 * 3600_000;

type ActionForm = 'adjust' | 'extend' | 'lift' | 'cancel' | 'approve' | 'reject' | 'reconciliation';

/** Approving this warning's pending change needs a written override reason (the rule approval applies). */
const needsOverride = (alert: AlertView): boolean =>
  alert.pendingChange !== null && liftOverrideError(alert.pendingChange, undefined) !== null;

@ConsolePages()
@Controller()
export class AlertPagesController {
  constructor(
    private readonly alerts: AlertCommandsService,
    private readonly views: AlertViewsService,
    private readonly previews: AlertPreviewService,
    private readonly assessments: AssessmentService,
    private readonly orders: OrdersService,
    private readonly timeline: TimelineService,
    private readonly consultations: ConsultationsService,
    private readonly regions: RegionsService,
    private readonly rulesets: RulesetsService,
    private readonly outbox: OutboxService,
    private readonly parties: PartyViewsService,
    private readonly countyProgress: CountyProgressService,
    private readonly deadlines: DeadlinesService,
    private readonly followUps: FollowUpsService,
    private readonly clock: Clock,
    private readonly inspectionPlans: InspectionPlansService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Get('alerts')
  @SignedIn()
  @OpenToCounties()
  @Render('pages/alerts')
  async list(@Query('status') status?: string): Promise<object> {
    const alerts = await this.views.list(status || undefined);
    return { title: '预警', alerts, status: status ?? '' };
  }

  @Get('approvals')
  @Roles('COMMANDER')
  @Render('pages/approvals')
  async approvals(@CurrentUser() user: AuthUser): Promise<object> {
    const pending = (await this.views.list()).filter((a) => a.pendingChange !== null);
    const withConsultations = await Promise.all(
      pending.map(async (a) => ({
        alert: a,
        consultation: a.pendingChange?.consultationId
          ? await this.consultations.get(a.pendingChange.consultationId)
          : null,
        preview: await this.previews.preview(a.id),
        // What this commander's approval would be flagged for (two-person rule), said before they approve.
        concern: await this.views.approvalConcern(a.id, user.id),
        ownProposal: a.pendingChange?.proposedBy === user.username,
        needsOverride: needsOverride(a),
      })),
    );
    // Campaign records (issue 18) awaiting a decision: decided on their record page, listed here so a commander finds them.
    const campaigns = (await this.views.list(undefined, 'CAMPAIGN'))
      .filter((a) => a.pendingChange !== null)
      .map((a) => ({
        alert: a,
        name: a.campaign?.name ?? a.levelName,
        kindName: a.campaign?.kindName ?? '',
        changeName: KIND_NAMES[a.pendingChange!.kind],
        period: campaignPeriodText(a),
        ownProposal: a.pendingChange?.proposedBy === user.username,
      }));
    return { title: '待审批', items: withConsultations, campaigns };
  }

  @Get('alerts/new')
  @Roles('DUTY_OFFICER')
  async newDraft(
    @Res() res: Response,
    @Query('consultationId') consultationId?: string,
    @Query('level') level?: string,
  ): Promise<void> {
    const values: FormBody = {};
    if (consultationId) {
      const c = await this.consultations.get(consultationId);
      // One level per draft: the asked one (起草X色预警 on the consultation page), else the highest.
      const prefill = draftPrefill(c.recommendations, level);
      values.consultationId = c.id;
      if (prefill) values.level = prefill.level;
      values.countyCodes = prefill?.countyCodes ?? [];
      values.reason = c.opinion;
      if (prefill?.episodeStart)
        values.effectiveAt = episodeStartInput(prefill.episodeStart, this.clock.now());
    }
    const tomorrow = new Date(this.clock.now().getTime() + DAY_MS);
    values.effectiveAt ??= `${shanghaiLocalInput(tomorrow).slice(0, 10)}T00:00`;
    await this.renderDraftForm(res, 200, values);
  }

  /** 试算 before submitting: the draft form again, with what approving it would produce. Writes nothing. */
  @Post('alerts/preview')
  @Roles('DUTY_OFFICER')
  async previewDraft(@Body() body: FormBody, @Res() res: Response): Promise<void> {
    try {
      const level = one(body, 'level') ?? '';
      const effectiveAt = new Date(shanghaiIso(one(body, 'effectiveAt')) ?? '');
      const counties = (await this.regions.listCounties()).map((c) => c.code);
      const countyCodes = one(body, 'wholeCity') ? counties : many(body, 'countyCodes');
      const errors = [
        ...(!(['BLUE', 'YELLOW', 'ORANGE', 'RED'] as string[]).includes(level)
          ? [{ field: 'level', message: '请选择预警级别' }]
          : []),
        ...(countyCodes.length === 0 || countyCodes.some((c) => !counties.includes(c))
          ? [{ field: 'countyCodes', message: '请选择区县' }]
          : []),
        ...(Number.isNaN(effectiveAt.getTime()) ? [{ field: 'effectiveAt', message: '请填写生效时间' }] : []),
      ];
      if (errors.length) throw DomainError.validation(errors);
      const consultationId = one(body, 'consultationId');
      const ruleset = consultationId
        ? await this.rulesets.get((await this.consultations.get(consultationId)).rulesetId)
        : await this.rulesets.inEffectOn(shanghaiDate(effectiveAt));
      const preview = await this.previews.previewDraft({
        level: level as WarningLevel,
        countyCodes,
        effectiveAt,
        rulesetId: ruleset.id,
      });
      await this.renderDraftForm(res, 200, body, undefined, preview);
    } catch (e) {
      const errors = formErrors(e);
      await this.renderDraftForm(res, errors.status, body, errors);
    }
  }

  @Post('alerts')
  @Roles('DUTY_OFFICER')
  async draft(@Body() body: FormBody, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    const plain = {
      level: one(body, 'level') ?? '',
      countyCodes: many(body, 'countyCodes'),
      ...(one(body, 'wholeCity') ? { wholeCity: true } : {}),
      effectiveAt: shanghaiIso(one(body, 'effectiveAt')) ?? '',
      ...(one(body, 'expectedEndAt') ? { expectedEndAt: shanghaiIso(one(body, 'expectedEndAt')) } : {}),
      ...(one(body, 'reason') ? { reason: one(body, 'reason') } : {}),
      ...(one(body, 'consultationId') ? { consultationId: one(body, 'consultationId') } : {}),
    };
    try {
      const alert = await this.alerts.draft(validated(CreateAlertDto, plain), actor);
      res.redirect(303, `/alerts/${alert.id}?msg=drafted`);
    } catch (e) {
      const errors = formErrors(e);
      await this.renderDraftForm(res, errors.status, body, errors);
    }
  }

  /** 总结评估: response rates and timeliness, silent enterprises, failed deliveries, achieved reduction. */
  @Get('alerts/:id/assessment')
  @SignedIn()
  @Render('pages/assessment')
  async assessment(@Param('id') id: string): Promise<object> {
    const a = await this.assessments.assess(id, { listLimit: JSON_LIST_LIMIT });
    const progress = await this.countyProgress.forAlerts([id]);
    return {
      title: `总结评估 ${a.alert.code}`,
      a,
      // How many of a longer list the page shows; nothing to say when it shows them all.
      silentShown: a.neverRespondedTotal > a.neverResponded.length ? a.neverResponded.length : null,
      acknowledgementsShown:
        a.acknowledgementsTotal > a.acknowledgements.length ? a.acknowledgements.length : null,
      countyMap: countyMapView(this.regions.countyMap(), warningCounties(a.alert), progress),
      reduction: a.reduction.levels.map((l) => ({ ...l, bars: adequacyBars(l.pollutants) })),
      followUpKinds: FOLLOW_UP_KINDS.map((k) => ({
        name: FOLLOW_UP_KIND_NAMES[k],
        count: a.followUps.byKind[k],
      })),
    };
  }

  /** The whole timeline a page at a time (the detail shows the first), 更多 continuing after the last event. */
  @Get('alerts/:id/timeline')
  @SignedIn()
  @Render('pages/alert-timeline')
  async timelinePage(@Param('id') id: string, @Query('after') after?: string): Promise<object> {
    const [alert, page] = await Promise.all([
      this.views.get(id),
      this.timeline.page(id, { after: typeof after === 'string' ? after : undefined, limit: TIMELINE_SHOWN }),
    ]);
    return {
      title: `全过程记录 ${alert.code}`,
      alert,
      timeline: page.items,
      total: page.total,
      moreHref: page.nextAfter ? `/alerts/${id}/timeline?after=${encodeURIComponent(page.nextAfter)}` : null,
    };
  }

  @Get('alerts/:id')
  @SignedIn()
  @OpenToCounties()
  async detail(
    @Param('id') id: string,
    @Query() query: Record<string, string>,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderDetail(res, id, query, 200);
  }

  /** 立即提醒: one reminder now to an enterprise that has not answered (audited), back to the warning. */
  @Post('alerts/:id/orders/:orderId/remind')
  @Roles('DUTY_OFFICER')
  async remind(
    @Param('id') id: string,
    @Param('orderId') orderId: string,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.deadlines.remindNow(orderId, actor);
    res.redirect(303, `/alerts/${id}?msg=reminded`);
  }

  /** 重发失败消息: every FAILED message of the warning back in the queue, in one action. */
  @Post('alerts/:id/messages/requeue-failed')
  @Roles('DUTY_OFFICER')
  async requeueFailed(
    @Param('id') id: string,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const { requeued } = await this.outbox.requeueFailedForAlert(id, actor);
    res.redirect(303, `/alerts/${id}?msg=requeued-failed&n=${requeued}`);
  }

  @Post('alerts/:id/:action')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  async act(
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const req = res.req as AuthedRequest;
    try {
      await this.perform(id, action, body, actor, req);
      res.redirect(303, `/alerts/${id}?msg=${action}${action === 'reconciliation' ? '#reconciliation' : ''}`);
    } catch (e) {
      const errors = formErrors(e);
      await this.renderDetail(res, id, query, errors.status, {
        form: action,
        errors,
        values: body,
      });
    }
  }

  /** One thin dispatch per form: the role each action needs is the API's. */
  private async perform(
    id: string,
    action: string,
    body: FormBody,
    actor: Actor,
    req: AuthedRequest,
  ): Promise<void> {
    const needs = (role: 'DUTY_OFFICER' | 'COMMANDER') => {
      if (!req.user?.roles.includes(role)) throw new DomainError('FORBIDDEN', '当前角色无权执行此操作');
    };
    const at = (name: string) => shanghaiIso(one(body, name)) ?? '';
    switch (action as ActionForm) {
      case 'adjust':
        needs('DUTY_OFFICER');
        await this.alerts.adjust(
          id,
          validated(AdjustAlertDto, {
            level: one(body, 'level') ?? '',
            effectiveAt: at('effectiveAt'),
            reason: one(body, 'reason') ?? '',
          }),
          actor,
        );
        return;
      case 'extend':
        needs('DUTY_OFFICER');
        await this.alerts.extend(
          id,
          validated(ExtendAlertDto, {
            expectedEndAt: at('expectedEndAt'),
            ...(one(body, 'reason') ? { reason: one(body, 'reason') } : {}),
          }),
          actor,
        );
        return;
      case 'lift':
        needs('DUTY_OFFICER');
        await this.alerts.lift(
          id,
          validated(LiftAlertDto, { effectiveAt: at('effectiveAt'), reason: one(body, 'reason') ?? '' }),
          actor,
        );
        return;
      case 'cancel': {
        needs('DUTY_OFFICER');
        const reason = one(body, 'reason');
        if (!reason) throw DomainError.validation([{ field: 'reason', message: '请填写撤销理由' }]);
        await this.alerts.cancel(id, reason, actor);
        return;
      }
      case 'approve': {
        needs('COMMANDER');
        // The API's checks (lengths); the form names the comment `comment`.
        const decision = validated(ApproveDto, {
          ...(one(body, 'comment') ? { reason: one(body, 'comment') } : {}),
          ...(one(body, 'overrideReason') ? { overrideReason: one(body, 'overrideReason') } : {}),
        });
        await this.alerts.approve(
          id,
          { comment: decision.reason, overrideReason: decision.overrideReason },
          actor,
        );
        return;
      }
      case 'reject': {
        needs('COMMANDER');
        const reason = one(body, 'reason');
        if (!reason) throw DomainError.validation([{ field: 'reason', message: '请填写退回理由' }]);
        await this.alerts.reject(id, reason, actor);
        return;
      }
      case 'reconciliation':
        // 立即核查: the route's roles are the API's (duty officers and commanders); audited by the service.
        await this.reconciliation.reconcile(id, actor);
        return;
      default:
        throw DomainError.notFound('操作');
    }
  }

  private async renderDraftForm(
    res: Response,
    status: number,
    values: FormBody,
    errors?: ReturnType<typeof formErrors>,
    preview?: AlertPreviewDto,
  ): Promise<void> {
    const counties = await this.regions.listCounties();
    const chosen = many(values, 'countyCodes');
    const consultationId = one(values, 'consultationId');
    const consultation = consultationId ? await this.draftConsultation(consultationId) : null;
    const effectiveAt = new Date(shanghaiIso(one(values, 'effectiveAt')) ?? '');
    const now = this.clock.now();
    // The lead time of the ruleset the draft will be judged under (the consultation's, else the one in effect).
    const ruleset = consultation
      ? await this.rulesets.get(consultation.rulesetId)
      : await this.rulesets
          .inEffectOn(shanghaiDate(Number.isNaN(effectiveAt.getTime()) ? now : effectiveAt))
          .catch(() => null);
    const leadTime = ruleset
      ? {
          rulesetId: ruleset.id,
          hours: ruleset.definition.leadTimeHours,
          short: Number.isNaN(effectiveAt.getTime())
            ? null
            : leadTimeShort(effectiveAt, now, ruleset.definition.leadTimeHours),
        }
      : null;
    res.status(status).render('pages/alert-form', {
      leadTime,
      title: '起草预警',
      values,
      errors,
      counties: counties.map((c) => ({ ...c, checked: chosen.includes(c.code) })),
      // The levels of the ruleset the draft is judged under: no 蓝色 under the three-level standards.
      levels: ruleset?.levels ?? WARNING_LEVELS,
      preview,
      // The recommended counties this draft leaves out, with their level: nothing is dropped without a word.
      coverage: consultation
        ? draftCoverage(
            consultation.recommendations,
            {
              level: one(values, 'level'),
              countyCodes: chosen,
              wholeCity: Boolean(one(values, 'wholeCity')),
            },
            Object.fromEntries(counties.map((c) => [c.code, c.name])),
          )
        : null,
    });
  }

  /** The draft's consultation, or null when a re-rendered form names one that does not exist (its error says so). */
  private async draftConsultation(id: string): Promise<ConsultationView | null> {
    try {
      return await this.consultations.get(id);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  private async renderDetail(
    res: Response,
    id: string,
    query: Record<string, string>,
    status: number,
    failed?: { form: string; errors: ReturnType<typeof formErrors>; values: FormBody },
  ): Promise<void> {
    const alert = await this.views.get(id);
    const filters = {
      state: (ORDER_STATES as readonly string[]).includes(query.state) ? query.state : undefined,
      countyCode: query.countyCode || undefined,
      grade: (GRADES as readonly string[]).includes(query.grade) ? query.grade : undefined,
    };
    const user = (res.req as AuthedRequest).user!;
    const isCommander = user.roles.includes('COMMANDER');
    // A campaign (issue 18) shows its orders here; its changes are proposed and decided on its record page.
    const campaign = alert.kind === 'CAMPAIGN';
    // A county officer sees the warning (city-wide) with their own counties' orders; the city's timeline, notices to
    // parties and the approval preview name other counties' enterprises and stay with the city's roles.
    const scope = countyScopeOf(user);
    const cityWide = 'all' in scope;
    const [
      orders,
      timeline,
      counties,
      preview,
      concern,
      failedMessages,
      parties,
      countyProgress,
      nonResponders,
    ] = await Promise.all([
      this.orders.listForAlert(id, filters, scope),
      cityWide ? this.timeline.page(id, { limit: TIMELINE_SHOWN }) : { items: [], nextAfter: null, total: 0 },
      this.regions.listCounties(),
      cityWide && alert.pendingChange && !campaign ? this.previews.preview(id) : null,
      isCommander && alert.pendingChange ? this.views.approvalConcern(id, user.id) : null,
      this.outbox.countFailed(id),
      cityWide ? this.parties.listForAlert(id) : [],
      this.countyProgress.forAlerts([id], scope),
      this.orders.nonResponders(id, scope),
    ]);
    const names = Object.fromEntries(counties.map((c) => [c.code, c.name]));
    const latestFollowUps = await this.followUps.latestForOrders(nonResponders.map((n) => n.orderId));
    // A county officer sees the picks of their counties only, and the inspection links where they may record.
    const inspectionPlan = await this.inspectionPlans.latest(id, undefined, scope);
    const inspector = inspectorOf(user);
    // 监测核查: the latest run's figures in the caller's counties (none for a warning outside them).
    const reconciliation = alert.countyCodes.some((c) => inCountyScope(scope, c))
      ? await this.reconciliation.summary(id, scope)
      : null;
    // The proposer may neither approve nor reject their own change (two-person rule): no buttons, a note.
    const ownProposal = alert.pendingChange?.proposedBy === user.username;
    res.status(status).render('pages/alert', {
      title: `预警 ${alert.code}`,
      alert,
      preview,
      countyNames: alert.countyCodes.map((c) => names[c] ?? c).join('、'),
      countyMap: countyMapView(this.regions.countyMap(), warningCounties(alert), countyProgress),
      nonResponders: nonResponders.map((n) => {
        const latest = latestFollowUps.get(n.orderId);
        return {
          ...n,
          countyName: names[n.countyCode] ?? n.countyCode,
          latestFollowUp: latest ? followUpLine(latest) : null,
          canFollowUp: followUpRefusal(followUpAuthorOf(user), n) === null,
        };
      }),
      progress: orderProgress(alert.orderCounts),
      orders: orders.slice(0, ORDERS_SHOWN).map((o) => ({
        ...o,
        countyName: names[o.countyCode] ?? o.countyCode,
        canInspect: inspectionRefusal(inspector, o) === null,
      })),
      ordersTotal: orders.length,
      parties: partyGroups(
        parties.map((p) => ({
          ...p,
          kindName: PARTY_KIND_NAMES[p.partyKind],
          stateName: PARTY_STATE_NAMES[p.state],
        })),
        (p) => PARTY_NOTICE_KIND_NAMES[p.noticeKind],
      ),
      ordersTruncated: orders.length > ORDERS_SHOWN,
      cityWide,
      timeline: timeline.items,
      timelineMore: timeline.nextAfter ? timeline.total - timeline.items.length : 0,
      timelineMoreHref: timeline.nextAfter
        ? `/alerts/${id}/timeline?after=${encodeURIComponent(timeline.nextAfter)}`
        : null,
      filters: {
        ...filters,
        states: ORDER_STATES,
        grades: GRADES,
        counties: counties.filter((c) => alert.countyCodes.includes(c.code) && inCountyScope(scope, c.code)),
      },
      flash:
        query.msg === 'requeued-failed' && /^\d+$/.test(query.n ?? '')
          ? `已将 ${query.n} 条发送失败的消息重新排队发送。`
          : query.msg === 'lift' && alert.pendingChange?.liftCheck
            ? `${FLASH.lift}${alert.pendingChange.liftCheck.ok ? '会商预报支持解除。' : '会商预报不支持解除,指挥部批准时须填写书面理由。'}`
            : (FLASH[query.msg ?? ''] ?? null),
      failedMessages,
      showPending: alert.pendingChange !== null && !campaign,
      canPropose:
        !campaign &&
        user.roles.includes('DUTY_OFFICER') &&
        ['ISSUED', 'ACTIVE'].includes(alert.status) &&
        !alert.pendingChange,
      canDecide: isCommander && alert.pendingChange !== null && !ownProposal && !campaign,
      needsOverride: needsOverride(alert),
      ownProposal: isCommander && ownProposal,
      concern,
      canRequeue: user.roles.includes('DUTY_OFFICER'),
      inspectionPlan,
      reconciliation: reconciliation && {
        ...reconciliation,
        duration: durationText(reconciliation.durationMs),
        ...reconciliationRows(reconciliation),
      },
      canReconcile: user.roles.some((r) => RECONCILERS.includes(r)),
      canOpenDiscrepancies: user.roles.some((r) => DISCREPANCY_READERS.includes(r)),
      canDrawPlan: user.roles.some((r) => PLAN_DRAWERS.includes(r)),
      canExportEvidence: user.roles.includes('AUDITOR') || user.roles.includes('ADMIN'),
      // Adjusting stays within the warning's own ruleset.
      levels: (await this.rulesets.get(alert.rulesetId)).levels,
      failed: failed ? { [failed.form]: failed.errors } : {},
      actionError: failed ? failed.errors.message : null,
      values: failed?.values ?? {},
    });
  }
}
