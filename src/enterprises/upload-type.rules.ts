import { isUtf8 } from 'node:buffer';

export type SheetFormat = 'xlsx' | 'csv';

/** The first words of every refusal of a file that is not a sheet at all. */
export const NOT_A_SHEET = '文件不是有效的 XLSX 或 CSV 表格';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Files people upload by mistake, by their first bytes, with what to say they are. */
const SIGNATURES: Array<[Buffer, string]> = [
  [Buffer.from('%PDF'), '内容是 PDF 文档'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), '内容是图片'], // PNG
  [Buffer.from([0xff, 0xd8, 0xff]), '内容是图片'], // JPEG
  [Buffer.from('GIF8'), '内容是图片'],
  [Buffer.from([0x1f, 0x8b]), '内容是压缩包'], // gzip
  [Buffer.from('Rar!'), '内容是压缩包'],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), '内容是压缩包'], // 7z
  [Buffer.from([0x50, 0x4b, 0x05, 0x06]), '内容是空的压缩包'], // an empty zip
];
/** OLE2: an old .xls, or an XLSX saved with a password (Excel wraps those in OLE2 too). */
const OLE2 = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * What an upload is, from its content (its name only has to agree): an XLSX (a zip), a CSV (UTF-8, or
 * UTF-16LE with its BOM), or a short Chinese reason why it is neither, so that no parser ever has to
 * explain a PNG.
 */
export function sniffUpload(buffer: Buffer, filename: string): { format: SheetFormat } | { problem: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  const startsWith = (magic: Buffer) => buffer.subarray(0, magic.length).equals(magic);
  const utf16 = startsWith(Buffer.from([0xff, 0xfe]));
  const text = startsWith(UTF8_BOM) ? buffer.subarray(3) : utf16 ? buffer.subarray(2) : buffer;
  if (text.length < 4096 && text.toString(utf16 ? 'utf16le' : 'latin1').trim() === '')
    return { problem: '文件是空的,没有任何内容' };
  if (startsWith(ZIP_MAGIC)) return { format: 'xlsx' };
  if (startsWith(OLE2))
    return { problem: `${NOT_A_SHEET}:这是旧版(97-2003)或设置了密码的 Excel 文件,请另存为未加密的 XLSX` };
  const known = SIGNATURES.find(([magic]) => startsWith(magic));
  if (known) return { problem: `${NOT_A_SHEET}:${known[1]}` };
  if (ext === 'xlsx') return { problem: `${NOT_A_SHEET}:扩展名为 XLSX,但内容不是 Excel 文件` };
  if (ext && ['xls', 'xlsm', 'xlsb', 'ods', 'numbers', 'et'].includes(ext))
    return { problem: `${NOT_A_SHEET}:只接受 XLSX 或 CSV,请另存为其中一种` };
  if (utf16) return { format: 'csv' };
  if (startsWith(Buffer.from([0xfe, 0xff])))
    return { problem: `${NOT_A_SHEET}:CSV 为 UTF-16 大端编码,请另存为“CSV UTF-8(逗号分隔)”` };
  if (looksBinary(text)) return { problem: `${NOT_A_SHEET}:内容是二进制数据` };
  if (/^\s*</.test(text.subarray(0, 64).toString('latin1')))
    return { problem: `${NOT_A_SHEET}:内容是网页,不是表格,请在 Excel 中另存为 XLSX 或 CSV` };
  if (!isUtf8(text))
    return {
      problem: 'CSV 文件不是 UTF-8 编码,请在 Excel 中另存为“CSV UTF-8(逗号分隔)”后重新上传',
    };
  return { format: 'csv' };
}

/** Control characters other than tab and line breaks in more than 1% of the first 8 KB: not text. */
function looksBinary(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  return control > 4 && control > sample.length / 100;
}
