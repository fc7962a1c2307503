import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type Actor, SYSTEM_ACTOR } from './actor';
import type { AuditAction } from './audit-actions';
import { chain, ChainedFields, GENESIS_HASH, VerifyState } from './audit-chain';
import {
  type AuditRange,
  type AuditRowQuery,
  idBoundaries,
  joinRanges,
  verifyRange,
} from './audit-range.verifier';
import { verifyRangeInWorker } from './audit-verify.workers';
import { anchorMismatch, anchorSignatureProblem, parseAnchorLines, type SignedAnchor } from './anchor.rules';
import { AnchorFileStore, AnchorSigner } from './anchor-signer';
import { redactSecrets } from './redact';

export interface AuditRecord {
  actor: Actor;
  /** Dotted verb, e.g. "auth.login.failed", "alert.approved": one of the catalog's (audit-actions.ts). */
  action: AuditAction;
  subjectType?: string;
  subjectId?: string;
  alertId?: string;
  data?: Record<string, unknown>;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadId?: string;
  reason?: string;
  /** How many heads were published outside the database (the anchor file) and checked against it. */
  publishedAnchors?: number;
}

/** The outcome of comparing published anchors with the database as it is now. */
export interface AnchorCheck {
  ok: boolean;
  checked: number;
  /** The entry a mismatching anchor names, or the anchor's position when it cannot be trusted. */
  entryId?: string;
  reason?: string;
}

/** Entries read per page by verify(): large enough that the round trips do not count, small enough to hold. */
export const VERIFY_PAGE = 10_000;

/**
 * From this many entries verify() splits the log over AUDIT_VERIFY_WORKERS worker threads: below it, starting the
 * workers and their connections costs more than the second core saves.
 */
export const VERIFY_PARALLEL_FROM = 100_000;

interface HeadRow {
  hash: string;
  last_id: string | null;
  entry_count: string;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly signer: AnchorSigner,
    private readonly anchorFile: AnchorFileStore,
    // Optional: the bench and scripts construct the service without the application (and verify in-process).
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  /**
   * Appends entries to the chain inside the caller's transaction: the entries commit or roll back with the
   * business change they record (required, so forgetting it cannot log a change that rolled back). The head
   * row's lock is held until that transaction ends, which serialises appends and keeps the chain linear.
   */
  async record(records: AuditRecord | AuditRecord[], manager: EntityManager): Promise<void> {
    const list = Array.isArray(records) ? records : [records];
    if (list.length === 0) return;
    return this.append(manager, list);
  }

  /**
   * Appends entries that record an event with no change of its own (a refused login, an export, a refusal), in
   * a transaction of their own.
   */
  async recordEvent(records: AuditRecord | AuditRecord[]): Promise<void> {
    const list = Array.isArray(records) ? records : [records];
    if (list.length === 0) return;
    await this.dataSource.transaction((m) => this.append(m, list));
  }

  private async append(m: EntityManager, list: AuditRecord[]): Promise<void> {
    const [head] = await m.query<HeadRow[]>(
      'SELECT hash, last_id, entry_count FROM audit_chain_head WHERE id = 1 FOR UPDATE',
    );
    const occurredAt = this.clock.now();
    const linked = chain(
      head?.hash ?? GENESIS_HASH,
      list.map((r): ChainedFields => ({
        occurredAt,
        actorType: r.actor.type,
        actorId: r.actor.id,
        actorName: r.actor.name,
        action: r.action,
        subjectType: r.subjectType ?? null,
        subjectId: r.subjectId ?? null,
        alertId: r.alertId ?? null,
        requestId: r.actor.requestId ?? null,
        ip: r.actor.ip ?? null,
        data: redactSecrets(r.data ?? {}),
      })),
    );
    // One statement for the whole batch, in chain order (ids are taken under the head lock).
    const inserted = await m.query<Array<{ id: string }>>(
      `INSERT INTO audit_entry (occurred_at, actor_type, actor_id, actor_name, action, subject_type, subject_id,
                                alert_id, request_id, ip, data, prev_hash, hash)
       SELECT u.occurred_at, u.actor_type, u.actor_id, u.actor_name, u.action, u.subject_type, u.subject_id,
              u.alert_id, u.request_id, u.ip, u.data, u.prev_hash, u.hash
         FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::uuid[], $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::text[])
              WITH ORDINALITY AS u(occurred_at, actor_type, actor_id, actor_name, action, subject_type, subject_id,
                                   alert_id, request_id, ip, data, prev_hash, hash, ord)
        ORDER BY u.ord
       RETURNING id`,
      [
        linked.map((e) => e.occurredAt),
        linked.map((e) => e.actorType),
        linked.map((e) => e.actorId),
        linked.map((e) => e.actorName),
        linked.map((e) => e.action),
        linked.map((e) => e.subjectType),
        linked.map((e) => e.subjectId),
        linked.map((e) => e.alertId),
        linked.map((e) => e.requestId),
        linked.map((e) => e.ip),
        linked.map((e) => JSON.stringify(e.data)),
        linked.map((e) => e.prevHash),
        linked.map((e) => e.hash),
      ],
    );
    const lastId = inserted.reduce((max, r) => (BigInt(r.id) > BigInt(max) ? r.id : max), inserted[0].id);
    await m.query(
      'UPDATE audit_chain_head SET hash = $1, last_id = $2, entry_count = entry_count + $3 WHERE id = 1',
      [linked[linked.length - 1].hash, lastId, linked.length],
    );
  }

