import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { OutboxService } from './outbox.service';

@ApiTags('outbox')
@Controller('api/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  /** Messages with their delivery state (newest first); `state=FAILED` is the dead-letter list. */
  @Get()
  @Roles('DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN')
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'alertId', required: false })
  list(
    @Query('state') state?: string,
    @Query('alertId') alertId?: string,
  ): ReturnType<OutboxService['list']> {
    return this.outbox.list({ state, alertId });
  }

  @Get(':id/history')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN')
  history(@Param('id') id: string): ReturnType<OutboxService['history']> {
    return this.outbox.history(id);
  }

  /** Puts a FAILED message back in the queue (e.g. after the enterprise corrected its address). */
  @Post(':id/requeue')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  requeue(@Param('id') id: string, @RequestActor() actor: Actor): ReturnType<OutboxService['requeue']> {
    return this.outbox.requeue(id, actor);
  }
}
