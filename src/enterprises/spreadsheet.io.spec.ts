import ExcelJS from 'exceljs';
import { COLUMNS, headerOf } from './reduction-list.layout';
import { readSheet, sheetColumnName, toBuffer } from './spreadsheet.io';

describe('readSheet', () => {
  // Large enough that the zip entries arrive in many chunks, so characters straddle chunk boundaries.
  const names = Array.from({ length: 3000 }, (_, i) => `山西吕梁值班室测试企业${i}号焦化有限公司`);

  it('reads back every Chinese character of a large streamed XLSX (exceljs chunk-boundary bug)', async () => {
    const buffer = await toBuffer(
      'xlsx',
      names.map((name) => ({ name, address: `${name}所在工业园区`, description: `${name}停产50%生产线` })),
    );
    const { rows, errors } = await readSheet(buffer, 'xlsx', 10_000);
    expect(errors.filter((e) => e.row !== 1)).toEqual([]);
    expect(rows.map((r) => r.cells.name)).toEqual(names);
    expect(rows.map((r) => r.cells.address)).toEqual(names.map((n) => `${n}所在工业园区`));
    expect(rows.map((r) => r.cells.description)).toEqual(names.map((n) => `${n}停产50%生产线`));
  });

  it('reads shared strings, as Excel writes them, without garbling', async () => {
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('减排清单');
    ws.addRow(COLUMNS.map(headerOf));
    for (const name of names) ws.addRow([name, name]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer({ useSharedStrings: true }));
    const { rows } = await readSheet(buffer, 'xlsx', 10_000);
    expect(rows.map((r) => r.cells.name)).toEqual(names);
    expect(rows.map((r) => r.cells.creditCode)).toEqual(names);
  });

  it('reads a CSV with or without BOM', async () => {
    const header = COLUMNS.map(headerOf).join(',');
    for (const prefix of ['\uFEFF', '']) {
      const { rows, errors } = await readSheet(Buffer.from(`${prefix}${header}\n91,离石区\n`), 'csv', 10);
      expect(errors).toEqual([]);
      expect(rows).toEqual([{ row: 2, cells: { creditCode: '91', name: '离石区' } }]);
    }
  });
});

describe('a refused XLSX cell', () => {
  it('is named by its column’s header, not its number', async () => {
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('减排清单');
    ws.addRow([...COLUMNS.map(headerOf), '备注']);
    const row: unknown[] = COLUMNS.map(() => 'x');
    row[COLUMNS.findIndex((c) => c.key === 'reductionNox')] = { formula: '1+1', result: 2 };
    row.push({ formula: '2+2', result: 4 });
    ws.addRow(row);
    const { errors } = await readSheet(Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx', 10);
    expect(errors.filter((e) => e.row === 2)).toEqual([
      { row: 2, field: 'reductionNox', message: '不接受公式单元格,请将公式粘贴为数值' },
      { row: 2, field: '「备注」列', message: '不接受公式单元格,请将公式粘贴为数值' },
    ]);
  });

  it('outside the header, by its letter', () => {
    expect(sheetColumnName(undefined, 28)).toBe('AB列');
    expect(sheetColumnName('  ', 3)).toBe('C列');
    expect(sheetColumnName('备注', 32)).toBe('「备注」列');
  });
});
