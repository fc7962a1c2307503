import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { DemoReadingsService, type DemoRun } from '../telemetry/demo-readings.service';
import { ScheduledJob } from './scheduled-job';

/**
 * Every 5 minutes, demo mode only: the demo enterprises' meters "send" their quarter-hour readings up to now
 * (DemoReadingsService; outside demo mode the service does nothing and says so).
 */
@Injectable()
export class DemoTelemetryJob extends ScheduledJob<DemoRun> {
  constructor(
    locks: AdvisoryLockService,
    private readonly demo: DemoReadingsService,
  ) {
    super(locks, 'job:demo-telemetry');
  }

  protected work(): Promise<DemoRun> {
    return this.demo.generate();
  }

  @Interval('demo-telemetry', 5 * 60_000)
  handle(): Promise<void> {
    return this.tick();
  }
}
