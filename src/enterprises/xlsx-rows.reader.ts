import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import { entryStream, entryText, type ZipEntry, zipEntries } from './zip-entries';

export interface XlsxCellProblem {
  row: number;
  column: number;
  message: string;
}

/** Excel's last column (XFD): a reference beyond it is not a real cell. */
export const MAX_XLSX_COLUMN = 16_384;

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

/** The first worksheet's part name, from workbook.xml and its relationships. */
async function firstSheetPath(zip: Buffer, entries: Map<string, ZipEntry>): Promise<string> {
  const workbook = (await entryText(zip, entries.get('xl/workbook.xml'))) ?? '';
  const rels = (await entryText(zip, entries.get('xl/_rels/workbook.xml.rels'))) ?? '';
  const rid = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1];
  const relation = rid
    ? [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${rid}"`))
    : undefined;
  const target = relation ? /Target="([^"]+)"/.exec(relation)?.[1] : undefined;
  if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const any = [...entries.keys()].find((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
  if (!any) throw new Error('没有找到工作表');
  return any;
}

async function sharedStrings(zip: Buffer, entries: Map<string, ZipEntry>): Promise<string[]> {
  const text = await entryText(zip, entries.get('xl/sharedStrings.xml'));
  if (!text) return [];
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
    if (inText && current !== null) current += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 't') inText = false;
    else if (tag.name === 'rPh') inPhonetic = false;
    else if (tag.name === 'si') {
      strings.push(current ?? '');
      current = null;
    }
  });
  parser.write(text).close();
  return strings;
}

/**
 * Reads the first worksheet of an XLSX row by row with a SAX parser: values as text (numbers as written,
 * shared and inline strings), never evaluating formulas (reported as problems). Much leaner than building
 * exceljs' cell model, and decodes UTF-8 across chunk boundaries correctly.
 */
export async function readXlsxRows(
  buffer: Buffer,
  onRow: (rowNumber: number, cells: string[]) => void,
  onProblem: (problem: XlsxCellProblem) => void,
): Promise<void> {
  const entries = zipEntries(buffer);
  const strings = await sharedStrings(buffer, entries);
  const sheet = entries.get(await firstSheetPath(buffer, entries));
  if (!sheet) throw new Error('工作表缺失');

  const parser = new SaxesParser();
  let rowNumber = 0;
  let cells: string[] = [];
  let cellColumn = 0;
  let cellType = '';
  let value = '';
  let capture = false;
  let hasFormula = false;
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
    if (capture) value += t;
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
        let text = value;
        if (cellType === 's') text = strings[Number(value)] ?? '';
        else if (cellType === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
        else if (cellType === 'e') {
          onProblem({ row: rowNumber, column: cellColumn, message: `单元格错误值 ${value}` });
          text = '';
        }
        while (cells.length < cellColumn - 1) cells.push('');
        cells[cellColumn - 1] = text;
        break;
      }
      case 'row':
        onRow(rowNumber, cells);
        break;
    }
  });
  const decoder = new StringDecoder('utf8');
  await new Promise<void>((resolve, reject) => {
    const stream = entryStream(buffer, sheet);
    stream.on('data', (chunk: Buffer) => {
      try {
        parser.write(decoder.write(chunk));
      } catch (e) {
        stream.emit('error', e);
      }
    });
    stream.on('end', () => {
      try {
        parser.write(decoder.end()).close();
        resolve();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    stream.on('error', reject);
  });
}
