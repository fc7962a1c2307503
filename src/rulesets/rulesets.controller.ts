import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/auth.decorators';
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

  @Get(':id')
  @SignedIn()
  get(@Param('id') id: string): Promise<Ruleset> {
    return this.rulesets.get(id);
  }
}
