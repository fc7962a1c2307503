import { Inject, Injectable } from '@nestjs/common';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { PhotoType } from './inspection.rules';

/**
 * Where inspection photos are kept. The service names a photo by its inspection and number; the store decides where
 * the bytes go and hands back the key it reads them by, `inspection-photos/<inspection id>/<n>.<ext>` in either
 * store. Local disk by default (LocalDiskPhotoStore); an S3-compatible bucket with PHOTO_STORE=s3 (S3PhotoStore,
 * s3-photo-store.ts), bound in InspectionsModule by the configuration. A key whose bytes are gone is a plain error
 * from get (a 500 logged with its stack, as a lost file is the store's fault, not the caller's).
 */
export abstract class PhotoStore {
  /** Keeps the bytes; returns the key to read them by. */
  abstract put(inspectionId: string, n: number, type: PhotoType, bytes: Buffer): Promise<string>;
  abstract get(key: string): Promise<Buffer>;
}

/** The key of an inspection's photo number n, the same in every store (so a local tree syncs to a bucket as it is). */
export function photoKey(inspectionId: string, n: number, type: PhotoType): string {
  return path.posix.join('inspection-photos', inspectionId, `${n}.${type.ext}`);
}

/** Photos under DATA_DIR/inspection-photos/<inspection id>/<n>.<ext>; the key is that path below the data directory. */
@Injectable()
export class LocalDiskPhotoStore extends PhotoStore {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async put(inspectionId: string, n: number, type: PhotoType, bytes: Buffer): Promise<string> {
    const key = photoKey(inspectionId, n, type);
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
