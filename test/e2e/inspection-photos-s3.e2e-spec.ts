import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { toErrorResponse } from '../../src/common/filters/api-exception.filter';
import { ConfigError } from '../../src/config/app-config';
import { LocalDiskPhotoStore } from '../../src/inspections/photo-store';
import { S3PhotoStore } from '../../src/inspections/s3-photo-store';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/** Reads a binary answer whole. */
function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
// Every byte value, so nothing in the path (multipart, signing, the store) may treat the body as text.
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
]);

const BUCKET = 'hz-inspection-photos';
// s3rver's one account: it refuses another access key id (it does not check SigV4 signatures themselves).
const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Issue 17, photos in an S3-compatible store (PHOTO_STORE=s3): a real S3 server in this process (s3rver, on a free port,
 * its objects under a tmp dir), the app uploading through the AWS SDK and reading back; nothing under DATA_DIR.
 */
describe('inspection photos in an S3-compatible store', () => {
  let server: S3rver;
  let s3Dir: string;
  let endpoint: string;
  let s3: S3Client;
  let dataDir: string;
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let env: Record<string, string>;

  beforeAll(async () => {
    s3Dir = mkdtempSync(path.join(tmpdir(), 'hz-s3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: KEYS });

    dataDir = mkdtempSync(path.join(tmpdir(), 'hz-s3-data-'));
    env = {
      DATA_DIR: dataDir,
      PHOTO_STORE: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: KEYS.accessKeyId,
      S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    };
    sink = await startSmtpSink();
    t = await createTestApp({ env: { ...env, SMTP_URL: sink.url } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    s = await scenario(t, { sink })
      .enterprises([{ key: 'jia', input: { name: '孝义存储甲焦化有限公司', grade: 'C' } }])
      .warning({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-28T10:00:00+08:00',
        reason: '会商研判,污染已较重',
      })
      .approved()
      .delivered();
    t.clock.set('2026-11-28T16:00:00+08:00');
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
    s3?.destroy();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(s3Dir, { recursive: true, force: true });
  });

  let inspectionId: string;

  it('puts each photo in the bucket under its key with its type, nothing on disk, and serves it back', async () => {
    const res = await s.agents.duty
      .post(`/api/orders/${s.orders.jia}/inspections`)
      .send({
        inspectedAt: '2026-11-28T15:00:00+08:00',
        inspectors: ['张三'],
        findings: '1号焦炉按要求限产',
        result: 'COMPLIANT',
      })
      .expect(201);
    inspectionId = res.body.id;

    const up = await s.agents.duty
      .post(`/api/inspections/${inspectionId}/photos`)
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('photos', PNG, 'site.png')
      .attach('photos', JPEG, 'gate.jpg')
      .expect(201);
    expect(up.body.photos.map((p: { n: number; mediaType: string }) => [p.n, p.mediaType])).toEqual([
      [1, 'image/png'],
      [2, 'image/jpeg'],
    ]);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      [`inspection-photos/${inspectionId}/1.png`, PNG.length],
      [`inspection-photos/${inspectionId}/2.jpg`, JPEG.length],
    ]);
    for (const [key, bytes, type] of [
      [`inspection-photos/${inspectionId}/1.png`, PNG, 'image/png'],
      [`inspection-photos/${inspectionId}/2.jpg`, JPEG, 'image/jpeg'],
    ] as const) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(object.ContentType).toBe(type);
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    }
    const [row] = await t.dataSource.query<Array<{ storage_key: string }>>(
      'SELECT storage_key FROM inspection_photo WHERE inspection_id = $1 AND n = 2',
      [inspectionId],
    );
    expect(row.storage_key).toBe(`inspection-photos/${inspectionId}/2.jpg`);
    expect(existsSync(path.join(dataDir, 'inspection-photos'))).toBe(false);

    const auditor = await t.signIn(['AUDITOR']);
    for (const [n, bytes, type] of [
      [1, PNG, 'image/png'],
      [2, JPEG, 'image/jpeg'],
    ] as const) {
      const back = await auditor
        .get(`/api/inspections/${inspectionId}/photos/${n}`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(back.headers['content-type']).toBe(type);
      expect((back.body as Buffer).equals(bytes)).toBe(true);
    }
  });

  it('answers a photo whose object is gone as the local store answers a lost file: a 500, logged', async () => {
    await s3.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: `inspection-photos/${inspectionId}/1.png` }),
    );
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await s.agents.duty.get(`/api/inspections/${inspectionId}/photos/1`).expect(500);
      // The same answer as for a key whose file is not in DATA_DIR.
      const emptyDir = mkdtempSync(path.join(tmpdir(), 'hz-s3-local-'));
      const local = new LocalDiskPhotoStore(testConfig(t.db.url, { DATA_DIR: emptyDir }));
      const lost = await local.get(`inspection-photos/${inspectionId}/1.png`).catch((e: unknown) => e);
      rmSync(emptyDir, { recursive: true, force: true });
      expect((lost as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(res.body).toEqual(toErrorResponse(lost).body);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误' } });
      expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toContain(
        `photo inspection-photos/${inspectionId}/1.png is missing from bucket ${BUCKET}`,
      );
    } finally {
      logged.mockRestore();
    }
    // The other photo is still there.
    await s.agents.duty.get(`/api/inspections/${inspectionId}/photos/2`).expect(200);
  });

  it('fails a put with keys the store does not know naming the store error, never the secret', async () => {
    const secret = 'not-the-secret-of-this-store-0123456789';
    const config = testConfig(t.db.url, {
      ...env,
      S3_ACCESS_KEY_ID: 'AKIDUNKNOWN',
      S3_SECRET_ACCESS_KEY: secret,
    }).photoStore;
    if (config.kind !== 's3') throw new Error('expected the s3 store');
    const store = new S3PhotoStore(config);
    try {
      const error = (await store
        .put(inspectionId, 9, { mediaType: 'image/png', ext: 'png' }, PNG)
        .catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/^photo inspection-photos\/.+\/9\.png could not be stored in bucket/);
      expect(error.message).toContain('InvalidAccessKeyId');
      expect(error.message).not.toContain(secret);
      expect(toErrorResponse(error).status).toBe(500);
    } finally {
      store.onModuleDestroy();
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`inspection-photos/${inspectionId}/2.jpg`]);
  });

  it('refuses to start with PHOTO_STORE=s3 and no S3_BUCKET, naming the variable', () => {
    const { S3_BUCKET: _bucket, ...noBucket } = env;
    let error: unknown;
    try {
      testConfig(t.db.url, noBucket);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('S3_BUCKET');
    // main.ts prints this message and exits 1 before anything starts.
    expect((error as ConfigError).message).toMatch(/^Invalid configuration: S3_BUCKET is required/);
  });
});
