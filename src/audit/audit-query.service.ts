import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { escapeCell } from '../common/spreadsheet-safety';
import { formatTime } from '../common/time';
import { auditActionLabel } from './audit-actions';
import { AuditEntry } from './audit-entry.entity';
import type { AuditQueryDto } from './dto/audit-query.dto';

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

/** What auditors read: the log filtered, paged by id (stable while entries are appended), and exported. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  private query(q: AuditQueryDto): SelectQueryBuilder<AuditEntry> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (q.from) qb.andWhere('a.occurred_at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.occurred_at < :to', { to: new Date(q.to) });
    if (q.actor) qb.andWhere('a.actor_name = :actor', { actor: q.actor });
    if (q.action) {
      if (q.action.endsWith('.'))
        qb.andWhere("a.action LIKE :prefix ESCAPE '\\'", {
          prefix: `${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
        });
      else qb.andWhere('a.action = :action', { action: q.action });
    }
    if (q.subjectType) qb.andWhere('a.subject_type = :subjectType', { subjectType: q.subjectType });
    if (q.subjectId) qb.andWhere('a.subject_id = :subjectId', { subjectId: q.subjectId });
    if (q.alertId) qb.andWhere('a.alert_id = :alertId', { alertId: q.alertId });
    return qb;
  }

  async list(q: AuditQueryDto): Promise<AuditPage> {
    const limit = q.limit ?? 100;
    const qb = this.query(q)
      .orderBy('a.id', 'ASC')
      .take(limit + 1);
    if (q.after) qb.andWhere('a.id > :after', { after: q.after });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextAfter: rows.length > limit ? items[items.length - 1].id : null };
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
          occurredAt: formatTime(e.occurredAt),
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
