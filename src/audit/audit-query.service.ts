import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { escapeCell } from '../common/spreadsheet-safety';
import { isUuid } from '../common/ids';
import { shanghaiTimestamp } from '../common/time';
import { auditActionLabel } from './audit-actions';
import { AuditEntry } from './audit-entry.entity';
import type { AuditQueryDto } from './dto/audit-query.dto';

/** The names behind an entry's ids, for people: who (display name), what about, which warning. */
export interface EntryNames {
  /** The account's display name (USER) or the enterprise's name (ENTERPRISE); null when unknown. */
  actorName: string | null;
  /** The enterprise (of an enterprise or an order), the warning's code, the account's display name, the party. */
  subjectName: string | null;
  alertCode: string | null;
  /** The level in force before the revision the entry records (an upgrade's or downgrade's from-level). */
  previousLevel: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `after` for the next page; null at the end. */
  nextAfter: string | null;
}

const CSV_COLUMNS = [
  ['id', '序号'],
  ['occurredAt', '时间(北京时间)'],
  ['actorType', '操作者类型'],
  ['actorName', '操作者'],
  ['action', '操作代码'],
  ['actionLabel', '操作'],
  ['subjectType', '对象类型'],
  ['subjectId', '对象'],
  ['alertId', '预警'],
  ['ip', '地址'],
  ['requestId', '请求号'],
  ['data', '内容'],
  ['hash', '哈希'],
] as const;

