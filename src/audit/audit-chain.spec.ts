import { createHash } from 'node:crypto';
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

/** The first canonicalJson (entries, comparator, joins): the loop form must write exactly its text. */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => referenceCanonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

describe('canonicalJson against the first form', () => {
  // eslint-disable-next-line no-sparse-arrays
  const holes = [1, , 3];
  const shapes: unknown[] = [
    null,
    undefined,
    0,
    -0,
    1.5e300,
    NaN,
    -Infinity,
    true,
    false,
    '',
    '离石区 <b>&"\'\n\u2028',
    [],
    {},
    holes,
    [undefined, null, NaN, [[]], {}],
    { b: 1, a: undefined, c: [1, { z: null, y: [undefined] }] },
    { B: 1, a: 2, é: 3, aa: 4, '': 5, '10': 6, '9': 7, '\ud83d\ude00': 8, ｚ: 9 },
    { at: new Date('2026-11-28T08:00:00.123Z'), nested: { level: 'RED', counties: ['141102', '141181'] } },
    [
      1,
      '2026-11-28T08:00:00.000Z',
      'SYSTEM',
      null,
      'bench',
      'bench.entry',
      'order',
      '7',
      null,
      null,
      null,
      {},
    ],
  ];

  it.each(shapes.map((s) => [s]))('writes the same text for %p', (shape) => {
    expect(canonicalJson(shape)).toBe(referenceCanonicalJson(shape));
  });

  it('orders keys by UTF-16 code units and leaves holes empty, as the first form did', () => {
    expect(canonicalJson({ b: 1, B: 2, '10': 3, '9': 4, é: 5, a: 6 })).toBe(
      '{"10":3,"9":4,"B":2,"a":6,"b":1,"é":5}',
    );
    expect(canonicalJson(holes)).toBe('[1,,3]');
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

  it('is sha256 of the previous hash, a newline and the canonical array of the fields', () => {
    const canonical =
      '[1,"2026-11-28T08:00:00.000Z","USER","u1","duty","auth.login","user","u1",null,null,"127.0.0.1",' +
      '{"a":{"c":null,"d":[1,"x"]},"b":1}]';
    expect(entryHash(GENESIS_HASH, base)).toBe(
      createHash('sha256').update(`${GENESIS_HASH}\n${canonical}`).digest('hex'),
    );
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
