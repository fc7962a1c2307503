import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertTransitionsJob } from './alert-transitions.job';
import { OutboxDispatchJob } from './outbox-dispatch.job';

/** Cron handlers only: take the lock, call one service method, log. Timers run when SCHEDULER_ENABLED. */
@Module({
  imports: [AlertsModule, NotificationsModule],
  providers: [AlertTransitionsJob, OutboxDispatchJob],
  exports: [AlertTransitionsJob, OutboxDispatchJob],
})
export class SchedulerModule {}
