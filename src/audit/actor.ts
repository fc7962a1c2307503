import type { ActorType } from './audit-entry.entity';

/** Who did something, as the audit log records it. */
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string | null;
  ip?: string | null;
  requestId?: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null, name: 'system' };
