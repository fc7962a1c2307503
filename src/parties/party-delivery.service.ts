import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeliveryEffects, type SentMessage } from '../notifications/delivery-effects';

/** The parties' side of a delivery: a notice whose email has gone out is SENT (still PENDING ones only). */
@Injectable()
export class PartyDeliveryService extends DeliveryEffects {
  async onSent(m: EntityManager, sent: readonly SentMessage[], at: Date): Promise<void> {
    // Messages of an order are not a party's; reminders name no notice (message_id is the notice's own email).
    const ids = sent.filter((s) => s.orderId === null).map((s) => s.messageId);
    if (ids.length === 0) return;
    await m.query(
      `UPDATE party_notice SET state = 'SENT', sent_at = $2, updated_at = $2
        WHERE message_id = ANY($1::uuid[]) AND state = 'PENDING'`,
      [ids, at],
    );
  }
}
