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

  const prod = { DATABASE_URL: 'postgres://u@db:5432/hz', SESSION_SECRET: 's'.repeat(32) };

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

  it('marks cookies Secure when the public URL is https', () => {
    expect(loadConfig({ ...prod, APP_URL: 'https://haze.example.cn/' }, dir)).toMatchObject({
      appUrl: 'https://haze.example.cn',
      secureCookies: true,
    });
  });
});
