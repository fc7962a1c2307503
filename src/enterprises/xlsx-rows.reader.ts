import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import { ownString } from './reduction-list.layout';
import { decodeXlsxText } from '../common/xlsx-text.codec';
import { dateStyleIndexes, serialToBeijingIso, usesDate1904 } from '../common/xlsx-dates';
import { inflateLimitError, openZip, type ZipArchive } from './zip-reader';

export interface XlsxCellProblem {
  row: number;
  column: number;
  message: string;
}

/** Excel's last column (XFD): a reference beyond it is not a real cell. */
export const MAX_XLSX_COLUMN = 16_384;

/**
 * Longest cell (or shared string) read: well above the longest value the layout writes for a valid
 * enterprise (200 production lines of the longest code, name and unit, every character escaped: ~125,000).
 */
export const MAX_CELL_CHARS = 262_144;

/**
 * What one XLSX may inflate to and hold, so that a small file cannot take the process's memory (a zip bomb):
 * - `totalBytes`: every part read, together, inflated: 8 × IMPORT_MAX_MB. Worksheet XML is ~4× the CSV of the
 *   same rows (90,000 exported rows: 125 MB of XML, a 30 MB CSV), so this is twice what the largest CSV holds.
 * - `sharedStringsBytes`: the shared-strings part, held in memory while the sheet streams: IMPORT_MAX_MB.
 * - `partBytes`: workbook.xml and its relationships, read whole: 1 MB each.
 * - `textChars`: the text of all cells, shared strings counted each time a cell uses them: IMPORT_MAX_MB
 *   million characters, no more than a CSV within IMPORT_MAX_MB could hold (a small sheet referring to one
 *   long shared string 100,000 times is refused here).
 * - `cellChars`: one cell or shared string: MAX_CELL_CHARS.
 * Declared sizes are checked before inflating and never trusted: the bytes are counted as they stream.
 */
export interface XlsxLimits {
  totalBytes: number;
  sharedStringsBytes: number;
  partBytes: number;
  textChars: number;
  cellChars: number;
}

export function xlsxLimits(importMaxBytes: number): XlsxLimits {
  return {
    totalBytes: 8 * importMaxBytes,
    sharedStringsBytes: importMaxBytes,
    partBytes: 1024 * 1024,
    textChars: importMaxBytes,
    cellChars: MAX_CELL_CHARS,
  };
}

/** Column number (1-based) of a cell reference such as "AB12". */
export function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n;
}

/**
 * The first worksheet's part name, from workbook.xml and its relationships, whether its dates count from 1904, and
 * which cell formats of styles.xml show dates.
 */
