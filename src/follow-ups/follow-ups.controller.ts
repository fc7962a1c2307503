import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import {
  type AuthUser,
  CallerScope,
  CurrentUser,
  OpenToCounties,
  RequestActor,
  Roles,
  SignedIn,
} from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { followUpAuthorOf } from './follow-up.rules';
import { CreateFollowUpDto, FollowUpDto, FollowUpPageDto, FollowUpPageQueryDto } from './dto/follow-up.dto';
import { type FollowUpView, FollowUpsService } from './follow-ups.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

/** 跟进记录: phone calls, visits and notes on a reduction order, by order and by warning. */
@ApiTags('alerts')
@Controller('api')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  /**
   * Records a follow-up of the order (kind, outcome, note, contact, when: now if left out). 422 naming the field
   * for a time in the future or before the order; audited as `order.followed-up`.
   */
  @Post('orders/:id/follow-ups')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  @ApiCreatedResponse({ type: FollowUpDto })
  @ApiOperation({ summary: '登记对指令的跟进核查' })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  create(
    @Param('id') id: string,
    @Body() body: CreateFollowUpDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<FollowUpView> {
    return this.followUps.record(id, body, followUpAuthorOf(user), actor);
  }

  /** The order's follow-ups, newest first. */
  @Get('orders/:id/follow-ups')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: [FollowUpDto] })
  @ApiOperation({ summary: '某条指令的跟进记录' })
  @ApiErrors(401, 404)
  listForOrder(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<FollowUpView[]> {
    return this.followUps.listForOrder(id, scope);
  }

  /** The warning's follow-ups, newest first, a page at a time: `{items, total, page, pageSize}`. */
  @Get('alerts/:id/follow-ups')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: FollowUpPageDto })
  @ApiOperation({ summary: '某次预警的全部跟进记录' })
  @ApiErrors(401, 404, 422)
  listForAlert(
    @Param('id') id: string,
    @Query() query: FollowUpPageQueryDto,
    @CallerScope() scope: CountyScope,
  ): ReturnType<FollowUpsService['pageForAlert']> {
    return this.followUps.pageForAlert(id, query, scope);
  }
}
