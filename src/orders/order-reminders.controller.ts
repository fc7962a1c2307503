import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { DeadlinesService } from './deadlines.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

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
  @ApiOperation({ summary: '立即催办某条指令' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403, 404, 409)
  remind(
    @Param('id') id: string,
    @RequestActor() actor: Actor,
  ): Promise<{ messageId: string; stage: 'receipt' | 'report' }> {
    return this.deadlines.remindNow(id, actor);
  }
}
