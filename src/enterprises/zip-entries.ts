import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * The few ZIP reads an XLSX import needs, on Node's native zlib: list the entries from the central
 * directory and stream one entry's inflated bytes. (JSZip inflates in JavaScript and kept hundreds of MB
 * of chunks alive while a 90,000-row sheet streamed through.) No ZIP64: uploads are far below 4 GB.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('不是有效的 ZIP/XLSX 文件(找不到目录)');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE)
      throw new Error('ZIP 目录已损坏');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeaderOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, { name, method, compressedSize, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry's uncompressed bytes as a stream (stored or deflated entries). */
export function entryStream(zip: Buffer, entry: ZipEntry): Readable {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_SIGNATURE)
    throw new Error(`ZIP 条目 ${entry.name} 已损坏`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Readable.from([data]);
  if (entry.method !== 8) throw new Error(`不支持的 ZIP 压缩方式 ${entry.method}`);
  const inflate = createInflateRaw();
  inflate.end(data);
  return inflate;
}

export async function entryText(zip: Buffer, entry: ZipEntry | undefined): Promise<string | null> {
  if (!entry) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of entryStream(zip, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
