import { generateKeyPairSync } from 'node:crypto';
import {
  anchorMismatch,
  anchorSignatureProblem,
  keyIdOf,
  parseAnchorLines,
  signAnchor,
} from './anchor.rules';

const keyOf = () => {
  const pair = generateKeyPairSync('ed25519');
  return {
    privateKey: pair.privateKey,
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const KEY = keyOf();
const HEAD = { entryId: '42', entryCount: '42', hash: 'a'.repeat(64) };
const META = { anchoredAt: new Date('2026-12-01T00:10:00+08:00'), reason: 'daily' as const };

describe('signed audit anchors', () => {
  it('verify with the key that signed them, and name it', () => {
    const anchor = signAnchor(KEY, HEAD, META);
    expect(anchor).toMatchObject({
      ...HEAD,
      format: 'haze-audit-anchor/1',
      alertId: null,
      keyId: keyIdOf(KEY.publicKeyPem),
    });
    expect(anchorSignatureProblem(anchor)).toBeNull();
    expect(anchorSignatureProblem(anchor, [anchor.keyId])).toBeNull();
  });

  it('refuse any field changed after signing', () => {
    const anchor = signAnchor(KEY, HEAD, { ...META, alertId: '3f1e6d2a-5b7c-4d8e-9f01-23456789abcd' });
    for (const change of [
      { hash: 'b'.repeat(64) },
      { entryId: '41' },
      { entryCount: '40' },
      { anchoredAt: '2026-12-02T00:00:00.000Z' },
      { reason: 'evidence' },
      { alertId: null },
    ]) {
      expect(anchorSignatureProblem({ ...anchor, ...change })).toBe('anchor signature does not verify');
    }
  });

  it('refuse another key than the trusted one, a key id that is not the key, and things that are not anchors', () => {
    const other = signAnchor(keyOf(), HEAD, META);
    expect(anchorSignatureProblem(other, [keyIdOf(KEY.publicKeyPem)])).toMatch(/unknown key/);
    const anchor = signAnchor(KEY, HEAD, META);
    expect(anchorSignatureProblem({ ...anchor, publicKey: other.publicKey })).toMatch(
      /key id does not match/,
    );
    expect(anchorSignatureProblem({ ...anchor, publicKey: 'not a key' })).toMatch(/public key is not valid/);
    expect(anchorSignatureProblem({ ...anchor, entryId: 'x' })).toMatch(/no valid entry/);
    expect(anchorSignatureProblem({ ...anchor, signature: undefined })).toMatch(/signature missing/);
    expect(anchorSignatureProblem(null)).toBe('not an audit anchor');
    expect(anchorSignatureProblem({ format: 'other' })).toBe('not an audit anchor');
  });

  it('compare with the entry the database holds now', () => {
    expect(anchorMismatch(HEAD, { id: '42', hash: HEAD.hash })).toBeNull();
    expect(anchorMismatch(HEAD, { id: '42', hash: 'c'.repeat(64) })).toMatch(/no longer has the hash/);
    expect(anchorMismatch(HEAD, undefined)).toMatch(/is missing/);
  });

  it('read the anchor file line by line, reporting a line that is not JSON', () => {
    const anchor = signAnchor(KEY, HEAD, META);
    const lines = parseAnchorLines(`${JSON.stringify(anchor)}\n\n{broken\n`);
    expect(lines).toEqual([
      { line: 1, anchor },
      { line: 3, problem: 'line is not valid JSON' },
    ]);
  });
});
