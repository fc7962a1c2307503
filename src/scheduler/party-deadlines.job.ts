import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { PartyDeadlineRun, PartyDeadlinesService } from '../parties/party-deadlines.service';
import { ScheduledJob } from './scheduled-job';

/** Every minute: a reminder to each county bureau or department past its receipt deadline, the duty office told. */
@Injectable()
export class PartyDeadlinesJob extends ScheduledJob<PartyDeadlineRun> {
  constructor(
    locks: AdvisoryLockService,
    private readonly deadlines: PartyDeadlinesService,
  ) {
    super(locks, 'job:party-deadlines');
  }

  protected work(): Promise<PartyDeadlineRun> {
    return this.deadlines.run();
  }

  @Interval('party-deadlines', 60_000)
  handle(): Promise<void> {
    return this.tick();
  }
}
