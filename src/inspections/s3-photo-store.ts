import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { PhotoStoreConfig } from '../config/app-config';
import type { PhotoType } from './inspection.rules';
import { PhotoStore, photoKey } from './photo-store';

type S3Config = Extract<PhotoStoreConfig, { kind: 's3' }>;

/**
 * The store's failure as a plain error, so it answers 500 (logged) like a disk's: an S3 error's own HTTP status (403,
 * 404 from the bucket) is about our credentials or bucket, not the caller's request.
 */
function storeError(what: string, e: unknown): Error {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new Error(`${what}: ${why}`, { cause: e });
}

/**
 * Photos in an S3 bucket (PHOTO_STORE=s3): AWS S3 itself, or an S3-compatible store (MinIO, Ceph, OSS) at
 * S3_ENDPOINT. Same keys as on disk, `inspection-photos/<inspection id>/<n>.<ext>`, each object with its media type.
 * Built by InspectionsModule's factory from the configuration; the keys never leave the client (nothing logs them).
 */
export class S3PhotoStore extends PhotoStore implements OnModuleDestroy {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3Config) {
    super();
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      // Unset: the SDK's default chain (AWS_* variables, shared files, instance or container role).
      credentials: config.credentials,
      // An upload holds its inspection's row lock until the store answers: a store that hangs must not hold it long.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
      // The SDK's default CRC checksums (flexible checksums) are AWS's own; S3-compatible stores do not all take
      // them, so with an endpoint they are sent and checked only where the operation requires them.
      ...(config.endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    });
    const where = config.endpoint ? new URL(config.endpoint).host : `AWS S3 ${config.region}`;
    new Logger('PhotoStore').log(`inspection photos in bucket ${config.bucket} (${where})`);
  }

  /** A plain PutObject: conditional writes (IfNoneMatch) are not taken by every S3-compatible store. */
  async put(inspectionId: string, n: number, type: PhotoType, bytes: Buffer): Promise<string> {
    const key = photoKey(inspectionId, n, type);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: type.mediaType,
          ContentLength: bytes.length,
        }),
      );
    } catch (e) {
      throw storeError(`photo ${key} could not be stored in bucket ${this.bucket}`, e);
    }
    return key;
  }

  /** The object's bytes; a key with no object is a plain error, as a lost file is on disk (a 500, logged). */
  async get(key: string): Promise<Buffer> {
    let body: Uint8Array;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!res.Body) throw new Error(`photo ${key}: the store answered without a body`);
      body = await res.Body.transformToByteArray();
    } catch (e) {
      if (e instanceof NoSuchKey)
        throw new Error(`photo ${key} is missing from bucket ${this.bucket}`, { cause: e });
      throw storeError(`photo ${key} could not be read from bucket ${this.bucket}`, e);
    }
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }
}
