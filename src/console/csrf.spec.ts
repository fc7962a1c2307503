import { csrfTokenFor, csrfTokenMatches, newCsrfSecret } from './csrf';

describe('csrf tokens', () => {
  const key = 'k'.repeat(40);

  it('accepts the token derived from the same secret and key', () => {
    const secret = newCsrfSecret();
    expect(csrfTokenMatches(key, secret, csrfTokenFor(key, secret))).toBe(true);
  });

  it('refuses a token for another secret, another key, a missing secret or a non-string', () => {
    const secret = newCsrfSecret();
    expect(csrfTokenMatches(key, newCsrfSecret(), csrfTokenFor(key, secret))).toBe(false);
    expect(csrfTokenMatches('x'.repeat(40), secret, csrfTokenFor(key, secret))).toBe(false);
    expect(csrfTokenMatches(key, undefined, csrfTokenFor(key, secret))).toBe(false);
    expect(csrfTokenMatches(key, secret, ['a'])).toBe(false);
    expect(csrfTokenMatches(key, secret, '')).toBe(false);
  });

  it('makes a fresh secret each time', () => {
    expect(newCsrfSecret()).not.toBe(newCsrfSecret());
  });
});
