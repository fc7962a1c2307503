import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeliveryEffects, type SentMessage } from '../notifications/delivery-effects';

/** The orders' side of a delivery: an order whose notice has gone out is SENT (still PENDING ones only). */
@Injectable()
export class OrderDeliveryService extends DeliveryEffects {
  async onSent(m: EntityManager, sent: readonly SentMessage[], at: Date): Promise<void> {
    const orderIds = sent.flatMap((s) => (s.orderId ? [s.orderId] : []));
    if (orderIds.length === 0) return;
    await m.query(
      `UPDATE reduction_order SET state = 'SENT', updated_at = $2 WHERE id = ANY($1::uuid[]) AND state = 'PENDING'`,
      [orderIds, at],
    );
  }
}
