import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { DeadlineRun, DeadlinesService } from '../orders/deadlines.service';
import { ScheduledJob } from './scheduled-job';

/** Every minute: reminders before deadlines, OVERDUE after them, escalation to the county bureaus. */
@Injectable()
export class OrderDeadlinesJob extends ScheduledJob<DeadlineRun> {
  constructor(
    locks: AdvisoryLockService,
    private readonly deadlines: DeadlinesService,
  ) {
    super(locks, 'job:order-deadlines');
  }

  protected work(): Promise<DeadlineRun> {
    return this.deadlines.run();
  }

  @Interval('order-deadlines', 60_000)
  handle(): Promise<void> {
    return this.tick();
  }
}
