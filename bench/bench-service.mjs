// What the bench's scripts share: a database to run on, the built service started as a child process (as in
// production) with its three bench users signed in, and posting as one of them. run-bench.mjs runs its scenarios
// when imported, so the scripts beside it (import-peak.mjs, profiling) take these from here.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { freePort } from '../scripts/free-port.mjs';
import { GENERATED_SEASON, generatedEnterprise } from './generated-list.mjs';

export const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
/** A module of the built service (dist/, `npm run build` first). */
export const dist = (p) => require(path.join(root, 'dist', p));

export const SESSION_SECRET = 'bench-session-secret-that-is-long-enough';

/** Peak resident memory (VmHWM) of a process, MiB. */
export function peakRssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024);
}

/**
 * A fresh database `<prefix>_<time>` on BENCH_DATABASE_URL's server, or on an embedded PostgreSQL started for it
 * when that is unset. `drop()` removes it (and the embedded cluster with its files).
 */
export async function database(prefix = 'hz_bench') {
  const given = process.env.BENCH_DATABASE_URL;
  let adminUrl = given;
  let embedded;
  let dir;
  if (!given) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-bench-pg-'));
    fs.chmodSync(dir, 0o755);
    const port = await freePort();
    const credentialsFile = path.join(dir, 'pg-credentials.json');
    embedded = await dist('database/embedded-postgres.js').startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port,
      database: 'postgres',
      credentialsFile,
    });
    // The bench creates its own databases: it needs the superuser, whose generated password is in the file.
    const { superuser } = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
    adminUrl = `postgres://postgres:${encodeURIComponent(superuser)}@127.0.0.1:${port}/postgres`;
  }
  const name = `${prefix}_${Date.now()}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
      await embedded?.stop();
      // The embedded cluster's files (GBs after the telemetry scenarios) go with it.
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The service as a child process on `databaseUrl`. `opts.second`: another instance of an already started one
 * (same database, same data directory, so the same audit anchor key): no seeding, no new users.
 * `opts.env`: extra environment (IMPORT_MAX_MB/IMPORT_MAX_ROWS for the size series).
 */
/** Until the service at `base` answers its health check (30 s at most; the caller's next request fails after). */
export async function waitHealthy(base) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startService(databaseUrl, smtpUrl, opts = {}) {
  const port = await freePort();
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hz-bench-data-'));
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_SECRET,
    DUTY_OFFICE_PHONE: '0358-8221234',
    DUTY_OFFICE_EMAIL: 'duty@bench.test',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'true',
    SMTP_URL: smtpUrl,
    IMPORT_MAX_MB: '200',
    DEMO: 'false',
    // Its own data directory: the anchor file and key of one bench database are not the next one's history.
    DATA_DIR: dataDir,
    ...opts.env,
  };
  const run = (args, extraEnv = {}) =>
    new Promise((resolve, reject) => {
      const p = spawn(process.execPath, args, {
        cwd: opts.root ?? root,
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} failed:\n${out}`)),
      );
    });
  if (!opts.second) {
    await run(['dist/cli/seed.cli.js']);
    for (const [name, role] of [
      ['benchadmin', 'ADMIN'],
      ['benchduty', 'DUTY_OFFICER'],
      ['benchcmd', 'COMMANDER'],
    ]) {
      await run(['dist/cli/create-user.cli.js', '--username', name, '--role', role], {
        NEW_USER_PASSWORD: 'bench-admin-password',
      });
    }
  }
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the service.
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  // opts.root: another checkout's build (e.g. a git worktree of an earlier commit), to compare side by side.
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: opts.root ?? root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base);
  const signIn = async (username) => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'bench-admin-password' }),
    });
    return login.headers.get('set-cookie').split(';')[0];
  };
  return {
    base,
    cookie: await signIn('benchadmin'),
    dutyCookie: await signIn('benchduty'),
    commanderCookie: await signIn('benchcmd'),
    pid: child.pid,
    dataDir,
    stop: () =>
      new Promise((r) => {
        child.on('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

export const postAs = (svc, cookie, url, body) =>
  fetch(`${svc.base}${url}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => {
    const json = await r.json();
    if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  });

/**
 * The import limits a size needs: 9 rows per enterprise (IMPORT_MAX_ROWS default 200,000), and the XLSX's cells
 * hold about 3 MB of text per 1,000 enterprises (the all-cells cap is IMPORT_MAX_MB million characters).
 */
export const importEnv = (size) => ({
  IMPORT_MAX_MB: String(Math.max(200, Math.min(1024, Math.ceil(size / 1000) * 5))),
  IMPORT_MAX_ROWS: String(Math.max(200_000, size * 10)),
});

/**
 * The bench's generated enterprises and plans (generated-list.mjs: 3 levels × 3 measures) written into the migrated
 * and seeded database at `url` through the import's own set-based writers (upsertEnterprises, replacePlans), 5,000
 * at a time, without building an XLSX: for profiling what comes after the import. Answers the milliseconds taken.
 */
export async function writeGeneratedEnterprises(url, n) {
  require('reflect-metadata');
  const { DataSource } = require('typeorm');
  const { dataSourceOptions } = dist('database/data-source.js');
  const { upsertEnterprises, replacePlans } = dist('enterprises/reduction-list.writer.js');
  const { creditCodeFor } = dist('database/seeds/demo-enterprises.generator.js');
  const enterprise = (i) => {
    const { enterprise: input, measures } = generatedEnterprise(i, creditCodeFor);
    return { input, measures: measures.map((m) => ({ ...m, fromHour: null, toHour: null })) };
  };
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  const t0 = performance.now();
  try {
    for (let start = 0; start < n; start += 5000) {
      const chunk = Array.from({ length: Math.min(5000, n - start) }, (_, k) => enterprise(start + k));
      await ds.transaction(async (m) => {
        const ids = await upsertEnterprises(
          m,
          chunk.map((c) => c.input),
        );
        await replacePlans(
          m,
          chunk.map((c) => ({
            enterpriseId: ids.get(c.input.creditCode).id,
            season: GENERATED_SEASON,
            measures: c.measures,
          })),
          { source: 'IMPORT', createdBy: null },
        );
      });
    }
    await ds.query('ANALYZE');
  } finally {
    await ds.destroy();
  }
  return Math.round(performance.now() - t0);
}
