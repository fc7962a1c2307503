import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { AlertTransitionsJob } from './alert-transitions.job';
import { OrderDeadlinesJob } from './order-deadlines.job';
import { OutboxDispatchJob } from './outbox-dispatch.job';

/** Cron handlers only: take the lock, call one service method, log. Timers run when SCHEDULER_ENABLED. */
@Module({
  imports: [AlertsModule, NotificationsModule, OrdersModule],
  providers: [AlertTransitionsJob, OutboxDispatchJob, OrderDeadlinesJob],
  exports: [AlertTransitionsJob, OutboxDispatchJob, OrderDeadlinesJob],
})
export class SchedulerModule {}
