import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random per-browser secret, kept in an HttpOnly cookie; forms carry an HMAC of it. */
export const CSRF_COOKIE = 'hz_csrf';
export const CSRF_FIELD = '_csrf';

export function newCsrfSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The form token for a browser secret. A page on another site can neither read the cookie nor compute
 * the HMAC without the server's key, so it cannot forge a form post (signed double-submit).
 */
export function csrfTokenFor(serverKey: string, secret: string): string {
  return createHmac('sha256', serverKey).update(`csrf:${secret}`).digest('base64url');
}

export function csrfTokenMatches(serverKey: string, secret: string | undefined, token: unknown): boolean {
  if (!secret || typeof token !== 'string' || token.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(serverKey, secret));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
