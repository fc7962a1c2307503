import { forwardRef, Module } from '@nestjs/common';
import { OrderDeliveryService } from '../orders/order-delivery.service';
import { OrdersModule } from '../orders/orders.module';
import { AlertMessagesController } from './alert-messages.controller';
import { DeliveryEffects } from './delivery-effects';
import { MailFileSystem } from './mail-files.service';
import { MailTransport, MailTransportFactory } from './mail-transport';
import { OutboxController } from './outbox.controller';
import { OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxService } from './outbox.service';
import { OutboxFilesService } from './outbox-files.service';
import { OutboxSignal } from './outbox-signal';
import { TemplateRenderer } from './template-renderer.service';
import { NoticeSourcesService } from './notice-sources.service';

/**
 * The outbox: its one writer (OutboxService), its dispatcher and mail. A sent message's effect on its order is
 * the orders module's (DeliveryEffects, bound here to OrderDeliveryService); the two modules import each other,
 * orders to queue messages, notifications for that hook, hence forwardRef.
 */
@Module({
  imports: [forwardRef(() => OrdersModule)],
  controllers: [OutboxController, AlertMessagesController],
  providers: [
    MailFileSystem,
    MailTransportFactory,
    {
      provide: MailTransport,
      inject: [MailTransportFactory],
      useFactory: (f: MailTransportFactory) => f.create(),
    },
    TemplateRenderer,
    { provide: DeliveryEffects, useExisting: OrderDeliveryService },
    OutboxDispatcher,
    OutboxService,
    OutboxFilesService,
    OutboxSignal,
    NoticeSourcesService,
  ],
  exports: [
    NoticeSourcesService,
    OutboxDispatcher,
    TemplateRenderer,
    MailTransport,
    OutboxSignal,
    OutboxService,
    OutboxFilesService,
  ],
})
export class NotificationsModule {}
