import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DispatchResult, OutboxDispatcher } from '../notifications/outbox-dispatcher.service';
import { OutboxSignal } from '../notifications/outbox-signal';
import { ScheduledJob } from './scheduled-job';

/** Every second: drain the outbox (the claim itself is SKIP LOCKED-safe; the lock keeps one drainer busy). */
@Injectable()
export class OutboxDispatchJob extends ScheduledJob<DispatchResult> {
  constructor(
    locks: AdvisoryLockService,
    private readonly dispatcher: OutboxDispatcher,
    signal: OutboxSignal,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(locks, 'job:outbox-dispatch');
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
