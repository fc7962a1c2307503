import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { COLUMNS, escapeCell, headerOf, mapHeader, type RawRow } from './reduction-list.layout';
import { Utf8WorkbookReader } from './utf8-workbook.reader';

export type SheetFormat = 'xlsx' | 'csv';
export const SHEET_NAME = '减排清单';

export interface ReadSheet {
  rows: Array<{ row: number; cells: RawRow }>;
  errors: FieldError[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** xlsx by content (a zip), else csv; a name ending in .xlsx or .csv must agree with the content. */
export function detectFormat(buffer: Buffer, filename: string): SheetFormat {
  const isZip = buffer.subarray(0, 4).equals(ZIP_MAGIC);
  const ext = /\.(xlsx|csv)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'xlsx' && !isZip)
    throw new DomainError('VALIDATION_FAILED', '文件扩展名为 .xlsx,但内容不是 Excel 文件', [
      { field: 'file', message: '不是有效的 XLSX 文件' },
    ]);
  if (!ext && !isZip && /\.(xls|xlsm|ods)$/i.test(filename)) {
    throw new DomainError('VALIDATION_FAILED', '只接受 .xlsx 或 .csv 文件', [
      { field: 'file', message: '请另存为 .xlsx 或 .csv' },
    ]);
  }
  return isZip ? 'xlsx' : 'csv';
}

function cellText(value: ExcelJS.CellValue, row: number, col: number, errors: FieldError[]): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      errors.push({ row, field: `第${col}列`, message: '不接受公式单元格,请将公式粘贴为数值' });
      return '';
    }
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) {
      const text = value.text as string | { richText: Array<{ text: string }> };
      return typeof text === 'string' ? text : text.richText.map((r) => r.text).join('');
    }
    if ('error' in value) {
      errors.push({ row, field: `第${col}列`, message: `单元格错误值 ${value.error}` });
      return '';
    }
  }
  return String(value);
}

/**
 * Reads the first sheet (or the one named 减排清单) of an XLSX, or a CSV (UTF-8, BOM optional), into rows
 * keyed by column. Stops with a clear error past `maxRows`. Formulas are never evaluated.
 */
export async function readSheet(buffer: Buffer, format: SheetFormat, maxRows: number): Promise<ReadSheet> {
  const errors: FieldError[] = [];
  const rows: ReadSheet['rows'] = [];
  let columns: Array<keyof RawRow | null> | undefined;
  const take = (rowNumber: number, cells: string[]): void => {
    if (!columns) {
      const header = mapHeader(cells);
      columns = header.columns;
      errors.push(...header.errors);
      return;
    }
    if (rows.length >= maxRows) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `文件超过${maxRows}行数据的上限,请拆分后分批导入`, [
        { field: 'file', message: `最多${maxRows}行` },
      ]);
    }
    const record: RawRow = {};
    cells.forEach((text, i) => {
      const key = columns![i];
      if (key) record[key] = text;
    });
    rows.push({ row: rowNumber, cells: record });
  };

  try {
    if (format === 'csv') {
      const parser = Readable.from(buffer).pipe(
        parse({ bom: true, relax_column_count: true, skip_empty_lines: false }),
      );
      let rowNumber = 0;
      for await (const record of parser as AsyncIterable<string[]>) take(++rowNumber, record);
    } else {
      const reader = new Utf8WorkbookReader(Readable.from(buffer), {
        sharedStrings: 'cache',
        hyperlinks: 'cache',
        styles: 'ignore',
        worksheets: 'emit',
        entries: 'emit',
      });
      for await (const worksheet of reader) {
        for await (const row of worksheet) {
          const values = row.values as ExcelJS.CellValue[];
          const cells: string[] = [];
          for (let col = 1; col < values.length; col++)
            cells.push(cellText(values[col], row.number, col, errors));
          take(row.number, cells);
        }
        break; // the list is on the first sheet
      }
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new DomainError(
      'VALIDATION_FAILED',
      `无法读取${format === 'xlsx' ? ' Excel' : ' CSV'}文件:${detail}`,
      [{ field: 'file', message: '文件已损坏或格式不正确' }],
    );
  }
  if (!columns) errors.push({ row: 1, field: 'file', message: '文件为空:缺少表头行' });
  return { rows, errors };
}

/** Writes rows (escaped against formula injection) as CSV with a BOM, so Excel opens Chinese text. */
export function csvWriter(out: Writable): { write(row: RawRow): Promise<void>; end(): Promise<void> } {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: COLUMNS.map((c) => ({ key: c.key, header: headerOf(c) })),
  });
  stringifier.pipe(out);
  return {
    write: (row) =>
      new Promise<void>((resolve) => {
        const escaped = Object.fromEntries(COLUMNS.map((c) => [c.key, escapeCell(row[c.key] ?? '')]));
        if (stringifier.write(escaped)) resolve();
        else stringifier.once('drain', () => resolve());
      }),
    end: () =>
      new Promise<void>((resolve, reject) => {
        out.once('finish', () => resolve());
        out.once('error', reject);
        stringifier.end();
      }),
  };
}

/** Streams an XLSX workbook: the list sheet and, optionally, a 填写说明 sheet. */
export function xlsxWriter(
  out: Writable,
  opts: { instructions?: string[][] } = {},
): { write(row: RawRow): Promise<void>; end(): Promise<void> } {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({
    header: headerOf(c),
    key: c.key,
    width: Math.max(12, headerOf(c).length + 4),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  return {
    write: (row) => {
      // Strings stay strings (never formulas); numbers are written as text too so export → import is exact.
      sheet.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, escapeCell(row[c.key] ?? '')]))).commit();
      return Promise.resolve();
    },
    end: async () => {
      sheet.commit();
      if (opts.instructions) {
        const help = workbook.addWorksheet('填写说明');
        for (const line of opts.instructions) help.addRow(line).commit();
        help.commit();
      }
      await workbook.commit();
    },
  };
}

export function sheetWriter(format: SheetFormat, out: Writable, opts: { instructions?: string[][] } = {}) {
  return format === 'csv' ? csvWriter(out) : xlsxWriter(out, opts);
}

/** Collects a writer's output into a Buffer (for tests and small files). */
export async function toBuffer(
  format: SheetFormat,
  rows: RawRow[],
  opts: { instructions?: string[][] } = {},
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = sheetWriter(format, out, opts);
  for (const row of rows) await writer.write(row);
  await writer.end();
  return Buffer.concat(chunks);
}
