import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { COLUMNS, headerOf } from '../../src/enterprises/reduction-list.layout';

/** One ZIP entry, already deflated, with what its headers should say. */
export interface ZipPart {
  name: string;
  data: Buffer;
  size: number;
  crc: number;
  /** What the headers claim the inflated size is (default: the truth). */
  declaredSize?: number;
}

export function part(name: string, text: string | Buffer): ZipPart {
  const raw = Buffer.from(text);
  return { name, data: deflateRawSync(raw), size: raw.length, crc: crc32(raw) };
}

/**
 * Deflates text made piece by piece, never holding it whole (hundreds of MB of it stay a few hundred KB in
 * this process): the compressed bytes, the inflated size and its CRC.
 */
export async function streamedPart(name: string, pieces: Iterable<string>): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: 6, memLevel: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  let size = 0;
  let crc = 0;
  for (const piece of pieces) {
    const bytes = Buffer.from(piece);
    size += bytes.length;
    crc = crc32(bytes, crc);
    if (!deflate.write(bytes)) await once(deflate, 'drain');
  }
  deflate.end();
  await finished(deflate);
  return { name, data: Buffer.concat(out), size, crc };
}

/** A ZIP of deflated parts, written by hand so that its declared sizes can lie. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const declared = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The parts every workbook needs, and a first sheet: the layout's header and then `rows` (cell XML). */
export function workbookParts(rows: string): ZipPart[] {
  const header = COLUMNS.map(headerOf)
    .map((h) => `<c t="inlineStr"><is><t>${escapeXml(h)}</t></is></c>`)
    .join('');
  return [
    part(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    part(
      'xl/workbook.xml',
      '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="减排清单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    part(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1">${header}</row>${rows}</sheetData></worksheet>`,
    ),
  ];
}

/**
 * The zip bomb of the security review: a valid-looking .xlsx whose xl/sharedStrings.xml is `megabytes` MB of
 * repetitive text (8,000-character strings) that deflates to well under 1 MB; its one data row uses the first
 * string. `declaredSize` makes the headers claim another inflated size for that part (a bomb that lies).
 */
export async function sharedStringsBomb(megabytes: number, declaredSize?: number): Promise<Buffer> {
  const item = `<si><t>吕梁重污染天气应急${'A'.repeat(8000)}</t></si>`;
  const count = Math.ceil((megabytes * 1024 * 1024) / Buffer.byteLength(item));
  function* pieces(): Generator<string> {
    yield '<?xml version="1.0" encoding="UTF-8"?><sst>';
    const block = item.repeat(32);
    for (let i = 0; i < count; i += 32) yield block;
    yield '</sst>';
  }
  const strings = await streamedPart('xl/sharedStrings.xml', pieces());
  return zip([
    ...workbookParts('<row r="2"><c r="A2" t="s"><v>0</v></c></row>'),
    { ...strings, declaredSize },
  ]);
}
