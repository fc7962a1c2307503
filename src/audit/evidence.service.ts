import { Injectable, Logger } from '@nestjs/common';
import archiver from 'archiver';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type Writable } from 'node:stream';
import { finished as streamFinished } from 'node:stream/promises';
import { DataSource, type QueryRunner } from 'typeorm';
import { Alert, AlertChange, AlertRevision } from '../alerts/alert.entity';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { projectRoot } from '../common/paths';
import { shanghaiTimestamp } from '../common/time';
import { escapeCell } from '../common/spreadsheet-safety';
import type { Actor } from './actor';
import { GENESIS_HASH } from './audit-chain';
import { AnchorSigner } from './anchor-signer';
import { AuditService } from './audit.service';
import {
  type AuditRow,
  CHAIN_PROOF_END,
  type ChainHead,
  type ChainLink,
  chainLinkLine,
  chainProofStart,
  EVIDENCE_FORMAT,
  evidenceFileName,
  evidenceLine,
  manifestJson,
} from './evidence.rules';

/** A warning's evidence, opened on one database snapshot; `write` streams the zip and ends the snapshot. */
export interface EvidenceBundle {
  alertCode: string;
  fileName: string;
  /** The Chinese name offered to browsers (Content-Disposition filename*). */
  displayName: string;
  write(out: Writable): Promise<void>;
}

interface Snapshot {
  qr: QueryRunner;
  alert: Alert;
  head: ChainHead;
  firstSeq: string | null;
  generatedAt: Date;
  exportedBy: string;
  actor: Actor;
}

const PAGE = 1000;
const TEMPLATE_DIR = () => path.join(projectRoot(), 'templates', 'evidence');

const ORDER_COLUMNS = [
  ['orderId', '指令编号'],
  ['revisionSeq', '修订序号'],
  ['revisionKind', '修订类型'],
  ['documentNumber', '通知文号'],
  ['enterpriseId', '企业ID'],
  ['enterpriseName', '企业名称'],
  ['creditCode', '统一社会信用代码'],
  ['countyCode', '区县代码'],
  ['countyName', '区县'],
  ['industry', '行业'],
  ['grade', '绩效等级'],
  ['level', '预警级别'],
  ['noticeType', '通知类型'],
  ['state', '状态'],
  ['problem', '问题'],
  ['recipients', '收件人'],
  ['effectiveAt', '生效时间'],
  ['receiptDueAt', '签收截止'],
  ['reportDueAt', '报告截止'],
  ['receivedAt', '签收时间'],
  ['receivedByName', '签收人'],
  ['receivedByPhone', '签收人电话'],
  ['executedAt', '落实报告时间'],
  ['measuresInPlaceAt', '措施到位时间'],
  ['reportedByName', '报告人'],
  ['reportedByPhone', '报告人电话'],
  ['reportNote', '备注'],
  ['supersedesOrderId', '所替代的指令'],
  ['createdAt', '创建时间'],
  ['measures', '措施(JSON)'],
] as const;

/**
 * Times people read (orders.csv, the JSON files, README): Beijing time with +08:00, to the second. The hashed and
 * signed parts (audit-entries.jsonl, chain-proof.json, anchor.json) keep the exact UTC the hash covers.
 */
const iso = (v: Date | string | null | undefined): string => shanghaiTimestamp(v);
/** JSON.stringify's replacer sees a Date already as its UTC string; the holder still has the Date. */
function beijingDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  return this[key] instanceof Date ? iso(this[key]) : value;
}

/**
 * The evidence bundle of one warning (证据包): what auditors take away to check without the service. Every
 * file is read from one REPEATABLE READ snapshot through server-side cursors and streamed into the zip as
 * it is read, so a warning of 10,000 enterprises never sits in memory; the audit part stops at the chain
 * head read in that snapshot, so the entries, the proof and the head agree.
 */
/**
 * The audit entries of one row of a bundle file, as a jsonb array (seq, action, time, actor type, address, and the
 * entry's data or its hash), among the warning's entries up to the bundle's head (`$1` the warning, `$2` the head).
 */
