import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import {
  type StandingCheckRun,
  StandingConditionsService,
} from '../standing-conditions/standing-conditions.service';
import { ScheduledJob } from './scheduled-job';

/** Hourly, twenty past: every standing condition in force against its outlets' CEMS readings of the last 48 hours. */
@Injectable()
export class StandingConditionsJob extends ScheduledJob<StandingCheckRun> {
  constructor(
    locks: AdvisoryLockService,
    private readonly conditions: StandingConditionsService,
  ) {
    super(locks, 'job:standing-conditions');
  }

  protected work(): Promise<StandingCheckRun> {
    return this.conditions.checkAll();
  }

  @Cron('20 * * * *', { name: 'standing-conditions', timeZone: 'Asia/Shanghai' })
  handle(): Promise<void> {
    return this.tick();
  }
}
