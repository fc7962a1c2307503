import { Module } from '@nestjs/common';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { DirectivesController } from './directives.controller';
import { DirectivesService } from './directives.service';

/**
 * Provincial directives. Imports nothing of the warnings: the alerts module imports this one (to read the floors
 * and to record a lift in the transaction that proposes the warnings' lifts), never the other way round.
 */
@Module({
  imports: [RulesetsModule],
  controllers: [DirectivesController],
  providers: [DirectivesService],
  exports: [DirectivesService],
})
export class DirectivesModule {}
