import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AlertCommandsService } from '../alerts/alert-commands.service';
import { type AlertView, AlertViewsService } from '../alerts/alert-views.service';
import { KIND_NAMES } from '../alerts/alert.rules';
import { ApproveDto, ExtendAlertDto, LiftAlertDto, ReasonDto } from '../alerts/dto/alert.dto';
import type { Actor } from '../audit/actor';
import { type AuthedRequest, OpenToCounties, RequestActor, Roles } from '../auth/auth.decorators';
import { countyScopeOf } from '../auth/county-scope';
import type { Role } from '../auth/roles';
import { campaignRulesOf } from '../campaigns/campaign.rules';
import { CreateCampaignDto } from '../campaigns/dto/campaign.dto';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { shanghaiDate, shanghaiIso, shanghaiLocalInput } from '../common/time';
import { ConsultationsService } from '../consultations/consultations.service';
import { RegionsService } from '../regions/regions.service';
import { RulesetsService } from '../rulesets/rulesets.service';
import {
  CAMPAIGN_KIND_OPTIONS,
  campaignDraftPlain,
  campaignRecordFacts,
  draftKind,
  labelledErrors,
  seasonEndInput,
} from './campaign-record-view.rules';
import { CAMPAIGN_READERS } from './campaign-view.rules';
import { ConsolePages } from './console-page.decorator';
import { type FormBody, formErrors, many, one, validated } from './console-forms';
import { INDUSTRY_NAMES } from './console-helpers';

const DAY_MS = 24 * 3600_000;
const industryName = (code: string) => INDUSTRY_NAMES[code] ?? code;

/** What a redirect's ?msg= may say on the record page; anything else shows nothing. */
const FLASH: Record<string, string> = {
  drafted: '季节性管控草案已提交,等待指挥部审批(须由起草人以外的指挥部成员审批)。',
  approve: '已批准:管控通知正在生成并发送给各企业。',
  reject: '已驳回。',
  lift: '结束管控申请已提交,等待审批。',
  extend: '延长申请已提交,等待审批。',
  cancel: '撤销申请已提交,等待审批。',
};

/** Each form's action and the role it needs: the API's (`POST /api/campaigns/:id/<action>`). */
const ACTION_ROLES: Record<string, Role> = {
  approve: 'COMMANDER',
  reject: 'COMMANDER',
  lift: 'DUTY_OFFICER',
  extend: 'DUTY_OFFICER',
  cancel: 'DUTY_OFFICER',
};

/** The record page's form fields in words (the lift's time is the campaign's end). */
const LIFT_LABELS: Record<string, string> = {
  effectiveAt: '结束时间',
  expectedEndAt: '新的结束时间',
  reason: '理由',
};

type Failed = { form: string; errors: ReturnType<typeof formErrors>; values: FormBody };

/**
 * The campaign records (issue 18) in the console: the draft form (duty officers), each record's page (every staff
 * role reads it) with the two-person approval and the end of a campaign, through the same services as
 * `/api/campaigns`. Its orders are listed on the warning page's order list, which serves any alert.
 */
@ConsolePages()
@Controller('campaigns')
export class CampaignRecordPagesController {
  constructor(
    private readonly commands: AlertCommandsService,
    private readonly views: AlertViewsService,
    private readonly regions: RegionsService,
    private readonly rulesets: RulesetsService,
    private readonly consultations: ConsultationsService,
    private readonly clock: Clock,
  ) {}

