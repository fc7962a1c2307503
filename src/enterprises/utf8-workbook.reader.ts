import ExcelJS from 'exceljs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Decodes a byte stream to strings without splitting multi-byte characters across chunks. */
async function* utf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}

type Internals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown;
  _parseSharedStrings(entry: Readable): unknown;
};
const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: Readable,
  options: object,
) => ExcelJS.stream.xlsx.WorkbookReader & Internals;

/**
 * exceljs' streaming reader decodes every zip chunk on its own, so a Chinese character that straddles a
 * chunk boundary comes out as "���" (exceljs issues #2063, #2084, still open in 4.4.0). This reader hands
 * it whole characters: worksheets through a StringDecoder, shared strings with the stream's own decoding.
 */
export class Utf8WorkbookReader extends Base {
  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown {
    return super._parseWorksheet(utf8Chunks(iterator), sheetNo);
  }

  override _parseSharedStrings(entry: Readable): unknown {
    entry.setEncoding('utf8');
    return super._parseSharedStrings(entry);
  }
}
