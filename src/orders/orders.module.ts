import { Module } from '@nestjs/common';
import { AckController } from './ack.controller';
import { AckService } from './ack.service';
import { DeadlinesService } from './deadlines.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/** Orders are created through RevisionEffects (the alerts module wires OrdersService in), read and acknowledged here. */
@Module({
  controllers: [OrdersController, AckController],
  providers: [OrdersService, AckService, DeadlinesService],
  exports: [OrdersService, DeadlinesService],
})
export class OrdersModule {}