/** A LIKE pattern's own wildcards taken literally (with ESCAPE '\\'). */
const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What auditors read: the log filtered, paged by id (stable while entries are appended), and exported. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  private query(q: AuditQueryDto): SelectQueryBuilder<AuditEntry> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (q.from) qb.andWhere('a.occurred_at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.occurred_at < :to', { to: new Date(q.to) });
    if (q.actor) qb.andWhere('a.actor_name = :actor', { actor: q.actor });
    if (q.actorType) qb.andWhere('a.actor_type = :actorType', { actorType: q.actorType });
    if (q.action) {
      if (q.action.endsWith('.'))
        qb.andWhere("a.action LIKE :prefix ESCAPE '\\'", { prefix: `${likeEscaped(q.action)}%` });
      else qb.andWhere('a.action = :action', { action: q.action });
    }
    if (q.subjectType) qb.andWhere('a.subject_type = :subjectType', { subjectType: q.subjectType });
    if (q.subjectId) qb.andWhere('a.subject_id = :subjectId', { subjectId: q.subjectId });
    if (q.alertId) qb.andWhere('a.alert_id = :alertId', { alertId: q.alertId });
    if (q.warning) {
      // The warnings named, as a set (few rows); their entries then come by the alert_id index.
      qb.andWhere(
        `a.alert_id IN (SELECT w.id FROM alert w
                          WHERE w.id::text = :warning OR lower(w.code) = lower(:warning)
                             OR w.expiry_document_number ILIKE :warningLike ESCAPE '\\'
                             OR EXISTS (SELECT 1 FROM alert_revision r
                                         WHERE r.alert_id = w.id AND r.document_number ILIKE :warningLike ESCAPE '\\'))`,
        { warning: q.warning.trim(), warningLike: `%${likeEscaped(q.warning.trim())}%` },
      );
    }
    if (q.enterprise) {
      // Entries about the enterprise and about its orders (receipts, reports, reminders, overdue), by the
      // (subject_type, subject_id) index.
      const matching = `SELECT e.id FROM enterprise e
                         WHERE e.name ILIKE :enterpriseLike ESCAPE '\\' OR e.credit_code = upper(:enterprise)`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where(
              `a.subject_type = 'enterprise' AND a.subject_id IN (SELECT m.id::text FROM (${matching}) m)`,
            )
            .orWhere(
              `a.subject_type = 'order' AND a.subject_id IN (SELECT o.id::text FROM reduction_order o
                                                               WHERE o.enterprise_id IN (${matching}))`,
            ),
        ),
        { enterprise: q.enterprise.trim(), enterpriseLike: `%${likeEscaped(q.enterprise.trim())}%` },
      );
    }
    return qb;
  }

  async list(q: AuditQueryDto): Promise<AuditPage> {
    const limit = q.limit ?? 100;
    const desc = q.order === 'desc';
    const qb = this.query(q)
      .orderBy('a.id', desc ? 'DESC' : 'ASC')
      .take(limit + 1);
    if (q.after) qb.andWhere(desc ? 'a.id < :after' : 'a.id > :after', { after: q.after });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextAfter: rows.length > limit ? items[items.length - 1].id : null };
  }

  /**
   * The names behind a page of entries' ids, a few set-based lookups by primary key (one per kind of thing),
   * keyed by entry id.
   */
  async names(entries: AuditEntry[]): Promise<Map<string, EntryNames>> {
    const ids = (pick: (e: AuditEntry) => Array<string | null | undefined>) => [
      ...new Set(entries.flatMap(pick).filter((v): v is string => typeof v === 'string' && isUuid(v))),
    ];
    const about = (e: AuditEntry, type: string) => (e.subjectType === type ? e.subjectId : null);
    const revisionOf = (e: AuditEntry) => (typeof e.data?.revisionId === 'string' ? e.data.revisionId : null);
    const byId = async (sql: string, list: string[]) =>
      new Map(
        list.length
          ? (await this.dataSource.query<Array<{ id: string; name: string }>>(sql, [list])).map((r) => [
              r.id,
              r.name,
            ])
          : [],
      );
    const [users, enterprises, orders, alerts, parties, previous] = await Promise.all([
      byId(
        'SELECT id::text, display_name AS name FROM app_user WHERE id = ANY($1::uuid[])',
        ids((e) => [e.actorType === 'USER' ? e.actorId : null, about(e, 'user')]),
      ),
      byId(
        'SELECT id::text, name FROM enterprise WHERE id = ANY($1::uuid[])',
        ids((e) => [e.actorType === 'ENTERPRISE' ? e.actorId : null, about(e, 'enterprise')]),
      ),
      byId(
        `SELECT o.id::text, e.name FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
          WHERE o.id = ANY($1::uuid[])`,
        ids((e) => [about(e, 'order')]),
      ),
      byId(
        'SELECT id::text, code AS name FROM alert WHERE id = ANY($1::uuid[])',
        ids((e) => [e.alertId, about(e, 'alert')]),
      ),
      byId(
        'SELECT id::text, party_name AS name FROM party_notice WHERE id = ANY($1::uuid[])',
        ids((e) => [about(e, 'party_notice')]),
      ),
      byId(
        `SELECT r.id::text, p.level AS name FROM alert_revision r
           JOIN alert_revision p ON p.alert_id = r.alert_id AND p.seq = r.seq - 1
          WHERE r.id = ANY($1::uuid[])`,
        ids((e) => [revisionOf(e)]),
      ),
    ]);
    const subjects: Record<string, Map<string, string>> = {
      user: users,
      enterprise: enterprises,
      order: orders,
      alert: alerts,
      party_notice: parties,
    };
    return new Map(
      entries.map((e) => [
        e.id,
        {
          actorName:
            (e.actorId &&
              (e.actorType === 'USER' ? users : e.actorType === 'ENTERPRISE' ? enterprises : null)?.get(
                e.actorId,
              )) ||
            null,
          subjectName: (e.subjectType && e.subjectId && subjects[e.subjectType]?.get(e.subjectId)) || null,
          alertCode: (e.alertId && alerts.get(e.alertId)) || null,
          previousLevel: previous.get(revisionOf(e) ?? '') ?? null,
        },
      ]),
    );
  }

  /** Streams the filtered log as CSV (UTF-8 with BOM for Excel; formula-looking cells escaped), a page at a time. */
  async exportCsv(q: AuditQueryDto, out: Writable): Promise<void> {
    const csv = stringify({
      bom: true,
      header: true,
      columns: CSV_COLUMNS.map(([key, header]) => ({ key, header })),
    });
    csv.pipe(out);
    const write = (row: Record<string, string>) =>
      new Promise<void>((resolve) => (csv.write(row) ? resolve() : csv.once('drain', () => resolve())));
    let after = '0';
    for (;;) {
      const page = await this.query(q)
        .andWhere('a.id > :after', { after })
        .orderBy('a.id', 'ASC')
        .take(2000)
        .getMany();
      for (const e of page) {
        await write({
          id: e.id,
          occurredAt: shanghaiTimestamp(e.occurredAt),
          actorType: e.actorType,
          actorName: escapeCell(e.actorName ?? ''),
          action: e.action,
          actionLabel: auditActionLabel(e.action),
          subjectType: e.subjectType ?? '',
          subjectId: escapeCell(e.subjectId ?? ''),
          alertId: e.alertId ?? '',
          ip: e.ip ?? '',
          requestId: escapeCell(e.requestId ?? ''),
          data: escapeCell(JSON.stringify(e.data)),
          hash: e.hash,
        });
      }
      if (page.length < 2000) break;
      after = page[page.length - 1].id;
    }
    await new Promise<void>((resolve, reject) => {
      out.once('finish', () => resolve());
      out.once('error', reject);
      csv.end();
    });
  }
}
