/**
 * The value of a cookie the app reads, or undefined. cookie-parser turns `j:`-prefixed values into whatever
 * JSON they hold (an object, an array, null, a number), so anything but a non-empty string is treated as no
 * cookie at all: a planted `hz_session=j:{}` must not reach the HMAC (a 500 on every route).
 */
export function stringCookie(cookies: unknown, name: string): string | undefined {
  if (cookies === null || typeof cookies !== 'object') return undefined;
  const value = (cookies as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
