import ExcelJS from 'exceljs';
import { encodeXlsxText } from './xlsx-text.codec';

/**
 * Cells of the XLSX exports, in one place (issue 20): numbers are numeric cells and times real date cells, each with a
 * number format, so that a spreadsheet sums and sorts them; text stays text (never a formula). Dropdowns for coded
 * columns come from a hidden sheet of lists.
 */

/** Number formats of the exports' typed cells. */
export const XLSX_FORMATS = {
  /** Emissions and reductions (kg/d), capacities: two decimals shown, the stored value exact. */
  decimal: '#,##0.00',
  integer: '0',
  coordinate: '0.000000',
  /** A share (0.35) shown as a percentage (35.0%). */
  percent: '0.0%',
  /** Beijing wall time, to the second. */
  dateTime: 'yyyy-mm-dd hh:mm:ss',
} as const;

export type XlsxCellKind = 'text' | keyof typeof XLSX_FORMATS;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/**
 * An instant as the cell value that shows its Beijing wall time. A spreadsheet date has no zone, and exceljs writes
 * a Date as its UTC serial: shifted by +8 h, the cell reads 2026-12-01 10:00:00 for 2026-12-01T10:00:00+08:00.
 */
export function xlsxDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const at = new Date(value).getTime();
  return Number.isNaN(at) ? null : new Date(at + SHANGHAI_OFFSET_MS);
}

/**
 * Text a spreadsheet would run as a formula once a person edits the cell (= + - @, tab, CR) gets an apostrophe
 * in front; any other text is written as it is. Characters XML cannot carry are written as _xHHHH_.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
export function xlsxText(
  value: string | null | undefined,
  escape: (text: string) => string = defaultEscape,
): string {
  return encodeXlsxText(escape(value ?? ''));
}
const defaultEscape = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** A number cell's value: a finite number, or empty; text that is no number stays text (the import will say so). */
export function xlsxNumber(value: number | string | null | undefined): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text ? n : xlsxText(value);
}

/** A typed cell value for exceljs. */
export function xlsxValue(
  kind: XlsxCellKind,
  value: string | number | Date | null | undefined,
): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (kind === 'dateTime') return xlsxDate(value);
  if (value instanceof Date) return xlsxDate(value);
  if (kind === 'text') return xlsxText(String(value));
  return xlsxNumber(value);
}

/** The exceljs column style for a kind: its number format (text has none). */
export function xlsxColumnStyle(kind: XlsxCellKind): Partial<ExcelJS.Style> | undefined {
  return kind === 'text' ? undefined : { numFmt: XLSX_FORMATS[kind] };
}

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** The hidden sheet the dropdowns read their values from. */
export const LIST_SHEET = '下拉选项';

export interface DropdownList {
  /** The column's header, the list sheet's header for it. */
  title: string;
  /** What the cell may hold, in the order shown. */
  values: string[];
  /** What each value means (the Chinese name of a code), written beside it on the list sheet. */
  names?: string[];
  /** One line on what the codes mean, shown when the cell is selected (Excel cuts prompts at 255 characters). */
  prompt?: string;
}

interface SheetLike {
  addRow(values: unknown[]): { commit?: () => void };
}

/**
 * Writes the lists on a hidden sheet, each as a column of values with their names beside it (a list validation's
 * inline form is limited to 255 characters, and the industries are longer), and returns each list's range, for
 * `addDropdown`.
 */
export function writeListSheet(
  workbook: { addWorksheet(name: string, options?: Partial<ExcelJS.AddWorksheetOptions>): unknown },
  lists: readonly DropdownList[],
): string[] {
  const sheet = workbook.addWorksheet(LIST_SHEET, { state: 'hidden' }) as SheetLike & { commit?: () => void };
  const rows = Math.max(0, ...lists.map((l) => l.values.length));
  sheet.addRow(lists.flatMap((l) => [xlsxText(l.title), xlsxText(`${l.title}·含义`)])).commit?.();
  for (let i = 0; i < rows; i++)
    sheet
      .addRow(lists.flatMap((l) => [xlsxText(l.values[i] ?? ''), xlsxText(l.names?.[i] ?? '')]))
      .commit?.();
  sheet.commit?.();
  return listRanges(lists);
}

/** Where writeListSheet puts each list: known before the sheet is written (a streamed sheet's validations go first). */
export function listRanges(lists: readonly DropdownList[]): string[] {
  return lists.map((l, i) => {
    const col = columnLetter(2 * i + 1);
    return `'${LIST_SHEET}'!$${col}$2:$${col}$${Math.max(2, l.values.length + 1)}`;
  });
}

/**
 * A dropdown on a column from `firstRow` to the sheet's last row. A value not in the list is warned about, not
 * refused: the import also takes the Chinese names (黄色 for YELLOW), and people paste.
 */
export function addDropdown(
  sheet: ExcelJS.Worksheet,
  column: number,
  firstRow: number,
  range: string,
  list: DropdownList,
): void {
  const letter = columnLetter(column);
  // Both exceljs worksheets (in memory and streamed) have it; its typings do not declare it.
  const { dataValidations } = sheet as unknown as {
    dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
  };
  dataValidations.add(`${letter}${firstRow}:${letter}1048576`, {
    type: 'list',
    allowBlank: true,
    formulae: [range],
    showInputMessage: Boolean(list.prompt),
    promptTitle: list.title.slice(0, 32),
    prompt: list.prompt?.slice(0, 255),
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: '不在下拉列表中',
    error: `“${list.title}”请从下拉列表中选择(导入时也接受对应的中文名称)`.slice(0, 255),
  });
}

/** A table for tablesWorkbook: its sheet's name, header and typed rows. */
export interface XlsxTable {
  /** At most 31 characters, none of []:*?/\ (Excel's rule for sheet names). */
  title: string;
  columns: ReadonlyArray<{ header: string; kind: XlsxCellKind }>;
  rows: ReadonlyArray<ReadonlyArray<string | number | Date | null>>;
}

/**
 * Tidy tables as one XLSX, a sheet per table: the header in row 1 (frozen, bold), one row per record, numbers as
 * numeric cells and times as date cells with their formats, text never a formula. `notes` (what, when, on what
 * basis) go on a last sheet 说明, so that each table's sheet holds only the table.
 */
export async function tablesWorkbook(
  tables: readonly XlsxTable[],
  notes: ReadonlyArray<readonly [string, string | number | Date | null]> = [],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = table.columns.map((c) => ({
      header: c.header,
      width: Math.min(40, Math.max(10, c.header.length * 2 + 2, c.kind === 'dateTime' ? 20 : 0)),
      style: xlsxColumnStyle(c.kind),
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.eachCell((cell) => (cell.numFmt = 'General'));
    for (const row of table.rows) sheet.addRow(table.columns.map((c, i) => xlsxValue(c.kind, row[i])));
  }
  if (notes.length > 0) {
    const sheet = workbook.addWorksheet('说明');
    sheet.columns = [{ width: 12 }, { width: 80 }];
    for (const [label, value] of notes) {
      const row = sheet.addRow([
        xlsxText(label),
        value instanceof Date ? xlsxDate(value) : typeof value === 'number' ? value : xlsxText(value),
      ]);
      if (value instanceof Date) row.getCell(2).numFmt = XLSX_FORMATS.dateTime;
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
