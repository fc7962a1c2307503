import { createHash, createPublicKey, type KeyObject, sign, verify as verifySignature } from 'node:crypto';

/**
 * A signed copy of the audit chain's head, published where the database cannot reach it (a file under the
 * data directory, the auditors' mailbox, every evidence bundle). Whoever later controls the database can
 * recompute every hash of a rewritten log, but cannot make an earlier published head match it again, nor
 * sign a new one without the key, which is not in the database.
 */
export const ANCHOR_FORMAT = 'haze-audit-anchor/1';

export type AnchorReason = 'daily' | 'alert.released' | 'evidence';

/** Why a head was published, for people (the digest mail, the audit page's summary). */
export const ANCHOR_REASON_NAMES: Record<AnchorReason, string> = {
  daily: '每日锚定',
  'alert.released': '预警发布',
  evidence: '证据包导出',
};

export interface AnchorHead {
  /** The last entry's id (its seq in the chain). */
  entryId: string;
  entryCount: string;
  hash: string;
}

export interface SignedAnchor extends AnchorHead {
  format: typeof ANCHOR_FORMAT;
  anchoredAt: string;
  reason: AnchorReason;
  alertId: string | null;
  /**
   * An evidence bundle's anchor also signs the SHA-256 of the bundle's manifest.json (which lists the SHA-256 of
   * every other file), so no file of the bundle can change without the signature failing. Absent elsewhere.
   */
  manifestSha256?: string;
  /** sha256 of the public key (DER), first 16 hex digits: names the key that signed. */
  keyId: string;
  /** Ed25519 public key, PEM (SPKI). */
  publicKey: string;
  /** Ed25519 signature of anchorPayload(), base64. */
  signature: string;
}

/** The exact bytes that are signed: every field that matters, one per line, in a fixed order. */
export function anchorPayload(a: Omit<SignedAnchor, 'signature' | 'publicKey' | 'keyId'>): string {
  const lines = [a.format, a.entryId, a.entryCount, a.hash, a.anchoredAt, a.reason, a.alertId ?? ''];
  // Only when present, so every anchor signed before manifests existed still verifies.
  if (a.manifestSha256 !== undefined) lines.push(a.manifestSha256);
  return lines.join('\n');
}

/** Signs a head with the service's key: what the anchor file, the digest mail and evidence bundles carry. */
export function signAnchor(
  key: { privateKey: KeyObject; publicKeyPem: string },
  head: AnchorHead,
  meta: { anchoredAt: Date; reason: AnchorReason; alertId?: string | null; manifestSha256?: string },
): SignedAnchor {
  const unsigned = {
    format: ANCHOR_FORMAT,
    entryId: head.entryId,
    entryCount: head.entryCount,
    hash: head.hash,
    anchoredAt: meta.anchoredAt.toISOString(),
    reason: meta.reason,
    alertId: meta.alertId ?? null,
    ...(meta.manifestSha256 !== undefined ? { manifestSha256: meta.manifestSha256 } : {}),
  } as const;
  const signature = sign(null, Buffer.from(anchorPayload(unsigned)), key.privateKey).toString('base64');
  return { ...unsigned, keyId: keyIdOf(key.publicKeyPem), publicKey: key.publicKeyPem, signature };
}

export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Why an anchor cannot be trusted (bad shape, wrong key, bad signature), or null when it can. */
export function anchorSignatureProblem(value: unknown, trustedKeyIds?: string[]): string | null {
  const a = value as Partial<SignedAnchor> | null;
  if (!a || typeof a !== 'object' || a.format !== ANCHOR_FORMAT) return 'not an audit anchor';
  for (const field of [
    'entryId',
    'entryCount',
    'hash',
    'anchoredAt',
    'reason',
    'publicKey',
    'signature',
  ] as const) {
    if (typeof a[field] !== 'string') return `anchor field ${field} missing`;
  }
  if (!/^\d+$/.test(a.entryId!) || !/^[0-9a-f]{64}$/.test(a.hash!)) return 'anchor names no valid entry';
  if (a.manifestSha256 !== undefined && !/^[0-9a-f]{64}$/.test(a.manifestSha256))
    return 'anchor names no valid manifest digest';
  let keyId: string;
  try {
    keyId = keyIdOf(a.publicKey!);
  } catch {
    return 'anchor public key is not valid';
  }
  if (a.keyId !== keyId) return 'anchor key id does not match its public key';
  if (trustedKeyIds && !trustedKeyIds.includes(keyId)) return `anchor signed by an unknown key ${keyId}`;
  const ok = verifySignature(
    null,
    Buffer.from(anchorPayload({ ...(a as SignedAnchor), alertId: a.alertId ?? null })),
    a.publicKey!,
    Buffer.from(a.signature!, 'base64'),
  );
  return ok ? null : 'anchor signature does not verify';
}

/** An anchored entry as the database holds it now (undefined: the entry is gone). */
export interface CurrentEntry {
  id: string;
  hash: string;
}

/** Compares a published anchor with the database: null when the database still holds that entry unchanged. */
export function anchorMismatch(anchor: AnchorHead, current: CurrentEntry | undefined): string | null {
  if (!current) return `entry #${anchor.entryId} named by a published anchor is missing`;
  if (current.hash !== anchor.hash)
    return `entry #${anchor.entryId} no longer has the hash it was published with`;
  return null;
}

/** Reads the anchor file (JSON lines); a line that does not parse is reported, not skipped. */
export interface AnchorLine {
  line: number;
  anchor?: SignedAnchor;
  problem?: string;
}

export function parseAnchorLines(text: string): AnchorLine[] {
  return text.split('\n').flatMap((raw, i): AnchorLine[] => {
    if (raw.trim() === '') return [];
    try {
      return [{ line: i + 1, anchor: JSON.parse(raw) as SignedAnchor }];
    } catch {
      return [{ line: i + 1, problem: 'line is not valid JSON' }];
    }
  });
}
