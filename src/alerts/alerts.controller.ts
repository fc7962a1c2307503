import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, OpenToCounties, SignedIn } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { AlertPreviewService } from './alert-preview.service';
import { ALERT_STATUSES } from './alert.rules';
import { AlertCommandsService } from './alert-commands.service';
import { AlertViewsService, type AlertView } from './alert-views.service';
import {
  AdjustAlertDto,
  ApproveDto,
  CreateAlertDto,
  ExtendAlertDto,
  LiftAlertDto,
  ReasonDto,
} from './dto/alert.dto';
import { AlertPreviewDto } from './dto/alert-preview.dto';
import { AlertViewDto } from './dto/alert-view.dto';
import { ApiErrors } from '../common/http/api-docs.decorators';

/** Warnings: duty officers propose, a different commander approves; every change is a new revision. */
@ApiTags('alerts')
@Controller('api/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertCommandsService,
    private readonly views: AlertViewsService,
    private readonly previews: AlertPreviewService,
  ) {}

  @Get()
  @SignedIn()
  @OpenToCounties()
  @ApiQuery({ name: 'status', required: false, enum: ALERT_STATUSES })
  @ApiOperation({ summary: '预警列表(可按状态筛选)' })
  @ApiOkResponse({ type: [AlertViewDto] })
  @ApiErrors(401, 422)
  list(@Query('status') status?: string): Promise<AlertView[]> {
    if (status && !(ALERT_STATUSES as readonly string[]).includes(status.toUpperCase())) {
      throw DomainError.validation([
        { field: 'status', message: `状态应为 ${ALERT_STATUSES.join('、')} 之一` },
      ]);
    }
    return this.views.list(status);
  }

  @Get(':id')
  @SignedIn()
  @ApiOperation({ summary: '预警详情' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(401, 404)
  @OpenToCounties()
  get(@Param('id') id: string): Promise<AlertView> {
    return this.views.get(id);
  }

  /** Dry run of approving the pending change (or the latest revision): who gets what, problems, reduction vs required. */
  @Get(':id/preview')
  @SignedIn()
  @ApiOkResponse({ type: AlertPreviewDto })
  @ApiOperation({ summary: '预览审批结果:送达对象、问题与削减比例' })
  @ApiErrors(401, 404, 409)
  preview(@Param('id') id: string): Promise<AlertPreviewDto> {
    return this.previews.preview(id);
  }

  /** A draft awaiting approval (its first change, ISSUE). */
  @Post()
  @Roles('DUTY_OFFICER')
  @ApiOperation({ summary: '起草预警(待审批)' })
  @ApiCreatedResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 409, 422)
  draft(@Body() body: CreateAlertDto, @RequestActor() actor: Actor): Promise<AlertView> {
    return this.alerts.draft(body, actor);
  }

  /** A lift whose forecast check is not ok needs `overrideReason` (422 naming it otherwise). */
  @Post(':id/approve')
  @Roles('COMMANDER')
  @HttpCode(200)
  @ApiOperation({ summary: '审批通过待定变更' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  approve(
    @Param('id') id: string,
    @Body() body: ApproveDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    return this.alerts.approve(id, { comment: body.reason, overrideReason: body.overrideReason }, actor);
  }

  @Post(':id/reject')
  @Roles('COMMANDER')
  @HttpCode(200)
  @ApiOperation({ summary: '驳回待定变更' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  reject(@Param('id') id: string, @Body() body: ReasonDto, @RequestActor() actor: Actor): Promise<AlertView> {
    return this.alerts.reject(id, body.reason, actor);
  }

  /** Upgrade or downgrade, from a given time. */
  @Post(':id/adjust')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议升级或降级' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  adjust(
    @Param('id') id: string,
    @Body() body: AdjustAlertDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    return this.alerts.adjust(id, body, actor);
  }

  @Post(':id/extend')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议延长预警' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  extend(
    @Param('id') id: string,
    @Body() body: ExtendAlertDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    return this.alerts.extend(id, body, actor);
  }

  /** Proposes lifting; the answer's pendingChange.liftCheck says whether the forecast supports it. */
  @Post(':id/lift')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议解除预警' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  lift(
    @Param('id') id: string,
    @Body() body: LiftAlertDto,
    @RequestActor() actor: Actor,
  ): Promise<AlertView> {
    return this.alerts.lift(id, body, actor);
  }

  /** Withdraws an issued warning before it takes effect. */
  @Post(':id/cancel')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '提议撤销尚未生效的预警' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  cancel(@Param('id') id: string, @Body() body: ReasonDto, @RequestActor() actor: Actor): Promise<AlertView> {
    return this.alerts.cancel(id, body.reason, actor);
  }
}
