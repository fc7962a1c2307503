import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { AuditModule } from '../audit/audit.module';
import { AuditAnchorModule } from '../audit/audit-anchor.module';
import { AuthModule } from '../auth/auth.module';
import { AlertTransitionsJob } from './alert-transitions.job';
import { AuditAnchorJob } from './audit-anchor.job';
import { DemoTelemetryJob } from './demo-telemetry.job';
import { LoginThrottleJob } from './login-throttle.job';
import { OrderDeadlinesJob } from './order-deadlines.job';
import { OutboxDispatchJob } from './outbox-dispatch.job';
import { PartyDeadlinesJob } from './party-deadlines.job';
import { PartiesModule } from '../parties/parties.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ReconciliationJob } from './reconciliation.job';
import { StandingConditionsModule } from '../standing-conditions/standing-conditions.module';
import { StandingConditionsJob } from './standing-conditions.job';
import { TelemetryModule } from '../telemetry/telemetry.module';

/** Cron handlers only: take the lock, call one service method, log. Timers run when SCHEDULER_ENABLED. */
@Module({
  imports: [
    AlertsModule,
    NotificationsModule,
    OrdersModule,
    PartiesModule,
    AuditModule,
    AuditAnchorModule,
    AuthModule,
    ReconciliationModule,
    StandingConditionsModule,
    TelemetryModule,
  ],
  providers: [
    AlertTransitionsJob,
    OutboxDispatchJob,
    OrderDeadlinesJob,
    PartyDeadlinesJob,
    AuditAnchorJob,
    LoginThrottleJob,
    ReconciliationJob,
    StandingConditionsJob,
    DemoTelemetryJob,
  ],
  exports: [
    AlertTransitionsJob,
    OutboxDispatchJob,
    OrderDeadlinesJob,
    PartyDeadlinesJob,
    AuditAnchorJob,
    LoginThrottleJob,
    ReconciliationJob,
    StandingConditionsJob,
    DemoTelemetryJob,
  ],
})
export class SchedulerModule {}
