import { createHash } from 'node:crypto';

/** The previous-hash of the first entry in the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an audit entry's hash covers, in a fixed order. */
export interface ChainedFields {
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  alertId: string | null;
  requestId: string | null;
  ip: string | null;
  data: unknown;
}

/**
 * JSON with object keys sorted at every level, so the same value always gives the same text,
 * whatever order jsonb hands the keys back in. Written as plain loops and string appends (no entries arrays,
 * comparator or joins): verification canonicalises every entry of the log, and this was its largest cost.
 * The text is exactly the earlier Object.entries/sort/join form's (audit-chain.spec.ts compares the two).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole stays empty text, as Array.prototype.map followed by join wrote it.
      if (i in value) out += canonicalJson(value[i]);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  // The default sort orders strings by UTF-16 code units, as the `<` comparison did; keys are unique.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    out += JSON.stringify(key) + ':' + canonicalJson(member);
    first = false;
  }
  return out + '}';
}

/** sha256(previous hash + "\n" + canonical form of the entry), hex. */
export function entryHash(prevHash: string, entry: ChainedFields): string {
  const canonical = canonicalJson([
    1,
    entry.occurredAt.toISOString(),
    entry.actorType,
    entry.actorId,
    entry.actorName,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.alertId,
    entry.requestId,
    entry.ip,
    entry.data ?? {},
  ]);
  // One update of the joined text: the same digest as three updates, with fewer calls into the hash.
  return createHash('sha256')
    .update(prevHash + '\n' + canonical)
    .digest('hex');
}

/** Links a batch onto the chain: returns each entry's prevHash and hash. */
export function chain<T extends ChainedFields>(
  headHash: string,
  entries: T[],
): Array<T & { prevHash: string; hash: string }> {
  let prev = headHash;
  return entries.map((entry) => {
    const hash = entryHash(prev, entry);
    const linked = { ...entry, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
}

export interface StoredEntry extends ChainedFields {
  id: string;
  prevHash: string;
  hash: string;
}

export interface VerifyState {
  checked: number;
  lastHash: string;
  firstBadId?: string;
  reason?: string;
}

/**
 * Checks entries in id order, continuing from `state` (so a long log can be streamed in pages).
 * Stops at the first entry that does not link to its predecessor or whose content no longer matches its hash.
 */
export function verifyEntries(
  entries: StoredEntry[],
  state: VerifyState = { checked: 0, lastHash: GENESIS_HASH },
): VerifyState {
  if (state.firstBadId) return state;
  let { checked, lastHash } = state;
  for (const entry of entries) {
    if (entry.prevHash !== lastHash) {
      return {
        checked,
        lastHash,
        firstBadId: entry.id,
        reason: 'chain broken: previous hash does not match',
      };
    }
    if (entryHash(entry.prevHash, entry) !== entry.hash) {
      return { checked, lastHash, firstBadId: entry.id, reason: 'content does not match its hash' };
    }
    lastHash = entry.hash;
    checked++;
  }
  return { checked, lastHash };
}

/** An audit_entry row as PostgreSQL returns it (snake_case columns). */
export interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  alert_id: string | null;
  request_id: string | null;
  ip: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

/** An audit_entry row as the chain reads it. */
export function storedEntryOf(r: AuditRow): StoredEntry {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    alertId: r.alert_id,
    requestId: r.request_id,
    ip: r.ip,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