function auditRecordsSql(condition: string, field: 'data' | 'hash'): string {
  return `COALESCE((SELECT jsonb_agg(jsonb_build_object('seq', a.id::text, 'action', a.action, 'at', a.occurred_at,
                                                        'actorType', a.actor_type, 'ip', a.ip, '${field}', a.${field})
                                     ORDER BY a.id)
                      FROM audit_entry a
                     WHERE ${condition} AND a.alert_id = $1 AND a.id <= $2),
                   '[]'::jsonb)`;
}

@Injectable()
export class EvidenceService {
  private readonly logger = new Logger(EvidenceService.name);
  private cursorSerial = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly signer: AnchorSigner,
  ) {}

  /** 404 for an unknown warning; records `evidence.exported` (with the head the bundle is cut at) before any byte is sent. */
  async open(alertId: string, actor: Actor): Promise<EvidenceBundle> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction('REPEATABLE READ');
      await qr.query('SET TRANSACTION READ ONLY');
      const alert = await qr.manager.findOneBy(Alert, { id: alertId });
      if (!alert) throw DomainError.notFound('预警');
      const [row] = await qr.manager.query<
        Array<{ last_id: string | null; hash: string; entry_count: string }>
      >(
        'SELECT last_id::text AS last_id, hash, entry_count::text AS entry_count FROM audit_chain_head WHERE id = 1',
      );
      const head: ChainHead = {
        seq: row?.last_id ?? '0',
        hash: row?.hash ?? GENESIS_HASH,
        entryCount: row?.entry_count ?? '0',
      };
      const [first] = await qr.manager.query<Array<{ seq: string | null }>>(
        'SELECT min(id)::text AS seq FROM audit_entry WHERE alert_id = $1 AND id <= $2',
        [alertId, head.seq],
      );
      const snapshot: Snapshot = {
        qr,
        alert,
        head,
        firstSeq: first?.seq ?? null,
        generatedAt: this.clock.now(),
        exportedBy: actor.name ?? '',
        actor,
      };
      // Outside the snapshot (it is read-only): this entry lands after the head, and the next export carries it.
      // (`sha256`, not `hash`: members named like secrets are redacted.)
      await this.audit.recordEvent({
        actor,
        action: 'evidence.exported',
        subjectType: 'alert',
        subjectId: alert.id,
        alertId: alert.id,
        data: {
          code: alert.code,
          chainHead: { seq: head.seq, sha256: head.hash },
          fromSeq: snapshot.firstSeq,
        },
      });
      return {
        alertCode: alert.code,
        fileName: evidenceFileName(alert.code),
        displayName: `预警${alert.code}证据包.zip`,
        write: (out) => this.write(snapshot, out),
      };
    } catch (e) {
      await this.end(qr);
      throw e;
    }
  }

  private async write(s: Snapshot, out: Writable): Promise<void> {
    const archive = archiver('zip', { zlib: { level: 6 } });
    const sources: Readable[] = [];
    // A file's source failing (a query of the snapshot, a hash) ends the download: the zip itself does not report it.
    let fail: (e: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => undefined); // raced below
    const text = (source: AsyncIterable<string>): Readable => {
      const stream = Readable.from(source, { objectMode: false });
      stream.on('error', (e) => fail(e));
      sources.push(stream);
      return stream;
    };
    archive.on('error', () => undefined); // reported through finalize()
    const date = s.generatedAt;
    const gone = new Promise<never>((_, reject) => {
      out.once('close', () => reject(new Error('client closed the connection before the end')));
      out.once('error', reject);
    });
    gone.catch(() => undefined); // raced below; a close after the end is expected
    try {
      // The response ends only once the snapshot is released: a client holding the whole zip holds no connection.
      archive.pipe(out, { end: false });
      const drained = new Promise<void>((resolve) => archive.once('end', resolve));
      const [readme, verifier] = await Promise.all([
        readFile(path.join(TEMPLATE_DIR(), 'README.txt'), 'utf8'),
        readFile(path.join(TEMPLATE_DIR(), 'verify.mjs')),
      ]);
      // Every file is hashed as it streams into the zip; manifest.json lists the digests, and anchor.json signs the
      // manifest's, so a change to any file of the bundle fails verification (verify.mjs).
      const listed: Array<{ name: string; hash: Hash; bytes: number; done: Promise<void> }> = [];
      const add = (name: string, content: string | Buffer | Readable) => {
        const entry = { name, hash: createHash('sha256'), bytes: 0, done: Promise.resolve() };
        listed.push(entry);
        if (!(content instanceof Readable)) {
          const bytes = Buffer.from(content);
          entry.hash.update(bytes);
          entry.bytes = bytes.length;
          archive.append(bytes, { name, date });
          return;
        }
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            entry.hash.update(chunk);
            entry.bytes += chunk.length;
            callback(null, chunk);
          },
        });
        tap.on('error', (e) => fail(e));
        content.on('error', (e) => tap.destroy(e));
        sources.push(tap);
        entry.done = streamFinished(tap);
        entry.done.catch(() => undefined);
        archive.append(content.pipe(tap), { name, date });
      };
      add('README.txt', this.readme(readme, s));
      add('verify.mjs', verifier);
      add('alert.json', text(this.alertJson(s)));
      add('orders.csv', text(this.ordersCsv(s)));
      add('deliveries.json', text(this.deliveriesJson(s)));
      add('acknowledgements.json', text(this.acknowledgementsJson(s)));
      add('party-receipts.json', text(this.partyReceiptsJson(s)));
      add('follow-ups.json', text(this.followUpsJson(s)));
      add('inspections.json', text(this.inspectionsJson(s)));
      add('discrepancies.json', text(this.discrepanciesJson(s)));
      add('audit-entries.jsonl', text(this.auditEntries(s)));
      add('chain-proof.json', text(this.chainProof(s)));
      // The manifest is made once every file above has streamed through its hash (the zip reads them in order).
      const manifest = (async () => {
        await Promise.all(listed.map((f) => f.done));
        const json = manifestJson({
          alertId: s.alert.id,
          alertCode: s.alert.code,
          generatedAt: s.generatedAt,
          head: s.head,
          files: listed.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.hash.digest('hex') })),
        });
        return { json, sha256: createHash('sha256').update(json).digest('hex') };
      })();
      manifest.catch(() => undefined); // its readers below report a failure
      async function* manifestFile(): AsyncGenerator<string> {
        yield (await manifest).json;
      }
      archive.append(text(manifestFile()), { name: 'manifest.json', date });
      // The bundle's head and its manifest's digest, signed with a key the database does not hold: kept by the
      // auditor, it shows a later rewrite of the log (verify.mjs --against a later bundle, or POST
      // /api/audit/anchors/check). The digest also goes into the chain, where a later bundle carries it.
      const anchorFile = async function* (this: EvidenceService): AsyncGenerator<string> {
        const { sha256: manifestSha256 } = await manifest;
        const signed = this.signer.sign(
          { entryId: s.head.seq, entryCount: s.head.entryCount, hash: s.head.hash },
          { anchoredAt: s.generatedAt, reason: 'evidence', alertId: s.alert.id, manifestSha256 },
        );
        await this.audit.recordEvent({
          actor: s.actor,
          action: 'evidence.manifest',
          subjectType: 'alert',
          subjectId: s.alert.id,
          alertId: s.alert.id,
          data: { code: s.alert.code, manifestSha256, chainHead: { seq: s.head.seq, sha256: s.head.hash } },
        });
        yield `${JSON.stringify(signed, null, 2)}\n`;
      };
      archive.append(text(anchorFile.call(this)), { name: 'anchor.json', date });
      await Promise.race([Promise.all([archive.finalize(), drained]), gone, failed]);
      await this.end(s.qr);
      const finished = new Promise<void>((resolve) => out.once('finish', resolve));
      out.end();
      await Promise.race([finished, gone]);
    } catch (e) {
      // Headers are gone: a cut connection is the only honest signal left (never a short zip that looks whole).
      archive.abort();
      for (const source of sources) source.destroy();
      out.destroy();
      this.logger.warn(`evidence bundle of ${s.alert.code} not completed: ${(e as Error).message}`);
    } finally {
      await this.end(s.qr).catch((e: Error) =>
        this.logger.error(`evidence snapshot not released: ${e.message}`),
      );
    }
  }

  private async end(qr: QueryRunner): Promise<void> {
    if (qr.isReleased) return;
    try {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
    } finally {
      await qr.release();
    }
  }

  /** Rows of a query, a page at a time, through a cursor of the snapshot's transaction. */
  private async *cursor<T>(qr: QueryRunner, sql: string, params: unknown[]): AsyncGenerator<T[]> {
    const name = `evidence_cursor_${++this.cursorSerial}`;
    await qr.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows = await qr.manager.query<T[]>(`FETCH FORWARD ${PAGE} FROM ${name}`);
      if (rows.length) yield rows;
      if (rows.length < PAGE) break;
    }
    await qr.query(`CLOSE ${name}`);
  }

  /** A JSON array written item by item. */
  private async *jsonArray<T>(pages: AsyncIterable<T[]>, map: (row: T) => unknown): AsyncGenerator<string> {
    let first = true;
    yield '[';
    for await (const rows of pages) {
      for (const row of rows) {
        yield `${first ? '\n  ' : ',\n  '}${JSON.stringify(map(row), null, 2).replace(/\n/g, '\n  ')}`;
        first = false;
      }
    }
    yield first ? ']\n' : '\n]\n';
  }

  private readme(template: string, s: Snapshot): string {
    const values: Record<string, string> = {
      alertCode: s.alert.code,
      alertId: s.alert.id,
      generatedAt: iso(s.generatedAt),
      exportedBy: s.exportedBy,
      headSeq: s.head.seq,
      headHash: s.head.hash,
    };
    return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
  }

  private async *alertJson(s: Snapshot): AsyncGenerator<string> {
    const m = s.qr.manager;
    const revisions = await m.find(AlertRevision, { where: { alertId: s.alert.id }, order: { seq: 'ASC' } });
    const changes = await m.find(AlertChange, {
      where: { alertId: s.alert.id },
      order: { proposedAt: 'ASC', id: 'ASC' },
    });
    yield `${JSON.stringify({ format: EVIDENCE_FORMAT, alert: s.alert, revisions, changes }, beijingDates, 2)}\n`;
  }

  /** orders.csv: UTF-8 with BOM for Excel, formula-looking text escaped, a page of rows per chunk. */
  private async *ordersCsv(s: Snapshot): AsyncGenerator<string> {
    const columns = ORDER_COLUMNS.map(([key, header]) => ({ key, header: `${header} ${key}` }));
    yield stringifySync([], { bom: true, header: true, columns });
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT o.id, r.seq, r.kind, r.document_number, o.enterprise_id, e.name, e.credit_code, o.county_code, c.name AS county_name,
              e.industry_code, e.grade, o.level, o.notice_type, o.state, o.problem, o.recipients, o.effective_at,
              o.receipt_due_at, o.report_due_at, o.received_at, o.executed_at, o.measures_in_place_at, o.report_note,
              o.received_by_name, o.received_by_phone, o.reported_by_name, o.reported_by_phone,
              o.supersedes_order_id, o.created_at, o.measures
         FROM reduction_order o
         JOIN enterprise e ON e.id = o.enterprise_id
         JOIN alert_revision r ON r.id = o.revision_id
         LEFT JOIN county c ON c.code = o.county_code
        WHERE o.alert_id = $1
        ORDER BY r.seq, o.county_code, e.name, o.id`,
      [s.alert.id],
    );
    const text = (v: unknown) => escapeCell(typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v));
    for await (const page of pages) {
      const rows = page.map((r) => ({
        orderId: r.id,
        revisionSeq: r.seq,
        revisionKind: r.kind,
        documentNumber: text(r.document_number),
        enterpriseId: r.enterprise_id,
        enterpriseName: text(r.name),
        creditCode: text(r.credit_code),
        countyCode: r.county_code,
        countyName: text(r.county_name),
        industry: text(r.industry_code),
        grade: r.grade,
        level: r.level,
        noticeType: r.notice_type,
        state: r.state,
        problem: r.problem ?? '',
        recipients: text((r.recipients as string[]).join(';')),
        effectiveAt: iso(r.effective_at as Date),
        receiptDueAt: iso(r.receipt_due_at as Date | null),
        reportDueAt: iso(r.report_due_at as Date | null),
        receivedAt: iso(r.received_at as Date | null),
        receivedByName: text(r.received_by_name),
        receivedByPhone: text(r.received_by_phone),
        executedAt: iso(r.executed_at as Date | null),
        measuresInPlaceAt: iso(r.measures_in_place_at as Date | null),
        reportedByName: text(r.reported_by_name),
        reportedByPhone: text(r.reported_by_phone),
        reportNote: text(r.report_note),
        supersedesOrderId: r.supersedes_order_id ?? '',
        createdAt: iso(r.created_at as Date),
        measures: text(r.measures),
      }));
      yield stringifySync(rows, { columns });
    }
  }

  private deliveriesJson(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT m.id, m.order_id, o.enterprise_id, m.kind, m.recipients, m.context, m.state, m.attempts, m.next_attempt_at,
              m.lease_until, m.last_error, m.sent_at, m.created_at, m.updated_at,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('id', h.id::text, 'fromState', h.from_state, 'toState', h.to_state,
                                                            'attempt', h.attempt, 'detail', h.detail, 'at', h.at) ORDER BY h.id)
                          FROM outbox_message_history h WHERE h.message_id = m.id), '[]'::jsonb) AS history
         FROM outbox_message m LEFT JOIN reduction_order o ON o.id = m.order_id
        WHERE m.alert_id = $1 OR o.alert_id = $1
        ORDER BY m.created_at, m.id`,
      [s.alert.id],
    );
    return this.jsonArray(pages, (r) => ({
      messageId: r.id,
      orderId: r.order_id,
      enterpriseId: r.enterprise_id,
      kind: r.kind,
      recipients: r.recipients,
      context: r.context,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: iso(r.next_attempt_at as Date) || null,
      leaseUntil: iso(r.lease_until as Date | null) || null,
      lastError: r.last_error,
      sentAt: iso(r.sent_at as Date | null) || null,
      createdAt: iso(r.created_at as Date),
      updatedAt: iso(r.updated_at as Date),
      history: (r.history as Array<Record<string, unknown>>).map((h) => ({ ...h, at: iso(h.at as string) })),
    }));
  }

  private acknowledgementsJson(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT o.id, o.revision_id, o.enterprise_id, e.name, e.credit_code, o.county_code, o.level, o.state,
              o.receipt_due_at, o.report_due_at, o.received_at, o.executed_at, o.measures_in_place_at, o.report_note,
              o.received_by_name, o.received_by_phone, o.reported_by_name, o.reported_by_phone,
              ${auditRecordsSql(`a.subject_type = 'order' AND a.subject_id = o.id::text`, 'data')} AS records
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.alert_id = $1 AND (o.received_at IS NOT NULL OR o.executed_at IS NOT NULL)
        ORDER BY o.received_at, o.id`,
      [s.alert.id, s.head.seq],
    );
    return this.jsonArray(pages, (r) => ({
      orderId: r.id,
      revisionId: r.revision_id,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.name,
      creditCode: r.credit_code,
      countyCode: r.county_code,
      level: r.level,
      state: r.state,
      receiptDueAt: iso(r.receipt_due_at as Date | null) || null,
      reportDueAt: iso(r.report_due_at as Date | null) || null,
      receivedAt: iso(r.received_at as Date | null) || null,
      executedAt: iso(r.executed_at as Date | null) || null,
      measuresInPlaceAt: iso(r.measures_in_place_at as Date | null) || null,
      reportNote: r.report_note,
      receivedBy: r.received_by_name ? { name: r.received_by_name, phone: r.received_by_phone } : null,
      reportedBy: r.reported_by_name ? { name: r.reported_by_name, phone: r.reported_by_phone } : null,
      records: (r.records as Array<Record<string, unknown>>).map((a) => ({ ...a, at: iso(a.at as string) })),
    }));
  }

  /** The county bureaus' and departments' notices of the warning: who was told, when, and who signed for it. */
  private partyReceiptsJson(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT p.id, p.revision_id, r.seq, p.notice_kind, p.party_kind, p.party_code, p.party_name, p.level, p.state,
              p.recipients, p.sent_at, p.receipt_due_at, p.received_at, p.signer_name, p.signer_phone, p.reminded_at,
              ${auditRecordsSql(`a.subject_type = 'party_notice' AND a.subject_id = p.id::text`, 'data')} AS records
         FROM party_notice p LEFT JOIN alert_revision r ON r.id = p.revision_id
        WHERE p.alert_id = $1
        ORDER BY p.created_at, p.id`,
      [s.alert.id, s.head.seq],
    );
    return this.jsonArray(pages, (r) => ({
      partyNoticeId: r.id,
      revisionId: r.revision_id,
      revisionSeq: r.seq,
      noticeKind: r.notice_kind,
      partyKind: r.party_kind,
      partyCode: r.party_code,
      partyName: r.party_name,
      level: r.level,
      state: r.state,
      recipients: r.recipients,
      sentAt: iso(r.sent_at as Date | null) || null,
      receiptDueAt: iso(r.receipt_due_at as Date | null) || null,
      receivedAt: iso(r.received_at as Date | null) || null,
      signer: r.signer_name ? { name: r.signer_name, phone: r.signer_phone } : null,
      remindedAt: iso(r.reminded_at as Date | null) || null,
      records: (r.records as Array<Record<string, unknown>>).map((a) => ({ ...a, at: iso(a.at as string) })),
    }));
  }

  /**
   * follow-ups.json: every follow-up of the warning's orders (phone calls, visits, notes) with the audit entry
   * that recorded it (its seq and hash are in audit-entries.jsonl, which verify.mjs checks).
   */
  private followUpsJson(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT f.id, f.order_id, o.enterprise_id, e.name, e.credit_code, o.county_code, f.kind, f.outcome, f.note,
              f.contact_name, f.happened_at, f.recorded_by_id, f.recorded_by_name, f.created_at,
              ${auditRecordsSql(`a.action = 'order.followed-up' AND a.subject_type = 'order' AND a.subject_id = f.order_id::text AND a.data->>'followUpId' = f.id::text`, 'hash')} AS records
         FROM order_follow_up f
         JOIN reduction_order o ON o.id = f.order_id
         JOIN enterprise e ON e.id = o.enterprise_id
        WHERE f.alert_id = $1
        ORDER BY f.happened_at, f.seq`,
      [s.alert.id, s.head.seq],
    );
    return this.jsonArray(pages, (r) => ({
      followUpId: r.id,
      orderId: r.order_id,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.name,
      creditCode: r.credit_code,
      countyCode: r.county_code,
      kind: r.kind,
      outcome: r.outcome,
      note: r.note,
      contactName: r.contact_name,
      happenedAt: iso(r.happened_at as Date),
      recordedBy: { id: r.recorded_by_id, name: r.recorded_by_name },
      createdAt: iso(r.created_at as Date),
      records: (r.records as Array<Record<string, unknown>>).map((a) => ({ ...a, at: iso(a.at as string) })),
    }));
  }

  /**
   * discrepancies.json: what the meters showed against the orders (issue 17, src/reconciliation): each discrepancy
   * with its point, measure, hours, allowance and observed values, whether it contradicts the enterprise's report,
   * and its review with the audit entry that recorded it.
   */
  private discrepanciesJson(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT d.*, e.name, e.credit_code, p.code AS point_code, p.name AS point_name, p.kind AS point_kind,
              ${auditRecordsSql(`a.action = 'telemetry.discrepancy-reviewed' AND a.subject_type = 'order' AND a.subject_id = d.order_id::text AND a.data->>'discrepancyId' = d.id::text`, 'hash')} AS records
         FROM telemetry_discrepancy d
         JOIN enterprise e ON e.id = d.enterprise_id
         JOIN metering_point p ON p.id = d.point_id
        WHERE d.alert_id = $1
        ORDER BY d.from_at, d.id`,
      [s.alert.id, s.head.seq],
    );
    return this.jsonArray(pages, (r) => ({
      discrepancyId: r.id,
      orderId: r.order_id,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.name,
      creditCode: r.credit_code,
      countyCode: r.county_code,
      point: { id: r.point_id, code: r.point_code, name: r.point_name, kind: r.point_kind },
      measureIndex: r.measure_index,
      action: r.action,
      metric: r.metric,
      kind: r.kind,
      fromAt: iso(r.from_at as Date),
      toAt: iso(r.to_at as Date),
      hours: r.hours,
      allowed: r.allowed,
      reference: r.reference,
      observedMax: r.observed_max,
      observedAvg: r.observed_avg,
      selfReported: r.self_reported,
      firstFoundAt: iso(r.first_found_at as Date),
      computedAt: iso(r.computed_at as Date),
      review: r.review_outcome
        ? {
            outcome: r.review_outcome,
            note: r.review_note,
            reviewedBy: { id: r.reviewed_by_id, name: r.reviewed_by_name },
            reviewedAt: iso(r.reviewed_at as Date),
          }
        : null,
      records: (r.records as Array<Record<string, unknown>>).map((a) => ({ ...a, at: iso(a.at as string) })),
    }));
  }

  /**
   * inspections.json: every inspection of the warning's orders (issue 17) with its photos' digests, its
   * rectification, the grade review it opened and the audit entries that recorded each step.
   */
  private inspectionsJson(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<Record<string, unknown>>(
      s.qr,
      `SELECT i.id, i.order_id, i.enterprise_id, e.name, e.credit_code, o.county_code, i.inspected_at, i.inspectors,
              i.findings, i.result, i.rectification_required, i.rectification_deadline, i.rectification_closed_at,
              i.rectification_note, i.recorded_by_id, i.recorded_by_name, i.created_at,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('n', p.n, 'mediaType', p.media_type, 'bytes', p.bytes,
                                                            'sha256', p.sha256) ORDER BY p.n)
                          FROM inspection_photo p WHERE p.inspection_id = i.id), '[]'::jsonb) AS photos,
              (SELECT jsonb_build_object('id', g.id, 'state', g.state, 'decision', g.decision, 'gradeAtReview',
                                         g.grade_at_review, 'newGrade', g.new_grade)
                 FROM grade_review g WHERE g.inspection_id = i.id) AS grade_review,
              ${auditRecordsSql(`a.subject_type = 'inspection' AND a.subject_id = i.id::text`, 'hash')} AS records
         FROM inspection i
         JOIN reduction_order o ON o.id = i.order_id
         JOIN enterprise e ON e.id = i.enterprise_id
        WHERE i.alert_id = $1
        ORDER BY i.inspected_at, i.created_at, i.id`,
      [s.alert.id, s.head.seq],
    );
    return this.jsonArray(pages, (r) => ({
      inspectionId: r.id,
      orderId: r.order_id,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.name,
      creditCode: r.credit_code,
      countyCode: r.county_code,
      inspectedAt: iso(r.inspected_at as Date),
      inspectors: r.inspectors,
      findings: r.findings,
      result: r.result,
      rectification: {
        required: r.rectification_required,
        deadline: iso(r.rectification_deadline as Date | null) || null,
        closedAt: iso(r.rectification_closed_at as Date | null) || null,
        note: r.rectification_note,
      },
      photos: r.photos,
      gradeReview: r.grade_review ?? null,
      recordedBy: { id: r.recorded_by_id, name: r.recorded_by_name },
      createdAt: iso(r.created_at as Date),
      records: (r.records as Array<Record<string, unknown>>).map((a) => ({ ...a, at: iso(a.at as string) })),
    }));
  }

  private async *auditEntries(s: Snapshot): AsyncGenerator<string> {
    const pages = this.cursor<AuditRow>(
      s.qr,
      `SELECT id::text AS id, occurred_at, actor_type, actor_id, actor_name, action, subject_type, subject_id,
              alert_id, request_id, ip, data, prev_hash, hash
         FROM audit_entry WHERE alert_id = $1 AND id <= $2 ORDER BY id`,
      [s.alert.id, s.head.seq],
    );
    for await (const rows of pages) yield rows.map(evidenceLine).join('');
  }

  private async *chainProof(s: Snapshot): AsyncGenerator<string> {
    yield chainProofStart({
      alertId: s.alert.id,
      alertCode: s.alert.code,
      generatedAt: s.generatedAt,
      head: s.head,
      fromSeq: s.firstSeq,
    });
    if (s.firstSeq !== null) {
      let first = true;
      const pages = this.cursor<{ seq: string; prev_hash: string; hash: string; alert: boolean }>(
        s.qr,
        `SELECT id::text AS seq, prev_hash, hash, COALESCE(alert_id = $1, false) AS alert
           FROM audit_entry WHERE id >= $2 AND id <= $3 ORDER BY id`,
        [s.alert.id, s.firstSeq, s.head.seq],
      );
      for await (const rows of pages) {
        yield rows
          .map((r) => {
            const link: ChainLink = { seq: r.seq, prevHash: r.prev_hash, hash: r.hash, alert: r.alert };
            const line = chainLinkLine(link, first);
            first = false;
            return line;
          })
          .join('');
      }
    }
    yield CHAIN_PROOF_END;
  }
}
