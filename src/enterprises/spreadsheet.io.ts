import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { textProblem } from '../common/http/validation.pipe';
import {
  addDropdown,
  columnLetter,
  type DropdownList,
  listRanges,
  writeListSheet,
  xlsxColumnStyle,
  xlsxNumber,
  xlsxText,
} from '../common/xlsx-cells';
import {
  type ColumnKey,
  COLUMN_KINDS,
  COLUMNS,
  escapeCell,
  headerOf,
  mapHeader,
  type RawRow,
} from './reduction-list.layout';
import { readXlsxRows, type XlsxLimits, xlsxLimits } from './xlsx-rows.reader';
import { NOT_A_SHEET, type SheetFormat, sniffUpload } from './upload-type.rules';

export type { SheetFormat } from './upload-type.rules';
export const SHEET_NAME = '减排清单';

/** The default IMPORT_MAX_MB, for callers that read a sheet outside an import (tests, small files). */
const DEFAULT_LIMITS = xlsxLimits(50 * 1024 * 1024);

/** yauzl's and saxes' messages for the damage people actually meet, in Chinese. */
function readProblem(message: string): string {
  if (/end of central directory record signature not found|invalid .*signature|unexpected EOF/i.test(message))
    return 'ZIP 结构损坏或文件不完整';
  if (/unsupported compression method/i.test(message)) return '使用了不支持的压缩方式';
  if (/encrypted/i.test(message)) return '文件已加密,请另存为未加密的 .xlsx';
  if (/too many bytes|too few bytes|size mismatch/i.test(message))
    return '解压后的大小与文件声明的不符(文件已损坏或被篡改)';
  if (/invalid (code|distance|block|stored)|incorrect header|unexpected end/i.test(message))
    return '压缩数据已损坏';
  // Our own reader's words are Chinese already; a parser's English never reaches a person.
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  return '内容无法解析';
}

export interface ReadSheet {
  rows: Array<{ row: number; cells: RawRow }>;
  errors: FieldError[];
}

/** xlsx or csv by content (a name ending in .xlsx must agree); anything else is a 400 saying what it is. */
export function detectFormat(buffer: Buffer, filename: string): SheetFormat {
  const sniffed = sniffUpload(buffer, filename);
  if ('problem' in sniffed)
    throw new DomainError('INVALID_FILE', sniffed.problem, [{ field: 'file', message: sniffed.problem }]);
  return sniffed.format;
}

/**
 * Calls `onRow` for each data row of the first sheet of an XLSX, or of a CSV (UTF-8, BOM optional), keyed
 * by column; header problems and unreadable cells go to `errors`. Stops with a clear error past `maxRows`.
 * Formulas are never evaluated. `between`, if given, is awaited every so often while the file is read (after
 * each CSV record, after each inflated chunk of an XLSX sheet), so that the caller can write the rows read so
 * far; what it throws is passed on as it is.
 */
export async function eachRow(
  buffer: Buffer,
  format: SheetFormat,
  maxRows: number,
  onRow: (row: number, cells: RawRow) => void,
  errors: FieldError[],
  limits: XlsxLimits = DEFAULT_LIMITS,
  between?: () => Promise<void>,
): Promise<{ rows: number }> {
  let columns: Array<keyof RawRow | null> | undefined;
  let headerCells: string[] = [];
  let count = 0;
  const take = (rowNumber: number, cells: string[]): void => {
    if (!columns) {
      headerCells = cells;
      const header = mapHeader(cells);
      columns = header.columns;
      errors.push(...header.errors);
      return;
    }
    if (++count > maxRows) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `文件超过${maxRows}行数据的上限,请拆分后分批导入`, [
        { field: 'file', message: `最多${maxRows}行` },
      ]);
    }
    const record: RawRow = {};
    cells.forEach((text, i) => {
      const key = columns![i];
      // A NUL (CSV) or a lone surrogate (UTF-16 CSV) would make the insert fail with a 500.
      const problem = key ? textProblem(text) : null;
      if (problem) errors.push({ row: rowNumber, field: key!, message: `单元格${problem}` });
      else if (key) record[key] = text;
    });
    onRow(rowNumber, record);
  };

  // The caller's own failure (a database error while writing) is not a damaged file.
  let callerError: unknown;
  const guarded = between
    ? async () => {
        try {
          await between();
        } catch (e) {
          callerError = e;
          throw e;
        }
      }
    : undefined;
  try {
    if (format === 'csv') {
      const parser = Readable.from(buffer).pipe(
        // Any line ending, even mixed in one file (files pass through several editors before they reach us).
        parse({
          bom: true,
          relax_column_count: true,
          skip_empty_lines: false,
          record_delimiter: ['\r\n', '\n', '\r'],
        }),
      );
      let rowNumber = 0;
      for await (const record of parser as AsyncIterable<string[]>) {
        take(++rowNumber, record);
        if (guarded) await guarded();
      }
    } else {
      await readXlsxRows(
        buffer,
        take,
        // A cell's problem names its column as the header does (the key, which the error shows by its Chinese
        // label), not by number; a column the layout does not know by its header text, or its letter.
        (p) =>
          errors.push({
            row: p.row,
            field: columns?.[p.column - 1] ?? sheetColumnName(headerCells[p.column - 1], p.column),
            message: p.message,
          }),
        limits,
        guarded,
      );
    }
  } catch (e) {
    if (e instanceof DomainError || (callerError !== undefined && e === callerError)) throw e;
    const detail = readProblem(e instanceof Error ? e.message : String(e));
    const message = `${NOT_A_SHEET}:${detail}`;
    throw new DomainError('INVALID_FILE', message, [{ field: 'file', message: '文件已损坏或格式不正确' }]);
  }
  if (!columns) errors.push({ row: 1, field: 'file', message: '文件为空:缺少表头行' });
  return { rows: count };
}

