import { forwardRef, Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { DepartmentsController } from './departments.controller';
import { PartiesController } from './parties.controller';
import { PartyController } from './party.controller';
import { PartyReceiptService } from './party-receipt.service';
import { PartyViewsService } from './party-views.service';
import { DepartmentsService } from './departments.service';
import { PartyDeadlinesService } from './party-deadlines.service';
import { PartyDeliveryService } from './party-delivery.service';
import { PartyNoticesService } from './party-notices.service';

/**
 * County bureaus' and city departments' notices and receipts; the only writer of department and party_notice.
 * Notices are written through RevisionEffects (the alerts module chains PartyNoticesService after the orders), their
 * messages queued by the outbox, and a sent one marks its notice SENT through DeliveryEffects (PartyDeliveryService);
 * the notifications module and this one import each other, hence forwardRef.
 */
@Module({
  imports: [forwardRef(() => NotificationsModule)],
  controllers: [DepartmentsController, PartiesController, PartyController],
  providers: [
    DepartmentsService,
    PartyNoticesService,
    PartyDeliveryService,
    PartyReceiptService,
    PartyViewsService,
    PartyDeadlinesService,
  ],
  exports: [
    DepartmentsService,
    PartyNoticesService,
    PartyDeliveryService,
    PartyViewsService,
    PartyDeadlinesService,
  ],
})
export class PartiesModule {}
