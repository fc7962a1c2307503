import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { OutboxService } from './outbox.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('outbox')
@Controller('api/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  /** Messages with their delivery state (newest first); `state=FAILED` is the dead-letter list. */
  @Get()
  @Roles('DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN')
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'alertId', required: false })
  @ApiOperation({ summary: '发件箱(邮件送达队列)' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403, 422)
  list(
    @Query('state') state?: string,
    @Query('alertId') alertId?: string,
  ): ReturnType<OutboxService['list']> {
    return this.outbox.list({ state, alertId });
  }

  @Get(':id/history')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN')
  @ApiOperation({ summary: '某封邮件的投递历史' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403, 404)
  history(@Param('id') id: string): ReturnType<OutboxService['history']> {
    return this.outbox.history(id);
  }

  /** Puts a FAILED message back in the queue (e.g. after the enterprise corrected its address). */
  @Post(':id/requeue')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '重新投递失败的邮件' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403, 404, 409)
  requeue(@Param('id') id: string, @RequestActor() actor: Actor): ReturnType<OutboxService['requeue']> {
    return this.outbox.requeue(id, actor);
  }
}
