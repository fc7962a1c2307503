import { Module } from '@nestjs/common';
import { StandingConditionsController } from './standing-conditions.controller';
import { StandingConditionsService } from './standing-conditions.service';

/**
 * Standing conditions (issue 18, seed item 5): the one writer of standing_condition and standing_condition_finding;
 * reads enterprises, metering points and readings. The demo seed writes its conditions through
 * StandingConditionsService.ensureDemoConditions, the hourly job checks through checkAll.
 */
@Module({
  controllers: [StandingConditionsController],
  providers: [StandingConditionsService],
  exports: [StandingConditionsService],
})
export class StandingConditionsModule {}
