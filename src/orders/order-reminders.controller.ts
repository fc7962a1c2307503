import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { DeadlinesService } from './deadlines.service';

@ApiTags('alerts')
@Controller('api/orders')
export class OrderRemindersController {
  constructor(private readonly deadlines: DeadlinesService) {}

  /**
   * 立即提醒: one reminder now to the enterprise of an unanswered order (confirm receipt, or report once received);
   * 409 `ORDER_NOT_REMINDABLE` when it owes no answer or has no e-mail address. Audited as `order.reminded`.
   */
  @Post(':id/remind')
  @HttpCode(200)
  @Roles('DUTY_OFFICER')
  remind(
    @Param('id') id: string,
    @RequestActor() actor: Actor,
  ): Promise<{ messageId: string; stage: 'receipt' | 'report' }> {
    return this.deadlines.remindNow(id, actor);
  }
}
