import ExcelJS from 'exceljs';
import { COLUMNS, headerOf } from './reduction-list.layout';
import { DomainError } from '../common/errors/domain-error';
import { eachRow, readSheet, sheetColumnName, toBuffer } from './spreadsheet.io';

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

describe('eachRow with a caller between reads', () => {
  const header = COLUMNS.map(headerOf);
  const names = Array.from({ length: 3000 }, (_, i) => `吕梁测试企业${i}号`);

  it.each(['csv', 'xlsx'] as const)(
    'lets the caller act on the rows read so far while a %s is still being read',
    async (format) => {
      const buffer =
        format === 'csv'
          ? Buffer.from(`${header.join(',')}\n${names.map((n) => `91,${n}`).join('\n')}\n`)
          : await toBuffer(
              'xlsx',
              names.map((name) => ({ creditCode: '91', name })),
            );
      const seen: string[] = [];
      const batches: number[] = [];
      await eachRow(
        buffer,
        format,
        10_000,
        (_row, cells) => seen.push(cells.name ?? ''),
        [],
        undefined,
        () => {
          if (seen.length > 0) batches.push(seen.length);
          return Promise.resolve();
        },
      );
      expect(seen).toEqual(names);
      // Called before the last row was read, more than once: the file was not read whole first.
      expect(batches.length).toBeGreaterThan(1);
      expect(batches[0]).toBeLessThan(names.length);
    },
  );

  it('passes on what the caller throws as it is, not as a damaged file', async () => {
    const buffer = await toBuffer(
      'xlsx',
      names.map((name) => ({ creditCode: '91', name })),
    );
    const failure = new Error('connection terminated');
    await expect(
      eachRow(
        buffer,
        'xlsx',
        10_000,
        () => undefined,
        [],
        undefined,
        () => Promise.reject(failure),
      ),
    ).rejects.toBe(failure);
    const refused = new Error('还是数据库');
    await expect(
      eachRow(
        Buffer.from(`${header.join(',')}\n91,x\n`),
        'csv',
        10,
        () => undefined,
        [],
        undefined,
        () => Promise.reject(refused),
      ),
    ).rejects.toBe(refused);
    // A damaged file is still one.
    await expect(
      eachRow(
        buffer.subarray(0, 2000),
        'xlsx',
        10,
        () => undefined,
        [],
        undefined,
        () => Promise.resolve(),
      ),
    ).rejects.toBeInstanceOf(DomainError);
  });
});
