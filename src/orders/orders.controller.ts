import { isUuid } from '../common/ids';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CallerScope, OpenToCounties, SignedIn } from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { DomainError } from '../common/errors/domain-error';
import { OrderRow, OrdersService } from './orders.service';
import { TimelinePageDto, TimelineQueryDto } from '../audit/dto/timeline.dto';
import { TimelinePage, TimelineService } from '../audit/timeline.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('alerts')
@Controller('api/alerts')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly timeline: TimelineService,
  ) {}

  /**
   * The warning's events in order (drafts, decisions, revisions, orders, deliveries, answers, escalations), a
   * page at a time: `limit` (default 200, at most 1000) events after `after` (the previous page's `nextAfter`).
   */
  @Get(':id/timeline')
  @SignedIn()
  @ApiOkResponse({ type: TimelinePageDto })
  @ApiOperation({ summary: '预警的送达与回执时间线' })
  @ApiErrors(401, 404, 422)
  timelineOf(@Param('id') id: string, @Query() query: TimelineQueryDto): Promise<TimelinePage> {
    return this.timeline.page(id, query);
  }

  /** One row per enterprise: order state, delivery state, receivedAt, executedAt; `problem=NO_EMAIL|NO_PLAN` lists what needs a person. */
  @Get(':id/orders')
  @SignedIn()
  @OpenToCounties()
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'countyCode', required: false })
  @ApiQuery({ name: 'problem', required: false, enum: ['NO_EMAIL', 'NO_PLAN'] })
  @ApiQuery({ name: 'grade', required: false })
  @ApiOperation({ summary: '预警下发的减排指令' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404, 422)
  list(
    @Param('id') id: string,
    @Query('state') state?: string,
    @Query('countyCode') countyCode?: string,
    @Query('problem') problem?: string,
    @Query('grade') grade?: string,
    @CallerScope() scope?: CountyScope,
  ): Promise<OrderRow[]> {
    if (!isUuid(id)) throw DomainError.notFound('预警');
    return this.orders.listForAlert(id, { state, countyCode, problem, grade }, scope);
  }
}
