import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { DirectivesService, type DirectiveView } from './directives.service';
import { CreateDirectiveDto } from './dto/directive.dto';

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
  record(@Body() body: CreateDirectiveDto, @RequestActor() actor: Actor): Promise<DirectiveView> {
    return this.directives.record(body, actor);
  }

  /** Newest first, each with its status and 需启动 (the counties still below its level) as of now. */
  @Get()
  @SignedIn()
  list(): Promise<DirectiveView[]> {
    return this.directives.list();
  }

  @Get(':id')
  @SignedIn()
  get(@Param('id') id: string): Promise<DirectiveView> {
    return this.directives.get(id);
  }
}
