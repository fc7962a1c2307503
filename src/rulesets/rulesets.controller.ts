import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { CreateRulesetDto } from './dto/ruleset.dto';
import { Ruleset } from './ruleset.entity';
import { RulesetsService } from './rulesets.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('rulesets')
@Controller('api/rulesets')
export class RulesetsController {
  constructor(private readonly rulesets: RulesetsService) {}

  /** Versioned warning thresholds, reduction ratios and deadlines. */
  @Get()
  @SignedIn()
  @ApiOperation({ summary: '预警分级规则集列表' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401)
  list(): Promise<Ruleset[]> {
    return this.rulesets.list();
  }

  /** A new version derived from an existing ruleset (ADMIN); audited with every changed value. */
  @Post()
  @Roles('ADMIN')
  @ApiOperation({ summary: '新建规则集' })
  @ApiCreatedResponse({ description: '已创建' })
  @ApiErrors(400, 401, 403, 409, 422)
  create(@Body() body: CreateRulesetDto, @RequestActor() actor: Actor): Promise<Ruleset> {
    return this.rulesets.createVersion(body, actor);
  }

  @Get(':id')
  @SignedIn()
  @ApiOperation({ summary: '规则集详情' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404)
  get(@Param('id') id: string): Promise<Ruleset> {
    return this.rulesets.get(id);
  }
}
