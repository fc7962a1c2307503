import ExcelJS from 'exceljs';
import {
  columnLetter,
  listRanges,
  tablesWorkbook,
  XLSX_FORMATS,
  xlsxDate,
  xlsxNumber,
  xlsxText,
  xlsxValue,
} from './xlsx-cells';

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

describe('xlsx cells', () => {
  it('shifts an instant so that the cell shows its Beijing wall time', () => {
    // 02:00 UTC is 10:00 in Beijing: exceljs writes the Date's UTC fields as the serial.
    expect(xlsxDate('2026-12-01T10:00:05+08:00')!.toISOString()).toBe('2026-12-01T10:00:05.000Z');
    expect(xlsxDate(new Date('2026-12-31T20:30:00Z'))!.toISOString()).toBe('2027-01-01T04:30:00.000Z');
    expect(xlsxDate(null)).toBeNull();
    expect(xlsxDate('')).toBeNull();
    expect(xlsxDate('not a time')).toBeNull();
  });

  it('writes numbers as numbers and keeps text that is no plain number as text', () => {
    expect(xlsxNumber('12.5')).toBe(12.5);
    expect(xlsxNumber('-3')).toBe(-3);
    expect(xlsxNumber(0)).toBe(0);
    expect(xlsxNumber('')).toBeNull();
    expect(xlsxNumber(null)).toBeNull();
    expect(xlsxNumber(Number.NaN)).toBeNull();
    // Not what String(number) writes: kept exactly, so that the import reads (and judges) what was there.
    expect(xlsxNumber('1,000')).toBe('1,000');
    expect(xlsxNumber('12.50')).toBe('12.50');
    expect(xlsxNumber('=1+1')).toBe("'=1+1");
  });

  it('prefixes an apostrophe only to text that would run as a formula, and encodes what XML cannot carry', () => {
    expect(xlsxText('甲焦化')).toBe('甲焦化');
    expect(xlsxText('A-1号')).toBe('A-1号');
    for (const lead of ['=', '+', '-', '@']) expect(xlsxText(`${lead}x`)).toBe(`'${lead}x`);
    expect(xlsxText('a\rb')).toBe('a_x000D_b');
    expect(xlsxText(null)).toBe('');
  });

  it('types a value by its column kind', () => {
    expect(xlsxValue('integer', 3)).toBe(3);
    expect(xlsxValue('percent', null)).toBeNull();
    expect(xlsxValue('text', '+86 138')).toBe("'+86 138");
    expect(xlsxValue('dateTime', '2026-12-01T10:00:00+08:00')).toEqual(new Date('2026-12-01T10:00:00Z'));
  });

  it('names columns by letter and places each list in its own column of the list sheet', () => {
    expect([1, 26, 27, 52, 53, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'AAA']);
    expect(
      listRanges([
        { title: '绩效等级', values: ['A', 'B', 'C'] },
        { title: '空', values: [] },
        { title: '预警级别', values: ['YELLOW'] },
      ]),
    ).toEqual(["'下拉选项'!$A$2:$A$4", "'下拉选项'!$C$2:$C$2", "'下拉选项'!$E$2:$E$2"]);
  });

  it('writes tables a sheet each: header in row 1, typed cells with their formats, notes last', async () => {
    const buffer = await tablesWorkbook(
      [
        {
          title: '签收:时间?',
          columns: [
            { header: '企业', kind: 'text' },
            { header: '签收时间', kind: 'dateTime' },
            { header: '指令数', kind: 'integer' },
            { header: '签收率', kind: 'percent' },
          ],
          rows: [
            ['=甲', new Date('2026-12-01T02:00:05Z'), 2, 0.5],
            ['乙', null, 1, null],
          ],
        },
      ],
      [['生成时间', new Date('2026-12-01T02:00:00Z')]],
    );
    const workbook = await load(buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['签收 时间 ', '说明']);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, '企业', '签收时间', '指令数', '签收率']);
    expect(sheet.getCell('A2').value).toBe("'=甲");
    expect(sheet.getCell('B2').value).toEqual(new Date('2026-12-01T10:00:05Z'));
    expect(sheet.getCell('B2').numFmt).toBe(XLSX_FORMATS.dateTime);
    expect(sheet.getCell('C2').value).toBe(2);
    expect(sheet.getCell('C2').numFmt).toBe('0');
    expect(sheet.getCell('D2').numFmt).toBe('0.0%');
    expect(sheet.getCell('B3').value).toBeNull();
    expect(sheet.rowCount).toBe(3);
    expect(workbook.worksheets[1].getCell('B1').value).toEqual(new Date('2026-12-01T10:00:00Z'));
  });
});
