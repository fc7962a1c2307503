import { type AuditRow, storedEntryOf, verifyEntries, type VerifyState } from './audit-chain';

/** Runs one read of the audit log (the service's DataSource, or a verification worker's own connection). */
export type AuditRowQuery = (sql: string, params: unknown[]) => Promise<AuditRow[]>;

/** A stretch of the log in id order: the entries with `afterId` < id ≤ `lastId` (no upper end when null). */
export interface AuditRange {
  afterId: string;
  lastId: string | null;
  /** The stored hash of the entry just before the range (GENESIS_HASH before the first). */
  lastHash: string;
}

/**
 * verifyEntries over one range, page by page: the next page is read while this one is hashed, so the database and
 * the hashing overlap. Stops at the first entry that does not link or whose content no longer matches its hash.
 */
export async function verifyRange(
  query: AuditRowQuery,
  range: AuditRange,
  pageSize: number,
): Promise<VerifyState> {
  let state: VerifyState = { checked: 0, lastHash: range.lastHash };
  const page = (afterId: string) =>
    query(
      `SELECT id, occurred_at, actor_type, actor_id, actor_name, action, subject_type, subject_id, alert_id,
              request_id, ip, data, prev_hash, hash
         FROM audit_entry WHERE id > $1 AND ($2::bigint IS NULL OR id <= $2::bigint) ORDER BY id LIMIT $3`,
      [afterId, range.lastId, pageSize],
    );
  let next = page(range.afterId);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    next = rows.length === pageSize ? page(rows[rows.length - 1].id) : Promise.resolve([]);
    state = verifyEntries(rows.map(storedEntryOf), state);
    if (state.firstBadId) {
      await next.catch(() => undefined);
      break;
    }
  }
  return state;
}

/**
 * The ranges' results joined as one verification in id order would have found: the entries checked before the first
 * failure (every range before it whole, then the failing range's own count), or all of them and the last hash.
 * Each range started from the stored hash before it, so the joint is checked too: a rewritten hash there fails the
 * earlier range (its content no longer matches), which comes first.
 */
export function joinRanges(results: VerifyState[]): VerifyState {
  let checked = 0;
  for (const r of results) {
    checked += r.checked;
    if (r.firstBadId) return { checked, lastHash: r.lastHash, firstBadId: r.firstBadId, reason: r.reason };
  }
  return { checked, lastHash: results[results.length - 1].lastHash };
}

/**
 * `parts` ranges of about equal id span between the log's first and last ids (ids come from one sequence, so spans
 * hold about as many entries); the last is open-ended, so entries appended meanwhile are read too.
 */
export function idBoundaries(firstId: string, lastId: string, parts: number): string[] {
  const first = BigInt(firstId) - 1n;
  const span = BigInt(lastId) - first;
  const out: string[] = [];
  for (let k = 1; k < parts; k++) {
    const b = first + (span * BigInt(k)) / BigInt(parts);
    // No empty range: each boundary past the one before (or the first id's predecessor).
    if (b > (out.length ? BigInt(out[out.length - 1]) : first)) out.push(b.toString());
  }
  return out;
}
