import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from './alerts/alerts.module';
import { AssessmentModule } from './alerts/assessment.module';
import { AuditModule } from './audit/audit.module';
import { EvidenceModule } from './audit/evidence.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { RequestIdMiddleware } from './common/http/request-id.middleware';
import { RequestOriginGuard } from './common/http/request-origin.guard';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { DatabaseModule } from './database/database.module';
import { DirectivesModule } from './directives/directives.module';
import { EnterprisesModule } from './enterprises/enterprises.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { InspectionsModule } from './inspections/inspections.module';
import { LoggingModule } from './logging/logging.module';
import { HealthController } from './health/health.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { PartiesModule } from './parties/parties.module';
import { PublicModule } from './public/public.module';
import { MetricsModule } from './metrics/metrics.module';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { RegionsModule } from './regions/regions.module';
import { RulesetsModule } from './rulesets/rulesets.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { TelemetryModule } from './telemetry/telemetry.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { StandingConditionsModule } from './standing-conditions/standing-conditions.module';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(),
        ...(config.schedulerEnabled ? [ScheduleModule.forRoot()] : []),
        CommonModule,
        MetricsModule,
        DatabaseModule,
        AuditModule,
        AuthModule,
        RegionsModule,
        EnterprisesModule,
        RulesetsModule,
        ConsultationsModule,
        DirectivesModule,
        AlertsModule,
        PartiesModule,
        PublicModule,
        FollowUpsModule,
        InspectionsModule,
        AssessmentModule,
        EvidenceModule,
        TelemetryModule,
        ReconciliationModule,
        CampaignsModule,
        StandingConditionsModule,
        NotificationsModule,
        SchedulerModule,
        ConsoleModule,
      ],
      controllers: [HealthController],
      // The root module's global guard runs before the feature modules' (AuthGuard): origin first.
      providers: [{ provide: APP_GUARD, useClass: RequestOriginGuard }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware, HttpMetricsMiddleware).forRoutes('*path');
  }
}
