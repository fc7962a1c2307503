import { forwardRef, Module } from '@nestjs/common';
import { OrderDeliveryService } from '../orders/order-delivery.service';
import { OrdersModule } from '../orders/orders.module';
import { PartiesModule } from '../parties/parties.module';
import { PartyDeliveryService } from '../parties/party-delivery.service';
import { AlertMessagesController } from './alert-messages.controller';
import { DeliveryEffects, DeliveryEffectsChain } from './delivery-effects';
import { MailFileSystem } from './mail-files.service';
import { MailTransport, MailTransportFactory } from './mail-transport';
import { OutboxController } from './outbox.controller';
import { NoticeRenderPool } from './notice-render.pool';
import { OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxService } from './outbox.service';
import { OutboxFilesService } from './outbox-files.service';
import { OutboxSignal } from './outbox-signal';
import { TemplateRenderer } from './template-renderer.service';
import { NoticeSourcesService } from './notice-sources.service';

/**
 * The outbox: its one writer (OutboxService), its dispatcher and mail. A sent message's effect on its order is
 * the orders module's, on a county's or department's notice the parties module's (DeliveryEffects, bound here to
 * both in turn); those modules and this one import each other, they to queue messages, this one for that hook,
 * hence forwardRef.
 */
@Module({
  imports: [forwardRef(() => OrdersModule), forwardRef(() => PartiesModule)],
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
    NoticeRenderPool,
    {
      provide: DeliveryEffects,
      inject: [OrderDeliveryService, PartyDeliveryService],
      useFactory: (orders: OrderDeliveryService, parties: PartyDeliveryService) =>
        new DeliveryEffectsChain([orders, parties]),
    },
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
