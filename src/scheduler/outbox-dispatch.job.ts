import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DispatchResult, OutboxDispatcher } from '../notifications/outbox-dispatcher.service';
import { OutboxSignal } from '../notifications/outbox-signal';
import { ScheduledJob } from './scheduled-job';

/**
 * Every second: drain the outbox. The claims are SKIP LOCKED-safe, so up to OUTBOX_DISPATCHERS instances drain at
 * once (one advisory lock slot each; one drainer per process): two instances send twice as many connections' worth.
 */
@Injectable()
export class OutboxDispatchJob extends ScheduledJob<DispatchResult> {
  constructor(
    locks: AdvisoryLockService,
    private readonly dispatcher: OutboxDispatcher,
    signal: OutboxSignal,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(locks, 'job:outbox-dispatch', config.mail.dispatchers);
    if (config.schedulerEnabled) signal.listen(() => void this.tick());
  }

  protected work(): Promise<DispatchResult> {
    return this.dispatcher.drain();
  }

  @Interval('outbox-dispatch', 1000)
  handle(): Promise<void> {
    return this.tick();
  }
}
