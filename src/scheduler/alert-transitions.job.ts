import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AlertTransitionsService } from '../alerts/alert-transitions.service';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { ScheduledJob } from './scheduled-job';

/** Every 15 s: approved revisions whose time has come take effect; warnings past their end expire. */
@Injectable()
export class AlertTransitionsJob extends ScheduledJob<{ applied: number; expired: number; failed: number }> {
  constructor(
    locks: AdvisoryLockService,
    private readonly alerts: AlertTransitionsService,
  ) {
    super(locks, 'job:alert-transitions');
  }

  protected work(): Promise<{ applied: number; expired: number; failed: number }> {
    return this.alerts.applyDue();
  }

  @Interval('alert-transitions', 15_000)
  handle(): Promise<void> {
    return this.tick();
  }
}
