import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Acknowledgement links: `base64url(order id ‖ expiry) . base64url(HMAC-SHA256(secret, payload))[:22]`.
 * Unguessable (128-bit MAC), opens exactly one order, expires, and any change to it breaks the MAC.
 */
const MAC_BYTES = 16;

/**
 * What a token opens. Each purpose has its own MAC key, so a token made for one (an enterprise's order) is forged
 * for any other (a county's or department's notice, a county's order list), even with the same id.
 */
export type TokenPurpose = 'ack' | 'party' | 'party-orders';

export function signAckToken(
  orderId: string,
  expiresAt: Date,
  secret: string,
  purpose: TokenPurpose = 'ack',
): string {
  const payload = Buffer.alloc(20);
  Buffer.from(orderId.replace(/-/g, ''), 'hex').copy(payload, 0);
  payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 16);
  return `${payload.toString('base64url')}.${mac(payload, secret, purpose).toString('base64url')}`;
}

export type AckTokenCheck =
  | { ok: true; orderId: string; expiresAt: Date }
  | { ok: false; reason: 'MALFORMED' | 'FORGED' | 'EXPIRED'; orderId?: string };

export function verifyAckToken(
  token: string,
  secret: string,
  now: Date,
  purpose: TokenPurpose = 'ack',
): AckTokenCheck {
  const [p, m] = token.split('.');
  if (!p || !m || token.split('.').length !== 2 || !/^[A-Za-z0-9_-]+$/.test(p + m))
    return { ok: false, reason: 'MALFORMED' };
  const payload = Buffer.from(p, 'base64url');
  const given = Buffer.from(m, 'base64url');
  if (payload.length !== 20 || given.length !== MAC_BYTES) return { ok: false, reason: 'MALFORMED' };
  // base64url's last character carries unused bits: only the canonical spelling is the token.
  if (payload.toString('base64url') !== p || given.toString('base64url') !== m)
    return { ok: false, reason: 'MALFORMED' };
  if (!timingSafeEqual(given, mac(payload, secret, purpose))) return { ok: false, reason: 'FORGED' };
  const hex = payload.subarray(0, 16).toString('hex');
  const orderId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const expiresAt = new Date(payload.readUInt32BE(16) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'EXPIRED', orderId };
  return { ok: true, orderId, expiresAt };
}

function mac(payload: Buffer, secret: string, purpose: TokenPurpose): Buffer {
  return createHmac('sha256', `${purpose}:${secret}`).update(payload).digest().subarray(0, MAC_BYTES);
}
