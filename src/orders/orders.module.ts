import { Module } from '@nestjs/common';
import { AckController } from './ack.controller';
import { AckService } from './ack.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/** Orders are created through RevisionEffects (the alerts module wires OrdersService in), read and acknowledged here. */
@Module({
  controllers: [OrdersController, AckController],
  providers: [OrdersService, AckService],
  exports: [OrdersService],
})
export class OrdersModule {}
