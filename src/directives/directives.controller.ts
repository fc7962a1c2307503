import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { DirectivesService, type DirectiveView } from './directives.service';
import { CreateDirectiveDto } from './dto/directive.dto';
import { ApiErrors } from '../common/http/api-docs.decorators';

/**
 * Provincial directives (调度令 / 区域预警) as received. The duty office records them (a commander may too: it
 * is the command office's record of what the province ordered); everyone signed in reads them. The lift route,
 * which proposes the warnings' lifts, is in the alerts module (DirectiveLiftController).
 */
@ApiTags('directives')
@Controller('api/directives')
export class DirectivesController {
  constructor(private readonly directives: DirectivesService) {}

  @Post()
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @ApiOperation({ summary: '登记省级指令' })
  @ApiCreatedResponse({ description: '已创建' })
  @ApiErrors(400, 401, 403, 409, 422)
  record(@Body() body: CreateDirectiveDto, @RequestActor() actor: Actor): Promise<DirectiveView> {
    return this.directives.record(body, actor);
  }

  /** Newest first, each with its status and 需启动 (the counties still below its level) as of now. */
  @Get()
  @SignedIn()
  @ApiOperation({ summary: '省级指令列表' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401)
  list(): Promise<DirectiveView[]> {
    return this.directives.list();
  }

  @Get(':id')
  @SignedIn()
  @ApiOperation({ summary: '省级指令详情' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404)
  get(@Param('id') id: string): Promise<DirectiveView> {
    return this.directives.get(id);
  }
}
