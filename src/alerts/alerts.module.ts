import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { OrdersService } from '../orders/orders.service';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { RevisionEffects } from './revision-effects';

@Module({
  imports: [RulesetsModule, ConsultationsModule, OrdersModule, NotificationsModule],
  controllers: [AlertsController],
  // An approved revision creates its orders and outbox messages in the same transaction.
  providers: [AlertsService, { provide: RevisionEffects, useExisting: OrdersService }],
  exports: [AlertsService],
})
export class AlertsModule {}
