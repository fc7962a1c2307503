import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { ScheduledJob } from './scheduled-job';

/** Hourly, a quarter past: the meters against the orders for every warning in force or just ended, each alone. */
@Injectable()
export class ReconciliationJob extends ScheduledJob<{ reconciled: number; failed: number }> {
  constructor(
    locks: AdvisoryLockService,
    private readonly reconciliation: ReconciliationService,
  ) {
    super(locks, 'job:telemetry-reconciliation');
  }

  protected work(): Promise<{ reconciled: number; failed: number }> {
    return this.reconciliation.reconcileDue();
  }

  @Cron('15 * * * *', { name: 'telemetry-reconciliation', timeZone: 'Asia/Shanghai' })
  handle(): Promise<void> {
    return this.tick();
  }
}
