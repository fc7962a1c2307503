import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CallerScope, OpenToCounties, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { ApiErrors } from '../common/http/api-docs.decorators';
import { type DiscrepancyView, DiscrepanciesService } from './discrepancies.service';
import {
  DiscrepancyDto,
  DiscrepancyPageDto,
  DiscrepancyQueryDto,
  ReconciliationDto,
  ReviewDiscrepancyDto,
} from './dto/discrepancy.dto';
import { ReconciliationService, type RunView } from './reconciliation.service';

const flag = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');

/** 监测核查: the meters against the orders, per warning and per county, and the officers' reviews. */
@ApiTags('telemetry')
@Controller('api')
export class ReconciliationController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly discrepancies: DiscrepanciesService,
  ) {}

  /** Reconciles the warning now (the hourly job does it anyway); audited as `telemetry.reconciled`. */
  @Post('alerts/:id/reconciliation')
  @HttpCode(200)
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @ApiOkResponse({ type: ReconciliationDto })
  @ApiOperation({ summary: '立即核对预警期间的监测数据与减排指令' })
  @ApiErrors(401, 403, 404)
  async run(@Param('id') id: string, @RequestActor() actor: Actor): Promise<RunView> {
    await this.reconciliation.reconcile(id, actor);
    return this.reconciliation.summary(id);
  }

  /** The warning's latest run: figures in total and per county (a county officer's counties only). */
  @Get('alerts/:id/reconciliation')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: ReconciliationDto })
  @ApiOperation({ summary: '预警的监测核查结果汇总' })
  @ApiErrors(401, 404)
  summary(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<RunView> {
    return this.reconciliation.summary(id, scope);
  }

  /** The warning's discrepancies, those against the enterprise's own report first, then the newest. */
  @Get('alerts/:id/discrepancies')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: DiscrepancyPageDto })
  @ApiOperation({ summary: '预警期间的监测数据异常' })
  @ApiErrors(401, 404, 422)
  async forAlert(
    @Param('id') id: string,
    @Query() query: DiscrepancyQueryDto,
    @CallerScope() scope: CountyScope,
  ): ReturnType<DiscrepanciesService['page']> {
    await this.reconciliation.summary(id, scope);
    return this.discrepancies.page({ ...this.filters(query), alert: id }, scope);
  }

  /** The discrepancy queue across warnings, by county, kind, report and review. */
  @Get('discrepancies')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: DiscrepancyPageDto })
  @ApiOperation({ summary: '监测数据异常队列' })
  @ApiErrors(401, 422)
  list(
    @Query() query: DiscrepancyQueryDto,
    @CallerScope() scope: CountyScope,
  ): ReturnType<DiscrepanciesService['page']> {
    return this.discrepancies.page(this.filters(query), scope);
  }

  @Get('discrepancies/:id')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: DiscrepancyDto })
  @ApiOperation({ summary: '一条监测数据异常' })
  @ApiErrors(401, 404)
  get(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<DiscrepancyView> {
    return this.discrepancies.get(id, scope);
  }

  /** An officer's review: confirmed, or explained with the reason. Once; audited. */
  @Post('discrepancies/:id/review')
  @HttpCode(200)
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  @ApiOkResponse({ type: DiscrepancyDto })
  @ApiOperation({ summary: '核实一条监测数据异常' })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  review(
    @Param('id') id: string,
    @Body() body: ReviewDiscrepancyDto,
    @CallerScope() scope: CountyScope,
    @RequestActor() actor: Actor,
  ): Promise<DiscrepancyView> {
    return this.discrepancies.review(id, body, scope, actor);
  }

  private filters(q: DiscrepancyQueryDto) {
    return {
      alert: q.alert,
      county: q.county,
      kind: q.kind,
      flagged: flag(q.flagged),
      reviewed: flag(q.reviewed),
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
