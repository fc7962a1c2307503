import { createHash, randomBytes } from 'node:crypto';

/** Keys start with this, so a leaked one is recognisable in logs and by secret scanners. */
export const KEY_PREFIX = 'hzt_';
const PREFIX_SHOWN = 12;

/** A new source key: 32 random bytes, base64url, shown once; only its sha256 is stored. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, PREFIX_SHOWN) };
}

/** sha256 of the key, base64url (a key is random and long: no salt or slow hash needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}

/** The key of an `Authorization: Bearer <key>` header shaped like one of ours, or null. */
export function bearerKey(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m || !m[1].startsWith(KEY_PREFIX) || m[1].length > 100) return null;
  return m[1];
}
