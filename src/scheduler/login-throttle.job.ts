import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuthService } from '../auth/auth.service';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { ScheduledJob } from './scheduled-job';

/** Every minute: throttle episodes a window old are ended and the refusals they only counted are logged. */
@Injectable()
export class LoginThrottleJob extends ScheduledJob<number> {
  constructor(
    locks: AdvisoryLockService,
    private readonly auth: AuthService,
  ) {
    super(locks, 'job:login-throttle');
  }

  protected work(): Promise<number> {
    return this.auth.flushEndedThrottles();
  }

  @Interval('login-throttle', 60_000)
  handle(): Promise<void> {
    return this.tick();
  }
}
