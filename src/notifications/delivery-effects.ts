import type { EntityManager } from 'typeorm';

/** A message the dispatcher has just recorded as SENT, and the order it belongs to (none for a digest or escalation). */
export interface SentMessage {
  messageId: string;
  orderId: string | null;
}

/**
 * What a delivery sets off outside the outbox, inside the transaction that records the messages SENT: the
 * dispatcher writes only the outbox, and the owner of the messages' subject (the orders) plugs in here. Called
 * once per recorded group, so an implementation is expected to be set-based (one statement for the group).
 */
export abstract class DeliveryEffects {
  abstract onSent(m: EntityManager, sent: readonly SentMessage[], at: Date): Promise<void>;
}

/** Several owners' hooks in turn (the orders', the parties'), in the one transaction. */
export class DeliveryEffectsChain extends DeliveryEffects {
  constructor(private readonly effects: readonly DeliveryEffects[]) {
    super();
  }

  async onSent(m: EntityManager, sent: readonly SentMessage[], at: Date): Promise<void> {
    for (const effect of this.effects) await effect.onSent(m, sent, at);
  }
}
