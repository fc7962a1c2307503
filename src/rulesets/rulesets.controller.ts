import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { CreateRulesetDto } from './dto/ruleset.dto';
import { Ruleset } from './ruleset.entity';
import { RulesetsService } from './rulesets.service';

@ApiTags('rulesets')
@Controller('api/rulesets')
export class RulesetsController {
  constructor(private readonly rulesets: RulesetsService) {}

  /** Versioned warning thresholds, reduction ratios and deadlines. */
  @Get()
  @SignedIn()
  list(): Promise<Ruleset[]> {
    return this.rulesets.list();
  }

  /** A new version derived from an existing ruleset (ADMIN); audited with every changed value. */
  @Post()
  @Roles('ADMIN')
  create(@Body() body: CreateRulesetDto, @RequestActor() actor: Actor): Promise<Ruleset> {
    return this.rulesets.createVersion(body, actor);
  }

  @Get(':id')
  @SignedIn()
  get(@Param('id') id: string): Promise<Ruleset> {
    return this.rulesets.get(id);
  }
}
