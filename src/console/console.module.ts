import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AssessmentModule } from '../alerts/assessment.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ConsultationsModule } from '../consultations/consultations.module';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { PartiesModule } from '../parties/parties.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RegionsModule } from '../regions/regions.module';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { StandingConditionsModule } from '../standing-conditions/standing-conditions.module';
import { AlertPagesController } from './alert-pages.controller';
import { AuditPagesController } from './audit-pages.controller';
import { CampaignPagesController } from './campaign-pages.controller';
import { CampaignRecordPagesController } from './campaign-record-pages.controller';
import { ConsoleContextService } from './console-context.service';
import { ConsultationPagesController } from './consultation-pages.controller';
import { DashboardPagesController } from './dashboard-pages.controller';
import { DirectivePagesController } from './directive-pages.controller';
import { DirectivesModule } from '../directives/directives.module';
import { DiscrepancyPagesController } from './discrepancy-pages.controller';
import { EnterprisePagesController } from './enterprise-pages.controller';
import { FollowUpPagesController } from './follow-up-pages.controller';
import { InspectionPagesController } from './inspection-pages.controller';
import { NoticePagesController } from './notice-pages.controller';
import { OutboxPagesController } from './outbox-pages.controller';
import { SessionPagesController } from './session-pages.controller';
import { UserPagesController } from './user-pages.controller';

/** The server-rendered console: controllers and view models only; every rule lives in the services. */
@Module({
  imports: [
    AuthModule,
    CampaignsModule,
    AlertsModule,
    AssessmentModule,
    OrdersModule,
    PartiesModule,
    AuditModule,
    ConsultationsModule,
    DirectivesModule,
    EnterprisesModule,
    FollowUpsModule,
    InspectionsModule,
    NotificationsModule,
    ReconciliationModule,
    RegionsModule,
    RulesetsModule,
    StandingConditionsModule,
    TelemetryModule,
  ],
  controllers: [
    SessionPagesController,
    DashboardPagesController,
    ConsultationPagesController,
    DirectivePagesController,
    AlertPagesController,
    EnterprisePagesController,
    AuditPagesController,
    OutboxPagesController,
    NoticePagesController,
    UserPagesController,
    FollowUpPagesController,
    InspectionPagesController,
    DiscrepancyPagesController,
    CampaignPagesController,
    CampaignRecordPagesController,
  ],
  providers: [ConsoleContextService],
})
export class ConsoleModule {}
