import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { OutboxService } from './outbox.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

/** A warning's messages as one set: the outbox stays the notifications module's to write. */
@ApiTags('outbox')
@Controller('api/alerts')
export class AlertMessagesController {
  constructor(private readonly outbox: OutboxService) {}

  /** Re-queues every FAILED message of the warning in one action (same role as re-queueing one message). */
  @Post(':id/messages/requeue-failed')
  @Roles('DUTY_OFFICER')
  @HttpCode(200)
  @ApiOperation({ summary: '重新投递某次预警的全部失败邮件' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403, 404)
  requeueFailed(@Param('id') id: string, @RequestActor() actor: Actor): Promise<{ requeued: number }> {
    return this.outbox.requeueFailedForAlert(id, actor);
  }
}
