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
});
