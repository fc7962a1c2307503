import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const prod = {
    DATABASE_URL: 'postgres://u@db:5432/hz',
    SESSION_SECRET: 's'.repeat(32),
    DUTY_OFFICE_PHONE: '0358-8221234',
    DUTY_OFFICE_EMAIL: 'duty@lvliang.example.cn',
  };

  it('defaults to demo mode with the embedded database when DATABASE_URL is unset', () => {
    const config = loadConfig({}, dir);
    expect(config).toMatchObject({
      demo: true,
      databaseUrl: undefined,
      port: 3000,
      host: '127.0.0.1',
      demoPassword: 'demo',
      appUrl: 'http://localhost:3000',
      embeddedPg: { dir: path.join(dir, '.data', 'pg'), port: 54329 },
      schedulerEnabled: true,
    });
  });

  it("reads LOG_LEVEL as pino's level, info by default, with Nest's old names log and verbose", () => {
    expect(loadConfig({}, dir).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'debug' }, dir).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'WARN' }, dir).logLevel).toBe('warn');
    expect(loadConfig({ LOG_LEVEL: 'log' }, dir).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'verbose' }, dir).logLevel).toBe('trace');
  });

  it('generates a demo session secret once and keeps it across restarts', () => {
    const first = loadConfig({}, dir).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}, dir).sessionSecret).toBe(first);
  });

  it('uses DATABASE_URL without demo data unless DEMO=true', () => {
    expect(loadConfig(prod, dir)).toMatchObject({
      demo: false,
      databaseUrl: prod.DATABASE_URL,
      host: '0.0.0.0',
    });
    expect(loadConfig({ ...prod, DEMO: 'true' }, dir).demo).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x/y', SESSION_SECRET: 's'.repeat(32) }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ APP_URL: 'ftp://x' }, 'APP_URL'],
    [{ DEMO: 'maybe', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 's'.repeat(32) }, 'DEMO'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
    [{ DUTY_OFFICE_EMAIL: '"duty,office"@x.cn' }, 'DUTY_OFFICE_EMAIL'],
    [{ DUTY_OFFICE_PHONE: 'call us' }, 'DUTY_OFFICE_PHONE'],
    [{ ...prod, DUTY_OFFICE_PHONE: '' }, 'DUTY_OFFICE_PHONE'],
    [{ ...prod, DUTY_OFFICE_EMAIL: undefined }, 'DUTY_OFFICE_EMAIL'],
    [{ DOCUMENT_NUMBER_PREFIX: '吕〔重〕' }, 'DOCUMENT_NUMBER_PREFIX'],
    [{ PHOTO_STORE: 'ftp' }, 'PHOTO_STORE'],
    [{ S3_BUCKET: 'photos' }, 'PHOTO_STORE'],
    [{ PHOTO_STORE: 's3', S3_BUCKET: 'a/b' }, 'S3_BUCKET'],
    [{ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT'],
    [{ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_ENDPOINT: 'ftp://minio:9000' }, 'S3_ENDPOINT'],
    [{ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_REGION: 'cn north' }, 'S3_REGION'],
    [{ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: 'maybe' }, 'S3_FORCE_PATH_STYLE'],
    [{ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'AKIDEXAMPLE' }, 'S3_SECRET_ACCESS_KEY'],
  ])('rejects %p naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('runs one web worker unless WEB_WORKERS says more, and more only with an external database', () => {
    expect(loadConfig(prod, dir).webWorkers).toBe(1);
    expect(loadConfig({ ...prod, WEB_WORKERS: '2' }, dir).webWorkers).toBe(2);
    expect(() => loadConfig({ WEB_WORKERS: '2' }, dir)).toThrow(
      /WEB_WORKERS needs DATABASE_URL.*多个工作进程须连接外部数据库/,
    );
  });

  it('renders notices on one worker thread where there is a core to spare, unless MAIL_RENDER_WORKERS says', () => {
    const cores = jest.spyOn(os, 'availableParallelism');
    try {
      cores.mockReturnValue(2);
      expect(loadConfig(prod, dir).mail.renderWorkers).toBe(1);
      cores.mockReturnValue(1);
      expect(loadConfig(prod, dir).mail.renderWorkers).toBe(0);
    } finally {
      cores.mockRestore();
    }
    expect(loadConfig({ ...prod, MAIL_RENDER_WORKERS: '0' }, dir).mail.renderWorkers).toBe(0);
    expect(loadConfig({ ...prod, MAIL_RENDER_WORKERS: '2' }, dir).mail.renderWorkers).toBe(2);
    expect(() => loadConfig({ ...prod, MAIL_RENDER_WORKERS: '9' }, dir)).toThrow(/MAIL_RENDER_WORKERS/);
  });

  it('verifies the audit log with half the cores as worker threads (1 to 4) unless AUDIT_VERIFY_WORKERS says', () => {
    const cores = jest.spyOn(os, 'availableParallelism');
    try {
      cores.mockReturnValue(2);
      expect(loadConfig(prod, dir).auditVerifyWorkers).toBe(1);
      cores.mockReturnValue(1);
      expect(loadConfig(prod, dir).auditVerifyWorkers).toBe(1);
      cores.mockReturnValue(6);
      expect(loadConfig(prod, dir).auditVerifyWorkers).toBe(3);
      cores.mockReturnValue(32);
      expect(loadConfig(prod, dir).auditVerifyWorkers).toBe(4);
    } finally {
      cores.mockRestore();
    }
    expect(loadConfig({ ...prod, AUDIT_VERIFY_WORKERS: '3' }, dir).auditVerifyWorkers).toBe(3);
    expect(() => loadConfig({ ...prod, AUDIT_VERIFY_WORKERS: '0' }, dir)).toThrow(/AUDIT_VERIFY_WORKERS/);
    expect(() => loadConfig({ ...prod, AUDIT_VERIFY_WORKERS: 'many' }, dir)).toThrow(/AUDIT_VERIFY_WORKERS/);
  });

  it('requires the duty office contacts outside demo mode, in English and Chinese, and has demo ones', () => {
    const { DUTY_OFFICE_PHONE: _p, ...noPhone } = prod;
    expect(() => loadConfig(noPhone, dir)).toThrow(
      /DUTY_OFFICE_PHONE is required outside demo mode.*值班室电话必须配置/,
    );
    expect(loadConfig(prod, dir).dutyOffice).toMatchObject({
      phone: '0358-8221234',
      email: 'duty@lvliang.example.cn',
    });
    expect(loadConfig({}, dir).dutyOffice).toMatchObject({ phone: '0358-5550000', email: 'duty@localhost' });
  });

  it('numbers notices 吕重污应急〔YYYY〕N号 unless DOCUMENT_NUMBER_PREFIX says otherwise', () => {
    expect(loadConfig({}, dir).documents).toEqual({
      numberPrefix: '吕重污应急',
      issuer: '吕梁市重污染天气应急指挥部',
      issuerOffice: '吕梁市重污染天气应急指挥部办公室',
    });
    expect(loadConfig({ DOCUMENT_NUMBER_PREFIX: '吕环应急' }, dir).documents.numberPrefix).toBe('吕环应急');
  });

  it('marks cookies Secure when the public URL is https', () => {
    expect(loadConfig({ ...prod, APP_URL: 'https://haze.example.cn/' }, dir)).toMatchObject({
      appUrl: 'https://haze.example.cn',
      secureCookies: true,
    });
  });

  describe('the photo store', () => {
    it('keeps photos on local disk by default and with PHOTO_STORE=local', () => {
      expect(loadConfig({}, dir).photoStore).toEqual({ kind: 'local' });
      expect(loadConfig({ PHOTO_STORE: ' Local ' }, dir).photoStore).toEqual({ kind: 'local' });
    });

    it('with PHOTO_STORE=s3 reads the bucket, endpoint, region, path style and keys', () => {
      expect(
        loadConfig(
          {
            PHOTO_STORE: 's3',
            S3_BUCKET: 'hz-photos',
            S3_ENDPOINT: 'http://minio.internal:9000',
            S3_REGION: 'cn-north-1',
            S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
            S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
          },
          dir,
        ).photoStore,
      ).toEqual({
        kind: 's3',
        bucket: 'hz-photos',
        endpoint: 'http://minio.internal:9000',
        region: 'cn-north-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' },
      });
    });

    it('defaults to us-east-1, virtual-host style on AWS itself, and the SDK credential chain without keys', () => {
      expect(loadConfig({ PHOTO_STORE: 'S3', S3_BUCKET: 'hz-photos' }, dir).photoStore).toEqual({
        kind: 's3',
        bucket: 'hz-photos',
        endpoint: undefined,
        region: 'us-east-1',
        forcePathStyle: false,
        credentials: undefined,
      });
      const s3 = { PHOTO_STORE: 's3', S3_BUCKET: 'hz-photos', S3_ENDPOINT: 'https://oss.example.cn' };
      expect(loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'false' }, dir).photoStore).toMatchObject({
        forcePathStyle: false,
      });
      expect(
        loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'b1', S3_FORCE_PATH_STYLE: 'true' }, dir).photoStore,
      ).toMatchObject({ forcePathStyle: true });
    });

    it('refuses PHOTO_STORE=s3 without a bucket, naming S3_BUCKET in English and Chinese', () => {
      expect(() => loadConfig({ PHOTO_STORE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000' }, dir)).toThrow(
        /S3_BUCKET is required when PHOTO_STORE=s3.*必须配置照片存储桶 S3_BUCKET/,
      );
    });

    it('never echoes a key in its message', () => {
      const secret = 'wJalrXUtnFEMI/K7MDENG-very-secret';
      let error: unknown;
      try {
        loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'b1', S3_SECRET_ACCESS_KEY: secret }, dir);
      } catch (e) {
        error = e;
      }
      expect((error as ConfigError).variable).toBe('S3_ACCESS_KEY_ID');
      expect((error as ConfigError).message).not.toContain(secret);
    });
  });
});
