import { Inject, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { MetricsService } from '../metrics/metrics.service';

/**
 * Base of every scheduled job: one run at a time in this process, one at a time across instances
 * (PostgreSQL advisory lock), errors logged not thrown, and shutdown waits for a run in flight.
 */
export abstract class ScheduledJob<T> implements OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private inFlight: Promise<unknown> | null = null;
  private stopping = false;
  /** Property-injected so the jobs' own constructors stay as they are; absent where no metrics module is loaded. */
  @Optional() @Inject(MetricsService) private readonly metrics?: MetricsService;

  /** `slots` > 1: that many runs at once across instances (lockName#0…), for work safe in parallel. */
  protected constructor(
    private readonly locks: AdvisoryLockService,
    private readonly lockName: string,
    slots = 1,
  ) {
    this.lockNames = slots <= 1 ? [lockName] : Array.from({ length: slots }, (_, i) => `${lockName}#${i}`);
  }

  private readonly lockNames: string[];

  protected abstract work(): Promise<T>;

  /** Runs the job now unless a run is in flight here or the lock is held elsewhere. */
  async run(): Promise<{ acquired: true; result: T } | { acquired: false }> {
    if (this.stopping || this.inFlight) return { acquired: false };
    const guarded = () => this.locks.tryWithAnyLock(this.lockNames, () => this.work());
    const run = this.metrics ? this.metrics.timeJob(this.lockName, guarded) : guarded();
    this.inFlight = run;
    try {
      return await run;
    } finally {
      this.inFlight = null;
    }
  }

  /** For @Interval/@Cron handlers: never lets an error escape into the timer. */
  protected async tick(): Promise<void> {
    try {
      await this.run();
    } catch (e) {
      this.logger.error(
        `${this.lockName} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.inFlight?.catch(() => undefined);
  }
}
