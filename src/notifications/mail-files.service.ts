import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** An open file being written: the three calls an all-or-nothing write needs. */
export interface WritableFile {
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The local file-system calls the demo mail transport makes, behind a provider: the disk is outside our control, so
 * a test replaces this to make it "full" for a while. Nothing here decides anything; `writeFileAtomically` does.
 */
@Injectable()
export class MailFileSystem {
  async mkdir(dir: string): Promise<void> {
    await fs.promises.mkdir(dir, { recursive: true });
  }

  /** Creates a new file for writing; fails if it exists. */
  create(file: string): Promise<WritableFile> {
    return fs.promises.open(file, 'wx');
  }

  rename(from: string, to: string): Promise<void> {
    return fs.promises.rename(from, to);
  }

  unlink(file: string): Promise<void> {
    return fs.promises.unlink(file);
  }

  /** Flushes a directory's entries (a rename in it) to disk. */
  async syncDir(dir: string): Promise<void> {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * Writes `data` as `file`, all or nothing: into a temporary file in the same directory, flushed to disk, then
 * renamed over the name (atomic on one file system), then the directory flushed so the rename survives a crash. If
 * any step fails (a full disk half-way through), the temporary file is removed and the error is thrown as it was:
 * `file` is either absent or complete, never empty or cut short. The temporary name starts with a dot and does not
 * end in the final extension, so a directory listing of finished files never shows it.
 */
export async function writeFileAtomically(
  fsys: MailFileSystem,
  file: string,
  data: Uint8Array,
): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  await fsys.mkdir(dir);
  let handle: WritableFile | null = null;
  try {
    handle = await fsys.create(temp);
    await handle.writeFile(data);
    await handle.sync();
    const closing = handle;
    handle = null;
    await closing.close();
    await fsys.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    // Gone already if `create` itself failed; the write's own error is the one worth reporting.
    await fsys.unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsys.syncDir(dir);
}
