import ExcelJS from 'exceljs';
import { escapeCell } from '../common/spreadsheet-safety';
import { encodeXlsxText } from '../enterprises/xlsx-text.codec';

/** The header of a county's order list, and the rows' keys. */
export const COUNTY_ORDER_COLUMNS = [
  { key: 'name', header: '企业名称', width: 30 },
  { key: 'creditCode', header: '统一社会信用代码', width: 22 },
  { key: 'grade', header: '绩效分级', width: 10 },
  { key: 'noticeType', header: '指令类型', width: 12 },
  { key: 'level', header: '预警级别', width: 10 },
  { key: 'measures', header: '减排措施', width: 60 },
  { key: 'effectiveAt', header: '生效时间', width: 20 },
  { key: 'receiptDueAt', header: '签收期限', width: 20 },
  { key: 'reportDueAt', header: '落实报告期限', width: 20 },
  { key: 'state', header: '状态', width: 10 },
  { key: 'receivedAt', header: '签收时间', width: 20 },
  { key: 'executedAt', header: '落实时间', width: 20 },
  { key: 'problem', header: '需人工处理', width: 20 },
] as const;

export type CountyOrderRow = Record<(typeof COUNTY_ORDER_COLUMNS)[number]['key'], string>;

/**
 * A county's orders as an XLSX workbook, with the export's cell safety: text only (a value starting with = + - @
 * is escaped, never a formula) and characters XML cannot carry encoded. Small (one county's enterprises), so built
 * in memory.
 */
export async function countyOrdersWorkbook(title: string, rows: readonly CountyOrderRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('减排指令', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([encodeXlsxText(escapeCell(title))]).font = { bold: true };
  sheet.columns = COUNTY_ORDER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  sheet.addRow(COUNTY_ORDER_COLUMNS.map((c) => c.header)).font = { bold: true };
  for (const row of rows)
    sheet.addRow(COUNTY_ORDER_COLUMNS.map((c) => encodeXlsxText(escapeCell(row[c.key]))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
