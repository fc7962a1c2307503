import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { LiftDirectiveDto } from '../directives/dto/directive.dto';
import { type DirectiveLiftResult, DirectiveLiftService } from './directive-lift.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

/**
 * `POST /api/directives/:id/lift`: in the alerts module because it proposes the warnings' lifts (see
 * DirectiveLiftService); the other directive routes are the directives module's.
 */
@ApiTags('directives')
@Controller('api/directives')
export class DirectiveLiftController {
  constructor(private readonly lifts: DirectiveLiftService) {}

  /** Records the lift; each warning started under it gets a LIFT proposal from the system (or is listed as skipped). */
  @Post(':id/lift')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @HttpCode(200)
  @ApiOperation({ summary: '解除省级指令' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  lift(
    @Param('id') id: string,
    @Body() body: LiftDirectiveDto,
    @RequestActor() actor: Actor,
  ): Promise<DirectiveLiftResult> {
    return this.lifts.lift(id, body, actor);
  }
}
