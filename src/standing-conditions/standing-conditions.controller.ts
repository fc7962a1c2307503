import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CallerScope, OpenToCounties, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { ApiErrors } from '../common/http/api-docs.decorators';
import {
  StandingCheckRunDto,
  StandingConditionsDto,
  StandingConditionViewDto,
  StandingFindingPageDto,
  StandingFindingQueryDto,
} from './dto/standing-condition.dto';
import {
  type StandingCheckRun,
  type StandingConditionView,
  StandingConditionsService,
} from './standing-conditions.service';

/** 常态管控条件: an enterprise's standing limits (seed item 5) and what its CEMS readings show against them. */
@ApiTags('telemetry')
@Controller('api')
export class StandingConditionsController {
  constructor(private readonly conditions: StandingConditionsService) {}

  @Get('enterprises/:id/standing-conditions')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: [StandingConditionViewDto] })
  @ApiOperation({ summary: '企业的常态管控条件(排放浓度限值)' })
  @ApiErrors(401, 404)
  list(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<StandingConditionView[]> {
    return this.conditions.list(id, scope);
  }

  /** Replaces the enterprise's conditions (kept by name, those left out archived); audited. */
  @Put('enterprises/:id/standing-conditions')
  @Roles('ADMIN')
  @ApiOkResponse({ type: [StandingConditionViewDto] })
  @ApiOperation({ summary: '设置企业的常态管控条件' })
  @ApiErrors(400, 401, 403, 404, 422)
  replace(
    @Param('id') id: string,
    @Body() body: StandingConditionsDto,
    @RequestActor() actor: Actor,
  ): Promise<StandingConditionView[]> {
    return this.conditions.replace(id, body, actor);
  }

  /** The findings, newest first, within the caller's counties. */
  @Get('standing-condition-findings')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: StandingFindingPageDto })
  @ApiOperation({ summary: '常态管控条件的监测异常' })
  @ApiErrors(401, 422)
  findings(
    @Query() query: StandingFindingQueryDto,
    @CallerScope() scope: CountyScope,
  ): ReturnType<StandingConditionsService['findings']> {
    return this.conditions.findings(query, scope);
  }

  /** Checks every condition in force over the last 48 hours now (the hourly job does it anyway); audited. */
  @Post('standing-conditions/check')
  @HttpCode(200)
  @Roles('ADMIN', 'DUTY_OFFICER')
  @ApiOkResponse({ type: StandingCheckRunDto })
  @ApiOperation({ summary: '立即核对常态管控条件的在线监测数据' })
  @ApiErrors(401, 403)
  check(@RequestActor() actor: Actor): Promise<StandingCheckRun> {
    return this.conditions.checkAll(actor);
  }
}
