import { Inject, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { detectFormat, sheetColumnName } from '../enterprises/spreadsheet.io';
import { readXlsxRows, xlsxLimits } from '../enterprises/xlsx-rows.reader';
import {
  checkReading,
  MAX_READINGS_PER_REQUEST,
  type ParsedReading,
  pointRefusal,
  type ResolvedPoint,
} from './reading.rules';
import {
  type FileColumn,
  FILE_COLUMN_NAMES,
  fileHeaderProblems,
  fileRowCheck,
  rowMessage,
} from './reading-file.rules';
import type { AuthedSource } from './telemetry-sources.service';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; field: string; reason: string }>;
}

export interface FileIngestResult {
  rows: number;
  accepted: number;
  duplicates: number;
  /** How many rows were refused; the first MAX_LISTED of them are in `errors`. */
  rejectedCount: number;
  errors: Array<{ row: number; column: string; reason: string; message: string }>;
}

/** Chunks of a file written at once (each on its own connection of the pool). */
const WRITERS = 2;

/** Most refused rows a file's answer lists (the count says how many more). */
export const MAX_LISTED = 1000;

/** A batch as the writer takes it: the readings with their position (index or row) to answer with. */
interface Batch {
  positions: number[];
  readings: ParsedReading[];
}

/**
 * Readings in (issue 17): the one writer of meter_reading. A batch is written set-based: its points resolved in
 * one query, its months' partitions made sure of, its rows inserted by one INSERT … SELECT FROM unnest(…) ON
 * CONFLICT DO NOTHING, so a reading sent twice (same source, point, metric, time) is kept once.
 */