/** A column the layout does not read, as a person finds it: its header, else its letter ("AA列"). */
export function sheetColumnName(header: string | undefined, column: number): string {
  const text = (header ?? '').trim();
  return text ? `「${text.slice(0, 40)}」列` : `${columnLetter(column)}列`;
}

/** All data rows in memory (tests and small files). */
export async function readSheet(
  buffer: Buffer,
  format: SheetFormat,
  maxRows: number,
  limits: XlsxLimits = DEFAULT_LIMITS,
): Promise<ReadSheet> {
  const errors: FieldError[] = [];
  const rows: ReadSheet['rows'] = [];
  await eachRow(buffer, format, maxRows, (row, cells) => rows.push({ row, cells }), errors, limits);
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

export interface XlsxWriterOptions {
  /** Lines of a 填写说明 sheet. */
  instructions?: string[][];
  /** Dropdowns of the coded columns, their lists on a hidden sheet. */
  dropdowns?: Partial<Record<ColumnKey, DropdownList>>;
}

/**
 * Streams an XLSX workbook: the list sheet, then optionally a 填写说明 sheet and the hidden sheet the dropdowns
 * read. Numbers are numeric cells with a number format (COLUMN_KINDS), so the reduction columns sum; text is text
 * (never a formula), with an apostrophe only in front of what would run as one once edited (= + - @).
 */
export function xlsxWriter(
  out: Writable,
  opts: XlsxWriterOptions = {},
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
    style: xlsxColumnStyle(COLUMN_KINDS[c.key] ?? 'text'),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const dropdowns = COLUMNS.flatMap((c, i) => {
    const list = opts.dropdowns?.[c.key];
    return list ? [{ column: i + 1, list }] : [];
  });
  return {
    write: (row) => {
      // Characters XML cannot carry (CR, control characters) as _xHHHH_; numbers as numbers (text that is no
      // number stays text, so that the import reports it as it would from a CSV).
      sheet
        .addRow(
          Object.fromEntries(
            COLUMNS.map((c) => {
              const kind = COLUMN_KINDS[c.key];
              const value = row[c.key] ?? '';
              return [c.key, kind ? xlsxNumber(value) : value === '' ? null : xlsxText(value, escapeCell)];
            }),
          ),
        )
        .commit();
      return Promise.resolve();
    },
    end: async () => {
      // The validations are written with the sheet; the lists they read follow on their own sheet.
      const lists = dropdowns.map((d) => d.list);
      const ranges = listRanges(lists);
      dropdowns.forEach((d, i) => addDropdown(sheet, d.column, 2, ranges[i], d.list));
      sheet.commit();
      if (opts.instructions) {
        const help = workbook.addWorksheet('填写说明');
        for (const line of opts.instructions) help.addRow(line.map((t) => xlsxText(t))).commit();
        help.commit();
      }
      if (lists.length > 0) writeListSheet(workbook, lists);
      await workbook.commit();
    },
  };
}

export function sheetWriter(format: SheetFormat, out: Writable, opts: XlsxWriterOptions = {}) {
  return format === 'csv' ? csvWriter(out) : xlsxWriter(out, opts);
}

/** Collects a writer's output into a Buffer (for tests and small files). */
export async function toBuffer(
  format: SheetFormat,
  rows: RawRow[],
  opts: XlsxWriterOptions = {},
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = sheetWriter(format, out, opts);
  for (const row of rows) await writer.write(row);
  await writer.end();
  return Buffer.concat(chunks);
}
