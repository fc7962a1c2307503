import { type ChildProcess, fork } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { checkServiceRole, grantServiceRole } from '../../src/database/database-roles';
import { freePort } from '../support/free-port';

const ROOT = path.resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  url: string;
  migrationUrl: string;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = fork(path.join(ROOT, 'test/support/embedded.process.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', path.join(ROOT, 'test/support/ts-register.cjs')],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string; migrationUrl: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL process exited (${code})`)));
  });
}

const stop = (s: Started) =>
  new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.send('stop');
  });

async function connects(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? 'error';
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('embedded PostgreSQL (npm start): generated logins, the service owning nothing', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hz-embedded-'));
  // The server runs as the OS user postgres when we are root: it must reach its data directory.
  chmodSync(dir, 0o755);
  const credentials = path.join(dir, 'pg-credentials.json');
  let env: Record<string, string>;
  let running: Started | undefined;

  beforeAll(async () => {
    env = {
      HZ_PG_DIR: path.join(dir, 'pg'),
      HZ_PG_PORT: String(await freePort()),
      HZ_PG_CREDENTIALS: credentials,
    };
  });
  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces the fixed password of an earlier data directory and splits owner and service', async () => {
    running = await start({ ...env, HZ_LEGACY: '1' });
    const port = env.HZ_PG_PORT;
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(credentials, 'utf8')) as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(['owner', 'service', 'superuser']);
    expect(new Set(Object.values(stored)).size).toBe(3);
    // 28P01: password authentication failed. The fixed password of earlier versions no longer opens it.
    expect(await connects(`postgres://postgres:postgres@127.0.0.1:${port}/app`)).toBe('28P01');
    expect(new URL(running.url).username).toBe('haze_app');
    expect(new URL(running.migrationUrl).username).toBe('haze_owner');

    const owner = new DataSource(dataSourceOptions(running.migrationUrl));
    await owner.initialize();
    try {
      // The earlier superuser-owned schema was handed to the owner: it can migrate and grant.
      const owners = await owner.query<Array<{ owner: string }>>(
        "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
      );
      expect(owners).toEqual([{ owner: 'haze_owner' }]);
      expect(await owner.runMigrations({ transaction: 'each' })).toEqual([]);
      await owner.undoLastMigration({ transaction: 'each' });
      expect(await owner.runMigrations({ transaction: 'each' })).toHaveLength(1);
      await grantServiceRole((sql) => owner.query(sql), 'haze_app');
    } finally {
      await owner.destroy();
    }
    const service = new Client({ connectionString: running.url });
    await service.connect();
    try {
      expect(await checkServiceRole((sql, params) => service.query(sql, params).then((r) => r.rows))).toEqual(
        {
          role: 'haze_app',
          superuser: false,
          canRewriteAudit: false,
        },
      );
      await service.query(
        "INSERT INTO audit_entry (occurred_at, actor_type, action, data, prev_hash, hash) VALUES (now(), 'SYSTEM', 'test', '{}', repeat('0', 64), repeat('1', 64))",
      );
      await expect(service.query("UPDATE audit_entry SET action = 'x'")).rejects.toThrow(/permission denied/);
      await expect(service.query('SET session_replication_role = replica')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await service.end();
    }
  }, 60_000);

  it('keeps the generated passwords across restarts', async () => {
    await stop(running!);
    running = await start(env);
    expect(await connects(running.url)).toBeNull();
    expect(await connects(running.migrationUrl)).toBeNull();
    expect(JSON.parse(readFileSync(credentials, 'utf8'))).toEqual(
      expect.objectContaining({ service: decodeURIComponent(new URL(running.url).password) }),
    );
  }, 60_000);
});
