import { Module } from '@nestjs/common';
import { AuditAnchorModule } from '../audit/audit-anchor.module';
import { ConsultationsModule } from '../consultations/consultations.module';
import { DirectivesModule } from '../directives/directives.module';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { DocumentsModule } from '../documents/documents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { OrdersService } from '../orders/orders.service';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { AlertCommandsService } from './alert-commands.service';
import { AlertPreviewService } from './alert-preview.service';
import { AlertTransitionsService } from './alert-transitions.service';
import { AlertViewsService } from './alert-views.service';
import { AlertsController } from './alerts.controller';
import { DirectiveLiftController } from './directive-lift.controller';
import { DirectiveLiftService } from './directive-lift.service';
import { RevisionEffects } from './revision-effects';
import { TimelinessController } from './timeliness.controller';
import { TimelinessService } from './timeliness.service';

@Module({
  imports: [
    RulesetsModule,
    ConsultationsModule,
    OrdersModule,
    NotificationsModule,
    DocumentsModule,
    EnterprisesModule,
    AuditAnchorModule,
    DirectivesModule,
  ],
  controllers: [AlertsController, DirectiveLiftController, TimelinessController],
  // An approved revision creates its orders and outbox messages in the same transaction.
  providers: [
    AlertCommandsService,
    AlertTransitionsService,
    AlertViewsService,
    AlertPreviewService,
    DirectiveLiftService,
    TimelinessService,
    { provide: RevisionEffects, useExisting: OrdersService },
  ],
  exports: [
    AlertCommandsService,
    AlertTransitionsService,
    AlertViewsService,
    AlertPreviewService,
    DirectiveLiftService,
    TimelinessService,
  ],
})
export class AlertsModule {}
