import { forwardRef, Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AckController } from './ack.controller';
import { AckService } from './ack.service';
import { CountyProgressService } from './county-progress.service';
import { DeadlinesService } from './deadlines.service';
import { OrderDeliveryService } from './order-delivery.service';
import { OrdersController } from './orders.controller';
import { OrderRemindersController } from './order-reminders.controller';
import { OrdersService } from './orders.service';

/**
 * Orders are created through RevisionEffects (the alerts module wires OrdersService in), read and acknowledged
 * here; the only writer of reduction_order. Their messages are queued through the notifications module's
 * OutboxService, and a sent message marks its order SENT through DeliveryEffects (OrderDeliveryService).
 */
@Module({
  imports: [forwardRef(() => NotificationsModule)],
  controllers: [OrdersController, AckController, OrderRemindersController],
  providers: [OrdersService, AckService, DeadlinesService, OrderDeliveryService, CountyProgressService],
  exports: [OrdersService, DeadlinesService, OrderDeliveryService, CountyProgressService],
})
export class OrdersModule {}