async function workbookOf(
  zip: ZipArchive,
  limits: XlsxLimits,
): Promise<{ sheetPath: string; date1904: boolean; dateStyles: Set<number> }> {
  const cap = (label: string) => ({ bytes: limits.partBytes, label });
  const workbook = (await zip.text('xl/workbook.xml', cap('工作簿'))) ?? '';
  const rels = (await zip.text('xl/_rels/workbook.xml.rels', cap('工作簿关系表'))) ?? '';
  const styles = (await zip.text('xl/styles.xml', cap('样式表'))) ?? '';
  const meta = { date1904: usesDate1904(workbook), dateStyles: dateStyleIndexes(styles) };
  const rid = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1];
  const relation = rid
    ? [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${rid}"`))
    : undefined;
  const target = relation ? /Target="([^"]+)"/.exec(relation)?.[1] : undefined;
  if (target)
    return {
      sheetPath: target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`,
      ...meta,
    };
  const any = [...zip.entries.keys()].find((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
  if (!any) throw new Error('没有找到工作表');
  return { sheetPath: any, ...meta };
}

/**
 * Feeds an entry's inflated bytes to a SAX parser, decoding UTF-8 across chunk boundaries; `between` is awaited
 * after each chunk, so that a caller can write what the rows so far gave before more are read.
 */
async function parseEntry(
  chunks: AsyncIterable<Buffer>,
  parser: SaxesParser,
  between?: () => Promise<void>,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    parser.write(decoder.write(chunk));
    if (between) await between();
  }
  parser.write(decoder.end()).close();
}

const cellTooLong = (where: string, max: number) =>
  inflateLimitError(`${where}超过 ${max.toLocaleString('en-US')} 个字符的上限`);

/** The shared strings, streamed: each within cellChars, the part within sharedStringsBytes. */
async function sharedStrings(zip: ZipArchive, limits: XlsxLimits): Promise<string[]> {
  const entry = zip.entries.get('xl/sharedStrings.xml');
  if (!entry) return [];
  const strings: string[] = [];
  const parser = new SaxesParser();
  let current: string | null = null;
  let inText = false;
  let inPhonetic = false;
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (tag.name === 'si') current = '';
    else if (tag.name === 'rPh') inPhonetic = true;
    else if (tag.name === 't' && !inPhonetic) inText = true;
  });
  parser.on('text', (t) => {
    if (!inText || current === null) return;
    if (current.length + t.length > limits.cellChars)
      throw cellTooLong(`共享字符串表第${strings.length + 1}项`, limits.cellChars);
    current += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 't') inText = false;
    else if (tag.name === 'rPh') inPhonetic = false;
    else if (tag.name === 'si') {
      // A detached copy: the parser's text is cut from its chunk, which would stay alive with it.
      strings.push(ownString(decodeXlsxText(current ?? '')));
      current = null;
    }
  });
  await parseEntry(zip.read(entry, { bytes: limits.sharedStringsBytes, label: '共享字符串表' }), parser);
  return strings;
}

/**
 * Reads the first worksheet of an XLSX row by row with a SAX parser, streaming every part within `limits`:
 * values as text (numbers as written, shared and inline strings, `_xHHHH_` escapes decoded, date-formatted
 * numbers as their Beijing time in ISO 8601 with +08:00), never evaluating formulas (reported as problems).
 * `between` is awaited after each inflated chunk of the sheet.
 */
export async function readXlsxRows(
  buffer: Buffer,
  onRow: (rowNumber: number, cells: string[]) => void,
  onProblem: (problem: XlsxCellProblem) => void,
  limits: XlsxLimits,
  between?: () => Promise<void>,
): Promise<void> {
  const zip = await openZip(buffer, { bytes: limits.totalBytes, label: '为 IMPORT_MAX_MB 的8倍' });
  const strings = await sharedStrings(zip, limits);
  const { sheetPath, date1904, dateStyles } = await workbookOf(zip, limits);
  const sheet = zip.entries.get(sheetPath);
  if (!sheet) throw new Error('工作表缺失');

  const parser = new SaxesParser();
  let rowNumber = 0;
  let cells: string[] = [];
  let cellColumn = 0;
  let cellType = '';
  let cellStyle = 0;
  let value = '';
  let capture = false;
  let hasFormula = false;
  let textChars = 0;
  parser.on('opentag', (tag: SaxesTagPlain) => {
    switch (tag.name) {
      case 'row':
        rowNumber = tag.attributes.r ? Number(tag.attributes.r) : rowNumber + 1;
        cells = [];
        cellColumn = 0;
        break;
      case 'c':
        cellColumn = tag.attributes.r ? columnOf(String(tag.attributes.r)) : cellColumn + 1;
        cellType = String(tag.attributes.t ?? 'n');
        cellStyle = Number(tag.attributes.s ?? 0);
        value = '';
        hasFormula = false;
        break;
      case 'v':
      case 't':
        capture = true;
        break;
      case 'f':
        hasFormula = true;
        break;
    }
  });
  parser.on('text', (t) => {
    if (!capture) return;
    if (value.length + t.length > limits.cellChars)
      throw cellTooLong(`第${rowNumber}行第${cellColumn}列的单元格`, limits.cellChars);
    value += t;
  });
  parser.on('closetag', (tag) => {
    switch (tag.name) {
      case 'v':
      case 't':
        capture = false;
        break;
      case 'c': {
        if (hasFormula) {
          onProblem({ row: rowNumber, column: cellColumn, message: '不接受公式单元格,请将公式粘贴为数值' });
          break;
        }
        if (cellColumn > MAX_XLSX_COLUMN) {
          // Padding the row up to a forged column such as ZZZZZZ would grow an array past what V8 allows
          // and abort the whole process.
          onProblem({
            row: rowNumber,
            column: cellColumn,
            message: `列号超出 Excel 的上限(${MAX_XLSX_COLUMN}列)`,
          });
          break;
        }
        let text = decodeXlsxText(value);
        if (cellType === 's') text = strings[Number(value)] ?? '';
        else if (cellType === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
        else if (cellType === 'n' && value !== '' && dateStyles.has(cellStyle))
          text = serialToBeijingIso(Number(value), date1904) ?? text;
        else if (cellType === 'e') {
          onProblem({ row: rowNumber, column: cellColumn, message: `单元格错误值 ${value.slice(0, 20)}` });
          text = '';
        }
        textChars += text.length;
        if (textChars > limits.textChars)
          throw inflateLimitError(
            `Excel 文件中的文字总计超过 ${limits.textChars.toLocaleString('en-US')} 个字符的上限(IMPORT_MAX_MB 大小的 CSV 文件能容纳的文字量)`,
          );
        while (cells.length < cellColumn - 1) cells.push('');
        cells[cellColumn - 1] = text;
        break;
      }
      case 'row':
        onRow(rowNumber, cells);
        break;
    }
  });
  await parseEntry(zip.read(sheet, { bytes: limits.totalBytes, label: '工作表' }), parser, between);
}
