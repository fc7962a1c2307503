import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { AlertCommandsService } from '../alerts/alert-commands.service';
import { type AlertView, AlertViewsService } from '../alerts/alert-views.service';
import { ApproveDto, ExtendAlertDto, LiftAlertDto, ReasonDto } from '../alerts/dto/alert.dto';
import { AlertViewDto } from '../alerts/dto/alert-view.dto';
import { DomainError } from '../common/errors/domain-error';
import { CAMPAIGN_KINDS } from './campaign.rules';
import { CreateCampaignDto } from './dto/campaign.dto';
import { CallerScope, OpenToCounties, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { ApiErrors } from '../common/http/api-docs.decorators';
import { type CampaignPreview, CampaignPreviewService } from './campaign-preview.service';
import {
  CampaignPreviewDto,
  CampaignPreviewQueryDto,
  OzoneDaysDto,
  OzoneDaysQueryDto,
} from './dto/campaign-preview.dto';
import { type OzoneDays, OzoneDaysService } from './ozone-days.service';

/** 季节性差异化管控: what the ruleset's campaign rules give each enterprise (issue 18). */
@ApiTags('campaigns')
@Controller('api/campaigns')
export class CampaignsController {
  constructor(
    private readonly previews: CampaignPreviewService,
    private readonly ozone: OzoneDaysService,
    private readonly commands: AlertCommandsService,
    private readonly views: AlertViewsService,
  ) {}

  /**
   * Every enterprise of the counties (all when none are named) through the campaign's rules: counts by treatment and
   * county, and each enterprise with measures, its treatment and the reasons (grade, tags, 平川四县). Nothing written.
   */
  @Get('preview')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: CampaignPreviewDto })
  @ApiOperation({ summary: '预览季节性管控(错峰生产、臭氧污染应对)对各企业的要求' })
  @ApiErrors(401, 404, 422)
  preview(@Query() q: CampaignPreviewQueryDto, @CallerScope() scope: CountyScope): Promise<CampaignPreview> {
    return this.previews.preview(
      { kind: q.kind, countyCodes: q.counties, date: q.date, rulesetId: q.rulesetId },
      scope,
    );
  }

  /**
   * The ozone-response days of a consultation (the latest when none is named): each day of a responding ozone
   * episode with its counties (a county officer's only), in or out of the season, and the window.
   */
  @Get('ozone-days')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: OzoneDaysDto })
  @ApiOperation({ summary: '会商确定的臭氧污染应对日(夏季错时生产)' })
  @ApiErrors(401, 404, 422)
  ozoneDays(@Query() q: OzoneDaysQueryDto, @CallerScope() scope: CountyScope): Promise<OzoneDays> {
    return this.ozone.forConsultation(q.consultation, scope);
  }

  /** The campaign records (latest 200), of one kind when asked. */
  @Get()
  @SignedIn()
  @OpenToCounties()
  @ApiQuery({ name: 'kind', required: false, enum: CAMPAIGN_KINDS })
  @ApiOkResponse({ type: [AlertViewDto] })
  @ApiOperation({ summary: '季节性管控记录列表' })
  @ApiErrors(401, 422)
  async list(@Query('kind') kind?: string): Promise<AlertView[]> {
    if (kind && !(CAMPAIGN_KINDS as readonly string[]).includes(kind))
      throw DomainError.validation([
        { field: 'kind', message: `类型应为 ${CAMPAIGN_KINDS.join('、')} 之一` },
      ]);
    const all = await this.views.list(undefined, 'CAMPAIGN');
    return kind ? all.filter((a) => a.campaign?.kind === kind) : all;
  }

  /** A draft (staggered production for a period, or an ozone-response day) awaiting a second person's approval. */
  @Post()
  @Roles('DUTY_OFFICER')
  @ApiOperation({ summary: '起草季节性管控(待审批)' })
  @ApiCreatedResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 409, 422)
  draft(@Body() body: CreateCampaignDto, @RequestActor() actor: Actor): Promise<AlertView> {
    return this.commands.draftCampaign(body, actor);
  }

  @Get(':id')
  @SignedIn()
  @OpenToCounties()
  @ApiOperation({ summary: '季节性管控详情' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(401, 404)
  get(@Param('id') id: string): Promise<AlertView> {
    return this.campaign(id);
  }

  /** Two-person approval, as for warnings: a commander other than the proposer; its orders are written and mailed. */
  @Post(':id/approve')
  @Roles('COMMANDER')
  @HttpCode(200)
  @ApiOperation({ summary: '审批通过季节性管控的待定变更' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async approve(
    @Param('id') id: string,
    @Body() body: ApproveDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    await this.campaign(id);
    return this.commands.approve(id, { comment: body.reason }, actor);
  }

  @Post(':id/reject')
  @Roles('COMMANDER')
  @HttpCode(200)
  @ApiOperation({ summary: '驳回季节性管控的待定变更' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async reject(
    @Param('id') id: string,
    @Body() body: ReasonDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    await this.campaign(id);
    return this.commands.reject(id, body.reason, actor);
  }

  @Post(':id/extend')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议延长季节性管控' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async extend(
    @Param('id') id: string,
    @Body() body: ExtendAlertDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    await this.campaign(id);
    return this.commands.extend(id, body, actor);
  }

  /** Ends it early (its enterprises get an end notice); not tied to a forecast. */
  @Post(':id/lift')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议结束季节性管控' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async lift(
    @Param('id') id: string,
    @Body() body: LiftAlertDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    await this.campaign(id);
    return this.commands.lift(id, body, actor);
  }

  @Post(':id/cancel')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议撤销尚未生效的季节性管控' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async cancel(
    @Param('id') id: string,
    @Body() body: ReasonDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    await this.campaign(id);
    return this.commands.cancel(id, body.reason, actor);
  }

  /** The record, or 404 when the id is no campaign's (a warning's id is not one). */
  private async campaign(id: string): Promise<AlertView> {
    const view = await this.views.get(id);
    if (view.kind !== 'CAMPAIGN') throw DomainError.notFound('季节性管控');
    return view;
  }
}
