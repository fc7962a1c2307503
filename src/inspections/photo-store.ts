import { Inject, Injectable } from '@nestjs/common';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * Where inspection photos are kept. The service names a photo by its inspection and number; the store decides where
 * the bytes go and hands back the key it reads them by. Local disk by default (LocalDiskPhotoStore); an
 * S3-compatible store is another implementation of this class bound in InspectionsModule (not built: see
 * docs/inspections.md).
 */
export abstract class PhotoStore {
  /** Keeps the bytes; returns the key to read them by. */
  abstract put(inspectionId: string, n: number, ext: string, bytes: Buffer): Promise<string>;
  abstract get(key: string): Promise<Buffer>;
}

/** Photos under DATA_DIR/inspection-photos/<inspection id>/<n>.<ext>; the key is that path below the data directory. */
@Injectable()
export class LocalDiskPhotoStore extends PhotoStore {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async put(inspectionId: string, n: number, ext: string, bytes: Buffer): Promise<string> {
    const key = path.posix.join('inspection-photos', inspectionId, `${n}.${ext}`);
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Written beside, then renamed: a reader never sees half a photo.
    const partial = `${file}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, file);
    return key;
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.file(key));
  }

  private file(key: string): string {
    const root = path.resolve(this.config.dataDir);
    const file = path.resolve(root, key);
    // Keys are ours, but a key must never reach outside the data directory.
    if (!file.startsWith(root + path.sep)) throw new Error(`photo key outside the data directory: ${key}`);
    return file;
  }
}
