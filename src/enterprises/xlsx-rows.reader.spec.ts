import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { part, sharedStringsBomb, workbookParts, zip } from '../../test/support/xlsx-bomb';
import { DomainError } from '../common/errors/domain-error';
import { readSheet, toBuffer } from './spreadsheet.io';
import { readXlsxRows, type XlsxLimits, xlsxLimits } from './xlsx-rows.reader';
import { openZip } from './zip-reader';

const MB = 1024 * 1024;
const ROOT = path.join(__dirname, '../..');

/** What reading a file with these limits ends in: the rows' first cells, or the refusal. */
async function outcome(
  buffer: Buffer,
  limits: XlsxLimits,
): Promise<string[] | { code: string; message: string }> {
  const rows: string[] = [];
  try {
    await readXlsxRows(
      buffer,
      (_r, cells) => rows.push(cells[0] ?? ''),
      () => undefined,
      limits,
    );
    return rows;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message };
    throw e;
  }
}

const strings = (items: string[]) =>
  part('xl/sharedStrings.xml', `<sst>${items.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`);
const cellsUsing = (n: number) =>
  Array.from({ length: n }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>0</v></c></row>`).join('');

describe('capped XLSX reading', () => {
  const limits = xlsxLimits(1 * MB); // IMPORT_MAX_MB=1: 8 MB in all, 1 MB of shared strings

  it('reads a valid file whole', async () => {
    const file = zip([...workbookParts(cellsUsing(3)), strings(['吕梁_x000D_焦化'])]);
    expect(await outcome(file, limits)).toEqual([
      '统一社会信用代码(creditCode)',
      ...Array(3).fill('吕梁\r焦化'),
    ]);
  });

  it('refuses a part whose declared size is over its cap before inflating anything', async () => {
    const file = zip([...workbookParts(''), { ...strings(['x']), declaredSize: 2 * MB }]);
    expect(await outcome(file, limits)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: '共享字符串表(xl/sharedStrings.xml)声明解压后为 2 MB,超过 1 MB 的上限',
    });
  });

  it('counts every part against the file total, whatever each declares', async () => {
    const archive = await openZip(
      zip([part('a.xml', 'a'.repeat(600_000)), part('b.xml', 'b'.repeat(600_000))]),
      { bytes: MB, label: '测试' },
    );
    const cap = { bytes: MB, label: '部件' };
    expect(await archive.text('a.xml', cap)).toHaveLength(600_000);
    await expect(archive.text('b.xml', cap)).rejects.toThrow('Excel 文件解压后总计超过 1 MB 的上限(测试)');
  });

  it('stops at the declared size when a part inflates to more than it says', async () => {
    const archive = await openZip(zip([{ ...part('a.xml', 'a'.repeat(500_000)), declaredSize: 1000 }]), {
      bytes: MB,
      label: '测试',
    });
    let inflated = 0;
    await expect(
      (async () => {
        for await (const chunk of archive.read(archive.entries.get('a.xml')!, { bytes: MB, label: '部件' }))
          inflated += chunk.length;
      })(),
    ).rejects.toThrow(/too many bytes/);
    expect(inflated).toBeLessThanOrEqual(1000);
  });

  it('refuses a worksheet declaring more than the file total, and parts that inflate past it together', async () => {
    const row = (r: number) =>
      `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${'x'.repeat(1000)}</t></is></c></row>`;
    const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i + 2)).join('');
    expect(await outcome(zip(workbookParts(rows(9000))), limits)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: '工作表(xl/worksheets/sheet1.xml)声明解压后为 9.2 MB,超过 8 MB 的上限',
    });
    // 0.9 MB of shared strings and a 7.5 MB sheet: each under its cap, 8.4 MB together.
    const sst = strings(Array.from({ length: 250 }, (_, i) => `${i}${'吕'.repeat(1200)}`));
    const roomyText = { ...limits, textChars: 100 * MB };
    expect(await outcome(zip([...workbookParts(rows(7300)), sst]), roomyText)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Excel 文件解压后总计超过 8 MB 的上限(为 IMPORT_MAX_MB 的8倍)',
    });
    expect(await outcome(zip([...workbookParts(rows(6500)), sst]), roomyText)).toHaveLength(6501);
  });

  it('refuses a cell or shared string longer than any column takes', async () => {
    const long = 'x'.repeat(limits.cellChars + 1);
    expect(await outcome(zip([...workbookParts(''), strings([long])]), limits)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: '共享字符串表第1项超过 262,144 个字符的上限',
    });
    const inline = `<row r="2"><c r="B2" t="inlineStr"><is><t>${long}</t></is></c></row>`;
    expect(await outcome(zip(workbookParts(inline)), limits)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: '第2行第2列的单元格超过 262,144 个字符的上限',
    });
  });

  it('refuses a small sheet that uses one long shared string over and over (more text than a CSV could hold)', async () => {
    const file = zip([...workbookParts(cellsUsing(6)), strings(['吕'.repeat(200_000)])]);
    expect(await outcome(file, limits)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('Excel 文件中的文字总计超过 1,048,576 个字符的上限'),
    });
    expect(await outcome(file, { ...limits, textChars: 2 * MB })).toHaveLength(7);
  });

  it('still reads an exported list exactly', async () => {
    const buffer = await toBuffer('xlsx', [{ name: 'a\r\nb', address: '_x000D_', description: 'c\u000bd' }]);
    const { rows, errors } = await readSheet(buffer, 'xlsx', 10, limits);
    expect(errors.filter((e) => e.row !== 1)).toEqual([]);
    expect(rows[0].cells).toMatchObject({ name: 'a\r\nb', address: '_x000D_', description: 'c\u000bd' });
  });
});

describe('the zip bomb of the security review', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'haze-bomb-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the import's reader on the file in a process whose JavaScript heap is capped at 128 MB. */
  async function readInSmallHeap(file: Buffer): Promise<Record<string, unknown>> {
    const name = path.join(dir, 'bomb.xlsx');
    writeFileSync(name, file);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--max-old-space-size=128',
        '-r',
        path.join(ROOT, 'test/support/ts-register.cjs'),
        path.join(ROOT, 'test/support/read-sheet.process.ts'),
        name,
        'xlsx',
      ],
      { cwd: ROOT },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  it('is refused by a reader with a 128 MB heap, staying far below its inflated size (1,000 MB)', async () => {
    // The headers claim 40 MB (under the default 50 MB cap) for 1,000 MB of shared strings: a bomb that lies.
    // The bound is far below the inflated size and above what the process takes on a loaded machine (its modules
    // alone are ~120 MiB; peaks of 220-400 MiB were seen under parallel test load, the same for 300 MB or 1,000 MB).
    const bomb = await sharedStringsBomb(1000, 40 * MB);
    expect(bomb.length).toBeLessThan(2 * MB);
    const result = await readInSmallHeap(bomb);
    expect(result).toMatchObject({
      refused: 'INVALID_FILE',
      message: expect.stringContaining('解压后的大小与文件声明的不符'),
    });
    console.log(`bomb read in a 128 MB heap: peak RSS ${String(result.maxRssMiB)} MiB`);
    expect(result.maxRssMiB).toBeLessThan(500);
  }, 60_000);

  it('is refused before inflating when it declares its size honestly', async () => {
    const result = await readInSmallHeap(await sharedStringsBomb(300));
    expect(result).toMatchObject({
      refused: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('超过 50 MB 的上限'),
    });
  }, 60_000);
});

describe('date cells', () => {
  it('reads a date-formatted number as the Beijing time it shows, and other numbers as written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('读数');
    ws.addRow(['时间', '数值', '日期']);
    const row = ws.addRow([
      new Date(Date.UTC(2026, 11, 1, 11, 0, 0)),
      93.75,
      new Date(Date.UTC(2026, 11, 1)),
    ]);
    row.getCell(1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    row.getCell(2).numFmt = '#,##0.00';
    row.getCell(3).numFmt = 'yyyy"年"m"月"d"日"';
    const rows: string[][] = [];
    await readXlsxRows(
      Buffer.from(await wb.xlsx.writeBuffer()),
      (_r, cells) => rows.push(cells),
      () => undefined,
      xlsxLimits(MB),
    );
    expect(rows).toEqual([
      ['时间', '数值', '日期'],
      ['2026-12-01T11:00:00+08:00', '93.75', '2026-12-01T00:00:00+08:00'],
    ]);
  });
});