  /**
   * The chain in id order, in one range on this thread, or (a long log, `workers` > 1, a URL to connect with) in
   * `workers` ranges verified side by side by worker threads, each from the stored hash before it (joinRanges).
   */
  private async verifyChain(pageSize: number, workers: number, parallelFrom: number): Promise<VerifyState> {
    const whole: AuditRange = { afterId: '0', lastId: null, lastHash: GENESIS_HASH };
    const url = (this.dataSource.options as { url?: string }).url;
    const inProcess: AuditRowQuery = (sql, params) => this.dataSource.query(sql, params);
    if (workers <= 1 || !url) return verifyRange(inProcess, whole, pageSize);
    const [{ n, first, last }] = await this.dataSource.query<
      Array<{ n: number; first: string | null; last: string | null }>
    >(
      `SELECT (SELECT entry_count FROM audit_chain_head WHERE id = 1)::int AS n,
              min(id)::text AS first, max(id)::text AS last FROM audit_entry`,
    );
    if (first === null || last === null || (n ?? 0) < parallelFrom)
      return verifyRange(inProcess, whole, pageSize);
    const bounds = idBoundaries(first, last, workers);
    // The stored hash of the last entry at or before each boundary: where the range after it starts.
    const starts = await this.dataSource.query<Array<{ hash: string | null }>>(
      `SELECT (SELECT e.hash FROM audit_entry e WHERE e.id <= b.id ORDER BY e.id DESC LIMIT 1) AS hash
         FROM unnest($1::bigint[]) WITH ORDINALITY AS b(id, n) ORDER BY b.n`,
      [bounds],
    );
    const ranges: AuditRange[] = ['0', ...bounds].map((afterId, i) => ({
      afterId,
      lastId: bounds[i] ?? null,
      lastHash: i === 0 ? GENESIS_HASH : (starts[i - 1].hash ?? GENESIS_HASH),
    }));
    return joinRanges(await Promise.all(ranges.map((r) => verifyRangeInWorker(url, r, pageSize))));
  }

  /**
   * Recomputes the whole chain in id order, page by page, and checks that it ends at the recorded head
   * (so removing entries from the tail is noticed too). `pageSize` is for tests that need many pages.
   */
  async verify({
    pageSize = VERIFY_PAGE,
    workers = this.config?.auditVerifyWorkers ?? 1,
    parallelFrom = VERIFY_PARALLEL_FROM,
  }: { pageSize?: number; workers?: number; parallelFrom?: number } = {}): Promise<VerifyResult> {
    const state = await this.verifyChain(pageSize, workers, parallelFrom);
    if (state.firstBadId) {
      return { ok: false, checked: state.checked, firstBadId: state.firstBadId, reason: state.reason };
    }
    const [head] = await this.dataSource.query<HeadRow[]>(
      'SELECT hash, last_id, entry_count FROM audit_chain_head WHERE id = 1',
    );
    if (head && (head.hash !== state.lastHash || Number(head.entry_count) !== state.checked)) {
      // Entries past the recorded head were written outside the service; fewer than it holds were removed.
      const extra = Number(head.entry_count) < state.checked;
      const [firstExtra] = extra
        ? await this.dataSource.query<Array<{ id: string }>>(
            'SELECT min(id)::text AS id FROM audit_entry WHERE id > $1',
            [head.last_id ?? '0'],
          )
        : [];
      const firstBadId = extra ? firstExtra?.id : (head.last_id ?? undefined);
      return {
        ok: false,
        checked: state.checked,
        ...(firstBadId ? { firstBadId } : {}),
        reason: extra
          ? 'entries were added after the recorded head, outside the service'
          : 'entries at the end of the chain are missing',
      };
    }
    // A tail cut together with a rewritten head verifies as a shorter chain: the anchors still name the
    // entries that were there.
    const [broken] = await this.dataSource.query<Array<{ entry_id: string }>>(
      `SELECT a.entry_id::text AS entry_id FROM audit_anchor a LEFT JOIN audit_entry e ON e.id = a.entry_id
        WHERE e.id IS NULL OR e.hash <> a.entry_hash ORDER BY a.id LIMIT 1`,
    );
    if (broken)
      return {
        ok: false,
        checked: state.checked,
        firstBadId: broken.entry_id,
        reason: 'an anchored entry is missing or changed: the log was cut or rewritten after the anchor',
      };
    // The database's own anchors go with it; the published ones (outside its reach) are the last word.
    const published = await this.checkPublishedAnchors();
    if (!published.ok)
      return {
        ok: false,
        checked: state.checked,
        ...(published.entryId ? { firstBadId: published.entryId } : {}),
        reason: published.reason,
        publishedAnchors: published.checked,
      };
    return { ok: true, checked: state.checked, publishedAnchors: published.checked };
  }

