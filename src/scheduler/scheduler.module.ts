import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AlertTransitionsJob } from './alert-transitions.job';

/** Cron handlers only: take the lock, call one service method, log. Timers run when SCHEDULER_ENABLED. */
@Module({ imports: [AlertsModule], providers: [AlertTransitionsJob], exports: [AlertTransitionsJob] })
export class SchedulerModule {}
