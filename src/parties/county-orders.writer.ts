import ExcelJS from 'exceljs';
import { escapeCell } from '../common/spreadsheet-safety';
import { type XlsxCellKind, xlsxColumnStyle, xlsxText, xlsxValue } from '../common/xlsx-cells';

/** The header of a county's order list, the rows' keys, and each column's cell (times are real date cells). */
export const COUNTY_ORDER_COLUMNS = [
  { key: 'name', header: '企业名称', width: 30, kind: 'text' },
  { key: 'creditCode', header: '统一社会信用代码', width: 22, kind: 'text' },
  { key: 'grade', header: '绩效分级', width: 10, kind: 'text' },
  { key: 'noticeType', header: '指令类型', width: 12, kind: 'text' },
  { key: 'level', header: '预警级别', width: 10, kind: 'text' },
  { key: 'measures', header: '减排措施', width: 60, kind: 'text' },
  { key: 'effectiveAt', header: '生效时间', width: 20, kind: 'dateTime' },
  { key: 'receiptDueAt', header: '签收期限', width: 20, kind: 'dateTime' },
  { key: 'reportDueAt', header: '落实报告期限', width: 20, kind: 'dateTime' },
  { key: 'state', header: '状态', width: 10, kind: 'text' },
  { key: 'receivedAt', header: '签收时间', width: 20, kind: 'dateTime' },
  { key: 'executedAt', header: '落实时间', width: 20, kind: 'dateTime' },
  { key: 'problem', header: '需人工处理', width: 20, kind: 'text' },
] as const satisfies ReadonlyArray<{ key: string; header: string; width: number; kind: XlsxCellKind }>;

type Column = (typeof COUNTY_ORDER_COLUMNS)[number];
type TimeKey = Extract<Column, { kind: 'dateTime' }>['key'];

/** One order: text, and the instants (null when not yet) the sheet shows in Beijing time. */
export type CountyOrderRow = Record<Exclude<Column['key'], TimeKey>, string> & Record<TimeKey, Date | null>;

/**
 * A county's orders as an XLSX workbook: text cells with the export's safety (a value starting with = + - @ is
 * escaped, never a formula; characters XML cannot carry encoded), times as date cells showing Beijing time to the
 * second. Small (one county's enterprises), so built in memory.
 */
export async function countyOrdersWorkbook(title: string, rows: readonly CountyOrderRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('减排指令', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([xlsxText(title, escapeCell)]).font = { bold: true };
  sheet.columns = COUNTY_ORDER_COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    style: xlsxColumnStyle(c.kind),
  }));
  const header = sheet.addRow(COUNTY_ORDER_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => (cell.numFmt = 'General'));
  for (const row of rows)
    sheet.addRow(
      COUNTY_ORDER_COLUMNS.map((c) =>
        c.kind === 'text' ? xlsxText(row[c.key], escapeCell) : xlsxValue(c.kind, row[c.key]),
      ),
    );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
