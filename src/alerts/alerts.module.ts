import { Module } from '@nestjs/common';
import { AuditAnchorModule } from '../audit/audit-anchor.module';
import { ConsultationsModule } from '../consultations/consultations.module';
import { DirectivesModule } from '../directives/directives.module';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { DocumentsModule } from '../documents/documents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { OrdersService } from '../orders/orders.service';
import { PartiesModule } from '../parties/parties.module';
import { PartyNoticesService } from '../parties/party-notices.service';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { AlertCommandsService } from './alert-commands.service';
import { AlertPreviewService } from './alert-preview.service';
import { AlertTransitionsService } from './alert-transitions.service';
import { AlertViewsService } from './alert-views.service';
import { AlertsController } from './alerts.controller';
import { DirectiveLiftController } from './directive-lift.controller';
import { DirectiveLiftService } from './directive-lift.service';
import { RevisionEffects, RevisionEffectsChain } from './revision-effects';
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
    PartiesModule,
  ],
  controllers: [AlertsController, DirectiveLiftController, TimelinessController],
  // An approved revision creates its orders and outbox messages in the same transaction, then the county and
  // department notices (which sum up those orders).
  providers: [
    AlertCommandsService,
    AlertTransitionsService,
    AlertViewsService,
    AlertPreviewService,
    DirectiveLiftService,
    TimelinessService,
    {
      provide: RevisionEffects,
      inject: [OrdersService, PartyNoticesService],
      useFactory: (orders: OrdersService, parties: PartyNoticesService) =>
        new RevisionEffectsChain([orders, parties]),
    },
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
