import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { DomainError } from '../common/errors/domain-error';

/**
 * Reads an uploaded ZIP (an XLSX) with yauzl, never trusting its sizes. An entry whose declared uncompressed
 * size is over its cap is refused before anything is inflated; one that inflates to more than it declares is
 * stopped at its declared size by yauzl (validateEntrySizes), so no entry passes its cap; and every inflated
 * byte is counted as it streams against the file's total cap, reading stops at the first byte past it. (The
 * hand-written reader this replaces inflated shared strings whole: a 613 KB file took the process to 1.4 GB.)
 */
export interface ZipArchive {
  readonly entries: ReadonlyMap<string, Entry>;
  /** Streams an entry's inflated bytes within `cap` (and the file's remaining total). */
  read(entry: Entry, cap: EntryCap): AsyncGenerator<Buffer>;
  /** A small entry's whole text (workbook, relationships), within `cap`; null when absent. */
  text(name: string, cap: EntryCap): Promise<string | null>;
}

export interface EntryCap {
  bytes: number;
  /** What the entry is, for the message ("共享字符串表"). */
  label: string;
}

/** A too-large part or file: 413 naming the limit, like IMPORT_MAX_MB and IMPORT_MAX_ROWS. */
export function inflateLimitError(message: string): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', message, [{ field: 'file', message }]);
}

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1048576) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;

/** Opens a ZIP held in memory and lists its entries (central directory only; nothing inflated yet). */
export async function openZip(buffer: Buffer, total: { bytes: number; label: string }): Promise<ZipArchive> {
  const zip: ZipFile = await yauzl.fromBufferPromise(buffer, {
    lazyEntries: true,
    decodeStrings: true,
    validateEntrySizes: true,
    strictFileNames: false,
  });
  const entries = new Map<string, Entry>();
  for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
  let inflated = 0;

  async function* read(entry: Entry, cap: EntryCap): AsyncGenerator<Buffer> {
    if (entry.uncompressedSize > cap.bytes)
      throw inflateLimitError(
        `${cap.label}(${entry.fileName})声明解压后为 ${formatBytes(entry.uncompressedSize)},超过 ${formatBytes(cap.bytes)} 的上限`,
      );
    const stream: Readable = await zip.openReadStreamPromise(entry);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > total.bytes)
          throw inflateLimitError(
            `Excel 文件解压后总计超过 ${formatBytes(total.bytes)} 的上限(${total.label})`,
          );
        yield chunk;
      }
    } finally {
      // Leaving early (a cap, a parse error) stops the inflation instead of letting it run to the end.
      stream.destroy();
    }
  }

  async function text(name: string, cap: EntryCap): Promise<string | null> {
    const entry = entries.get(name);
    if (!entry) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of read(entry, cap)) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }

  return { entries, read, text };
}
