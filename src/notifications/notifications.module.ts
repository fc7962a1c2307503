import { Module } from '@nestjs/common';
import { AlertMessagesController } from './alert-messages.controller';
import { MailFileSystem } from './mail-files.service';
import { MailTransport, MailTransportFactory } from './mail-transport';
import { OutboxController } from './outbox.controller';
import { OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxService } from './outbox.service';
import { OutboxFilesService } from './outbox-files.service';
import { OutboxSignal } from './outbox-signal';
import { TemplateRenderer } from './template-renderer.service';

@Module({
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
    OutboxDispatcher,
    OutboxService,
    OutboxFilesService,
    OutboxSignal,
  ],
  exports: [
    OutboxDispatcher,
    TemplateRenderer,
    MailTransport,
    OutboxSignal,
    OutboxService,
    OutboxFilesService,
  ],
})
export class NotificationsModule {}