  /** Every head published to the anchor file, compared with the database. */
  async checkPublishedAnchors(): Promise<AnchorCheck> {
    const lines = parseAnchorLines(await this.anchorFile.read());
    const bad = lines.find((l) => l.problem);
    if (bad)
      return {
        ok: false,
        checked: 0,
        reason: `published anchor file, line ${bad.line}: ${bad.problem} / 锚定文件第${bad.line}行无法读取`,
      };
    return this.checkAnchors(lines.map((l) => l.anchor));
  }

  /**
   * Compares signed anchors (from the anchor file, an auditor's mailbox or an earlier evidence bundle) with the
   * database as it is now: each must be signed by this service's key and name an entry that still has its hash.
   */
  async checkAnchors(anchors: unknown[]): Promise<AnchorCheck> {
    const trusted = [this.signer.keyId];
    for (const [i, anchor] of anchors.entries()) {
      const problem = anchorSignatureProblem(anchor, trusted);
      if (problem)
        return {
          ok: false,
          checked: i,
          entryId: undefined,
          reason: `anchor ${i + 1}: ${problem} / 锚定记录无法验证`,
        };
    }
    const signed = anchors as SignedAnchor[];
    if (signed.length === 0) return { ok: true, checked: 0 };
    const rows = await this.dataSource.query<Array<{ id: string; hash: string }>>(
      'SELECT id::text AS id, hash FROM audit_entry WHERE id = ANY($1::bigint[])',
      [[...new Set(signed.map((a) => a.entryId))]],
    );
    const current = new Map(rows.map((r) => [r.id, r]));
    for (const [i, anchor] of signed.entries()) {
      const mismatch = anchorMismatch(anchor, current.get(anchor.entryId));
      if (mismatch)
        return {
          ok: false,
          checked: i,
          entryId: anchor.entryId,
          reason: `${mismatch}: the log was rewritten after ${anchor.anchoredAt} / 审计日志在锚定之后被改写或截断`,
        };
    }
    return { ok: true, checked: signed.length };
  }

  /**
   * Copies the current head into `audit_anchor` and records that it did, so a later cut of the log's tail is
   * noticed even if the head row was rewritten to match. Returns the anchored entry, or null for an empty log.
   */
  async anchor(): Promise<{ entryId: string; entryCount: number; hash: string } | null> {
    return this.dataSource.transaction(async (m) => {
      const [head] = await m.query<HeadRow[]>(
        'SELECT hash, last_id, entry_count FROM audit_chain_head WHERE id = 1 FOR UPDATE',
      );
      if (!head?.last_id) return null;
      await m.query(
        'INSERT INTO audit_anchor (anchored_at, entry_id, entry_hash, entry_count) VALUES ($1, $2, $3, $4)',
        [this.clock.now(), head.last_id, head.hash, head.entry_count],
      );
      const anchored = { entryId: String(head.last_id), entryCount: Number(head.entry_count) };
      await this.record(
        {
          actor: SYSTEM_ACTOR,
          action: 'audit.anchored',
          subjectType: 'audit_entry',
          subjectId: anchored.entryId,
          data: { ...anchored, headSha256: head.hash },
        },
        m,
      );
      return { ...anchored, hash: head.hash };
    });
  }
}