  @Get('new')
  @Roles('DUTY_OFFICER')
  async newDraft(@Res() res: Response, @Query('kind') kind?: string): Promise<void> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const rules = campaignRulesOf((await this.rulesets.inEffectOn(today)).definition);
    const tomorrow = new Date(now.getTime() + DAY_MS);
    await this.renderForm(res, 200, {
      kind: draftKind({ kind }),
      effectiveAt: `${shanghaiLocalInput(tomorrow).slice(0, 10)}T00:00`,
      expectedEndAt: seasonEndInput(rules.AUTUMN_WINTER.season, today),
      day: shanghaiDate(tomorrow),
    });
  }

  /** The draft, by `AlertCommandsService.draftCampaign` as the API; its 422 fields are shown beside the inputs. */
  @Post()
  @Roles('DUTY_OFFICER')
  async draft(@Body() body: FormBody, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    try {
      const campaign = await this.commands.draftCampaign(
        validated(CreateCampaignDto, campaignDraftPlain(body)),
        actor,
      );
      res.redirect(303, `/campaigns/records/${campaign.id}?msg=drafted`);
    } catch (e) {
      const errors = formErrors(e);
      await this.renderForm(res, errors.status, body, errors);
    }
  }

  @Get('records/:id')
  @Roles(...CAMPAIGN_READERS)
  @OpenToCounties()
  async record(@Param('id') id: string, @Query('msg') msg: string, @Res() res: Response): Promise<void> {
    await this.renderRecord(res, id, 200, msg);
  }

  /** 审批通过 / 驳回 (commanders), 结束管控 / 延长 / 撤销 (duty officers): the API's roles, then its service. */
  @Post(':id/:action')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  async act(
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const needs = ACTION_ROLES[action];
    if (!needs) throw DomainError.notFound('操作');
    if (!(res.req as AuthedRequest).user?.roles.includes(needs))
      throw new DomainError('FORBIDDEN', '当前角色无权执行此操作');
    await this.campaign(id);
    try {
      await this.perform(id, action, body, actor);
      res.redirect(303, `/campaigns/records/${id}?msg=${action}`);
    } catch (e) {
      const errors = formErrors(e);
      await this.renderRecord(res, id, errors.status, undefined, { form: action, errors, values: body });
    }
  }

  private async perform(id: string, action: string, body: FormBody, actor: Actor): Promise<void> {
    const reason = one(body, 'reason');
    switch (action) {
      case 'approve': {
        const decision = validated(ApproveDto, reason ? { reason } : {});
        await this.commands.approve(id, { comment: decision.reason }, actor);
        return;
      }
      case 'reject':
        if (!reason) throw DomainError.validation([{ field: 'reason', message: '请填写驳回理由' }]);
        await this.commands.reject(id, validated(ReasonDto, { reason }).reason, actor);
        return;
      case 'lift':
        await this.commands.lift(
          id,
          validated(LiftAlertDto, {
            effectiveAt: shanghaiIso(one(body, 'effectiveAt')) ?? '',
            reason: reason ?? '',
          }),
          actor,
        );
        return;
      case 'extend':
        await this.commands.extend(
          id,
          validated(ExtendAlertDto, {
            expectedEndAt: shanghaiIso(one(body, 'expectedEndAt')) ?? '',
            ...(reason ? { reason } : {}),
          }),
          actor,
        );
        return;
      case 'cancel':
        if (!reason) throw DomainError.validation([{ field: 'reason', message: '请填写撤销理由' }]);
        await this.commands.cancel(id, reason, actor);
        return;
    }
  }

  /** The record, or 404 when the id is no campaign's (a warning's id is not one). */
  private async campaign(id: string): Promise<AlertView> {
    const view = await this.views.get(id).catch((e: unknown) => {
      throw e instanceof DomainError && e.code === 'NOT_FOUND' ? DomainError.notFound('季节性管控') : e;
    });
    if (view.kind !== 'CAMPAIGN') throw DomainError.notFound('季节性管控');
    return view;
  }

  private async renderForm(
    res: Response,
    status: number,
    values: FormBody,
    errors?: ReturnType<typeof formErrors>,
  ): Promise<void> {
    const [counties, consultations] = await Promise.all([
      this.regions.listCounties(),
      this.consultations.list(20),
    ]);
    const chosen = many(values, 'countyCodes');
    const kind = draftKind(values);
    res.status(status).render('pages/campaign-form', {
      title: '起草季节性管控',
      values,
      errors,
      errorList: errors ? labelledErrors(errors.all) : [],
      kinds: CAMPAIGN_KIND_OPTIONS.map((k) => ({ ...k, checked: k.kind === kind })),
      counties: counties.map((c) => ({ ...c, checked: chosen.includes(c.code) })),
      consultations: consultations.map((c) => ({
        id: c.id,
        heldAt: c.heldAt,
        selected: c.id === one(values, 'consultationId'),
      })),
    });
  }

  private async renderRecord(
    res: Response,
    id: string,
    status: number,
    msg?: string,
    failed?: Failed,
  ): Promise<void> {
    const campaign = await this.campaign(id);
    const user = (res.req as AuthedRequest).user!;
    const isCommander = user.roles.includes('COMMANDER');
    const [counties, ruleset, concern] = await Promise.all([
      this.regions.listCounties(),
      this.rulesets.get(campaign.rulesetId),
      isCommander && campaign.pendingChange ? this.views.approvalConcern(id, user.id) : null,
    ]);
    const names = Object.fromEntries(counties.map((c) => [c.code, c.name]));
    const pending = campaign.pendingChange;
    // The proposer may neither approve nor reject their own change (two-person rule): no buttons, a note.
    const ownProposal = pending?.proposedBy === user.username;
    const inForce = ['ISSUED', 'ACTIVE'].includes(campaign.status);
    const canPropose = user.roles.includes('DUTY_OFFICER') && inForce && !pending;
    res.status(status).render('pages/campaign-record', {
      title: `季节性管控 ${campaign.code}`,
      campaign,
      facts: campaignRecordFacts(campaign, names, counties.length, industryName),
      ruleset: { id: ruleset.id, name: ruleset.name },
      pending: pending && { ...pending, kindName: KIND_NAMES[pending.kind] },
      canDecide: isCommander && pending !== null && !ownProposal,
      ownProposal: isCommander && ownProposal,
      concern,
      canLift: canPropose,
      canExtend: canPropose && campaign.campaign?.kind === 'AUTUMN_WINTER',
      canCancel: canPropose && campaign.status === 'ISSUED',
      // The order list and the timeline are the warning pages', which serve any alert; the timeline is city-wide.
      cityWide: 'all' in countyScopeOf(user),
      flash: FLASH[msg ?? ''] ?? null,
      // A campaign not yet in force can end no earlier than it starts.
      liftAt: shanghaiLocalInput(
        new Date(Math.max(this.clock.now().getTime(), campaign.effectiveAt.getTime())),
      ),
      failed: failed
        ? { [failed.form]: { ...failed.errors, list: labelledErrors(failed.errors.all, LIFT_LABELS) } }
        : {},
      actionError: failed ? failed.errors.message : null,
      values: failed?.values ?? {},
    });
  }
}
