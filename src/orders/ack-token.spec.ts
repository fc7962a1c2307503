import { signAckToken, verifyAckToken } from './ack-token';

describe('ack tokens', () => {
  const id = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  const secret = 'a-secret-that-is-long-enough-for-tests';
  const expires = new Date('2026-12-10T00:00:00Z');
  const now = new Date('2026-11-28T00:00:00Z');
  const token = signAckToken(id, expires, secret);

  it('opens exactly its order until it expires', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{27}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyAckToken(token, secret, now)).toEqual({ ok: true, orderId: id, expiresAt: expires });
    expect(verifyAckToken(token, secret, expires)).toEqual({ ok: false, reason: 'EXPIRED', orderId: id });
  });

  it('refuses a token signed with another secret, or altered in any character', () => {
    expect(
      verifyAckToken(signAckToken(id, expires, 'another-secret-entirely-different'), secret, now),
    ).toEqual({ ok: false, reason: 'FORGED' });
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifyAckToken(altered, secret, now).ok).toBe(false);
    }
  });

  it('calls garbage malformed', () => {
    for (const bad of ['', 'abc', 'a.b.c', '../../etc', `${token}x`, token.replace('.', '')]) {
      expect(verifyAckToken(bad, secret, now)).toMatchObject({ ok: false });
    }
  });

  it('opens only what it was made for: a token of one purpose is forged for another', () => {
    const party = signAckToken(id, expires, secret, 'party');
    expect(verifyAckToken(party, secret, now, 'party')).toEqual({
      ok: true,
      orderId: id,
      expiresAt: expires,
    });
    expect(verifyAckToken(party, secret, now)).toEqual({ ok: false, reason: 'FORGED' });
    expect(verifyAckToken(party, secret, now, 'party-orders')).toEqual({ ok: false, reason: 'FORGED' });
    expect(verifyAckToken(token, secret, now, 'party')).toEqual({ ok: false, reason: 'FORGED' });
  });
});
