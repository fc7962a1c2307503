import { canonicalJson, chain, entryHash, GENESIS_HASH, StoredEntry, verifyEntries } from './audit-chain';

const base = {
  occurredAt: new Date('2026-11-28T08:00:00.000Z'),
  actorType: 'USER',
  actorId: 'u1',
  actorName: 'duty',
  action: 'auth.login',
  subjectType: 'user',
  subjectId: 'u1',
  alertId: null,
  requestId: null,
  ip: '127.0.0.1',
  data: { b: 1, a: { d: [1, 'x'], c: null } },
};

function stored(n: number): StoredEntry[] {
  const entries = Array.from({ length: n }, (_, i) => ({ ...base, action: `test.${i}`, data: { i } }));
  return chain(GENESIS_HASH, entries).map((e, i) => ({ ...e, id: String(i + 1) }));
}

describe('canonicalJson', () => {
  it('sorts keys at every level so key order never changes the text', () => {
    expect(canonicalJson({ b: 1, a: { y: 2, x: 1 } })).toBe('{"a":{"x":1,"y":2},"b":1}');
    expect(canonicalJson({ a: { x: 1, y: 2 }, b: 1 })).toBe(canonicalJson({ b: 1, a: { y: 2, x: 1 } }));
  });

  it('drops undefined members and keeps array order', () => {
    expect(canonicalJson({ a: undefined, b: [3, 1, 2] })).toBe('{"b":[3,1,2]}');
  });

  it('writes dates as ISO strings and Chinese text as is', () => {
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00Z'), name: '离石区' })).toBe(
      '{"at":"2026-01-01T00:00:00.000Z","name":"离石区"}',
    );
  });
});

describe('entryHash', () => {
  it('changes when any covered field or the previous hash changes', () => {
    const h = entryHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, { ...base, actorName: 'admin' })).not.toBe(h);
    expect(entryHash(GENESIS_HASH, { ...base, data: { b: 2, a: base.data.a } })).not.toBe(h);
    expect(entryHash(GENESIS_HASH, { ...base, occurredAt: new Date('2026-11-28T08:00:00.001Z') })).not.toBe(
      h,
    );
    expect(entryHash('f'.repeat(64), base)).not.toBe(h);
  });

  it('does not depend on the key order of data', () => {
    expect(entryHash(GENESIS_HASH, { ...base, data: { a: base.data.a, b: 1 } })).toBe(
      entryHash(GENESIS_HASH, base),
    );
  });
});

describe('verifyEntries', () => {
  it('accepts an intact chain and counts it', () => {
    const entries = stored(5);
    expect(verifyEntries(entries)).toEqual({ checked: 5, lastHash: entries[4].hash });
  });

  it('continues across pages', () => {
    const entries = stored(6);
    const first = verifyEntries(entries.slice(0, 3));
    expect(verifyEntries(entries.slice(3), first)).toEqual({ checked: 6, lastHash: entries[5].hash });
  });

  it('finds a modified entry', () => {
    const entries = stored(5);
    entries[2] = { ...entries[2], actorName: 'mallory' };
    expect(verifyEntries(entries)).toMatchObject({
      checked: 2,
      firstBadId: '3',
      reason: expect.stringContaining('content'),
    });
  });

  it('finds a deleted entry at the entry after the gap', () => {
    const entries = stored(5);
    entries.splice(1, 1);
    expect(verifyEntries(entries)).toMatchObject({ checked: 1, firstBadId: '3' });
  });

  it('finds reordered entries', () => {
    const entries = stored(5);
    [entries[1], entries[2]] = [entries[2], entries[1]];
    expect(verifyEntries(entries)).toMatchObject({ firstBadId: '3' });
  });

  it('finds an inserted entry even when its own hash is consistent', () => {
    const entries = stored(4);
    const forged = { ...base, action: 'forged', id: '99', prevHash: entries[1].hash, hash: '' };
    forged.hash = entryHash(forged.prevHash, forged);
    entries.splice(2, 0, forged);
    expect(verifyEntries(entries)).toMatchObject({ checked: 3, firstBadId: '3' });
  });
});