@Injectable()
export class ReadingsService {
  /** Points by `creditCode/code`, for one call (a file's chunks share it). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The push API: `{readings: [...]}`, each checked on its own; good ones kept, bad ones answered by index. */
  async ingest(source: AuthedSource, body: unknown): Promise<IngestResult> {
    const readings = (body as { readings?: unknown } | null)?.readings;
    if (typeof body !== 'object' || body === null || !Array.isArray(readings))
      throw DomainError.validation([{ field: 'readings', message: '应为读数列表 {readings: [...]}' }]);
    if (readings.length > MAX_READINGS_PER_REQUEST)
      throw new DomainError('PAYLOAD_TOO_LARGE', `每次最多${MAX_READINGS_PER_REQUEST}条读数,请分批提交`, [
        { field: 'readings', message: `最多${MAX_READINGS_PER_REQUEST}条` },
      ]);
    const now = this.clock.now();
    const rejected: IngestResult['rejected'] = [];
    const batch: Batch = { positions: [], readings: [] };
    readings.forEach((raw, index) => {
      const check = checkReading(raw, now);
      if (check.ok) {
        batch.positions.push(index);
        batch.readings.push(check.reading);
      } else rejected.push({ index, field: check.field, reason: check.reason });
    });
    const written = await this.write(source, batch, now, new Map());
    for (const r of written.refused) rejected.push({ index: r.position, field: 'point', reason: r.reason });
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: written.accepted, duplicates: written.duplicates, rejected };
  }

  /**
   * The file path: CSV or XLSX with 信用代码, 计量点, 指标, 时间, 数值; rows written in chunks of 10,000 as they are
   * read (a CSV streams), bad rows answered as `第N行 列名:原因`. Audited when a person uploads it.
   */
  async importFile(
    source: AuthedSource,
    file: { buffer: Buffer; originalname: string; size: number },
    actor: Actor | null,
  ): Promise<FileIngestResult> {
    const maxBytes = this.config.telemetryImportMaxBytes;
    if (file.size > maxBytes)
      throw new DomainError('PAYLOAD_TOO_LARGE', `文件大小超过${Math.round(maxBytes / 1048576)} MB 的上限`, [
        { field: 'file', message: '文件过大' },
      ]);
    const format = detectFormat(file.buffer, file.originalname);
    const now = this.clock.now();
    const points = new Map<string, ResolvedPoint | null>();
    const result: FileIngestResult = { rows: 0, accepted: 0, duplicates: 0, rejectedCount: 0, errors: [] };
    const refuse = (row: number, column: FileColumn, reason: string) => {
      result.rejectedCount++;
      if (result.errors.length < MAX_LISTED)
        result.errors.push({
          row,
          column: FILE_COLUMN_NAMES[column],
          reason,
          message: rowMessage(row, column, reason),
        });
    };
    let columns: Array<FileColumn | null> | undefined;
    let headerCells: string[] = [];
    let batch: Batch = { positions: [], readings: [] };
    const pending: Batch[] = [];
    const take = (row: number, cells: string[]): void => {
      if (!columns) {
        headerCells = cells;
        const header = fileHeaderProblems(cells);
        if (header.problems.length)
          throw DomainError.validation(
            header.problems.map((message) => ({ row: 1, field: 'file', message: `第1行 ${message}` })),
            '表头不正确',
          );
        columns = header.columns;
        return;
      }
      if (cells.every((c) => c.trim() === '')) return;
      if (++result.rows > this.config.telemetryImportMaxRows)
        throw new DomainError(
          'PAYLOAD_TOO_LARGE',
          `文件超过${this.config.telemetryImportMaxRows}行数据的上限,请拆分后分批导入`,
          [{ field: 'file', message: `最多${this.config.telemetryImportMaxRows}行` }],
        );
      const check = fileRowCheck(columns, cells, now);
      if (!check.ok) return refuse(row, check.column, check.reason);
      batch.positions.push(row);
      batch.readings.push(check.reading);
      if (batch.readings.length >= MAX_READINGS_PER_REQUEST) {
        pending.push(batch);
        batch = { positions: [], readings: [] };
      }
    };
    const flush = async (b: Batch) => {
      const written = await this.write(source, b, now, points);
      result.accepted += written.accepted;
      result.duplicates += written.duplicates;
      for (const r of written.refused) refuse(r.position, 'point', r.reason);
    };
    // Up to WRITERS chunks are written while the next is parsed: the parsing (here) and the inserting (in
    // PostgreSQL) then use a core each instead of taking turns.
    const inFlight = new Set<Promise<void>>();
    let failure: Error | undefined;
    const start = async (b: Batch) => {
      const p: Promise<void> = flush(b)
        .catch((e: unknown) => {
          failure ??= e instanceof Error ? e : new Error(String(e));
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= WRITERS) await Promise.race(inFlight);
      if (failure) throw failure;
    };

    try {
      if (format === 'csv') {
        const parser = Readable.from(file.buffer).pipe(
          parse({
            bom: true,
            relax_column_count: true,
            skip_empty_lines: true,
            record_delimiter: ['\r\n', '\n', '\r'],
          }),
        );
        let row = 0;
        for await (const record of parser as AsyncIterable<string[]>) {
          take(++row, record);
          // Streams: a full chunk goes to a writer before the next is read.
          while (pending.length) await start(pending.shift()!);
        }
      } else {
        await readXlsxRows(
          file.buffer,
          take,
          // Named by the column's header (时间, 数值…), not its number.
          (p) => {
            const column = columns?.[p.column - 1];
            if (column) refuse(p.row, column, p.message);
            else
              refuse(p.row, 'file', `${sheetColumnName(headerCells[p.column - 1], p.column)} ${p.message}`);
          },
          xlsxLimits(maxBytes),
        );
      }
    } catch (e) {
      // A writer's failure (the database) is not the file's fault: it goes on as it is (a 503, a 500).
      if (e instanceof DomainError || e === failure) throw e;
      throw new DomainError('VALIDATION_FAILED', `无法读取${format === 'xlsx' ? ' Excel' : ' CSV'}文件`, [
        { field: 'file', message: '文件已损坏或格式不正确' },
      ]);
    }
    if (!columns) throw DomainError.validation([{ row: 1, field: 'file', message: '文件为空:缺少表头行' }]);
    pending.push(batch);
    while (pending.length) await start(pending.shift()!);
    await Promise.all(inFlight);
    if (failure) throw failure;
    result.errors.sort((a, b) => a.row - b.row);
    if (actor)
      await this.audit.recordEvent({
        actor,
        action: 'telemetry.readings.imported',
        subjectType: 'telemetry-source',
        subjectId: source.id,
        data: {
          file: file.originalname,
          rows: result.rows,
          accepted: result.accepted,
          duplicates: result.duplicates,
          rejected: result.rejectedCount,
        },
      });
    return result;
  }

  /** Resolves the batch's points (the unknown ones, in one query), checks scope and metric, and inserts the rest. */
  private async write(
    source: AuthedSource,
    batch: Batch,
    now: Date,
    points: Map<string, ResolvedPoint | null>,
  ): Promise<{ accepted: number; duplicates: number; refused: Array<{ position: number; reason: string }> }> {
    const unknown = [...new Set(batch.readings.map((r) => r.key))].filter((k) => !points.has(k));
    if (unknown.length) {
      const found = await this.dataSource.query<
        Array<{
          key: string;
          id: string;
          enterprise_id: string;
          county_code: string;
          kind: ResolvedPoint['kind'];
        }>
      >(
        `SELECT r.key, p.id, p.enterprise_id, p.county_code, p.kind
           FROM unnest($1::text[]) AS r(key)
           JOIN enterprise e ON e.credit_code = split_part(r.key, '/', 1)
           JOIN metering_point p ON p.enterprise_id = e.id AND p.code = split_part(r.key, '/', 2)`,
        [unknown],
      );
      for (const k of unknown) points.set(k, null);
      for (const f of found)
        points.set(f.key, {
          id: f.id,
          enterpriseId: f.enterprise_id,
          countyCode: f.county_code,
          kind: f.kind,
        });
    }
    const refused: Array<{ position: number; reason: string }> = [];
    const ids: string[] = [];
    const metrics: string[] = [];
    const ats: string[] = [];
    const values: number[] = [];
    let min = Infinity;
    let max = -Infinity;
    batch.readings.forEach((r, i) => {
      const point = points.get(r.key) ?? undefined;
      const refusal = pointRefusal(source.scope, point, r.metric);
      if (refusal) return refused.push({ position: batch.positions[i], reason: refusal });
      ids.push(point!.id);
      metrics.push(r.metric);
      ats.push(r.at.toISOString());
      values.push(r.value);
      const t = r.at.getTime();
      if (t < min) min = t;
      if (t > max) max = t;
    });
    if (ids.length === 0) return { accepted: 0, duplicates: 0, refused };
    await this.dataSource.query(`SELECT telemetry_ensure_partitions($1, $2)`, [
      new Date(min).toISOString(),
      new Date(max).toISOString(),
    ]);
    const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
      `WITH ins AS (
         INSERT INTO meter_reading (source_id, point_id, metric, measured_at, value, received_at)
         SELECT $1, r.point_id, r.metric, r.measured_at, r.value, $6
           FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::numeric[]) AS r(point_id, metric, measured_at, value)
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [source.id, ids, metrics, ats, values, now],
    );
    return { accepted: n, duplicates: ids.length - n, refused };
  }

  /**
   * Readings made here, not sent (the demo job, demo mode): already checked, each with its source. Set-based like
   * an ingest, in batches of MAX_READINGS_PER_REQUEST: the batch's months made sure of, one INSERT … SELECT FROM
   * unnest(…) ON CONFLICT DO NOTHING, so writing a reading again changes nothing.
   */
  async writeGenerated(
    rows: ReadonlyArray<{ sourceId: string; pointId: string; metric: string; at: Date; value: number }>,
  ): Promise<{ accepted: number; duplicates: number }> {
    const now = this.clock.now();
    let accepted = 0;
    for (let start = 0; start < rows.length; start += MAX_READINGS_PER_REQUEST) {
      const batch = rows.slice(start, start + MAX_READINGS_PER_REQUEST);
      const times = batch.map((r) => r.at.getTime());
      await this.dataSource.query(`SELECT telemetry_ensure_partitions($1, $2)`, [
        new Date(Math.min(...times)).toISOString(),
        new Date(Math.max(...times)).toISOString(),
      ]);
      const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
        `WITH ins AS (
           INSERT INTO meter_reading (source_id, point_id, metric, measured_at, value, received_at)
           SELECT r.source_id, r.point_id, r.metric, r.measured_at, r.value, $6
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::numeric[])
                  AS r(source_id, point_id, metric, measured_at, value)
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [
          batch.map((r) => r.sourceId),
          batch.map((r) => r.pointId),
          batch.map((r) => r.metric),
          batch.map((r) => r.at.toISOString()),
          batch.map((r) => r.value),
          now,
        ],
      );
      accepted += n;
    }
    return { accepted, duplicates: rows.length - accepted };
  }
}
