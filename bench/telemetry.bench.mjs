// Telemetry ingest bench (issue 17), opt-in: `BENCH_TELEMETRY=1 npm run bench` runs it inside the full bench;
// `npm run build && node bench/telemetry.bench.mjs` runs it alone (on BENCH_DATABASE_URL's server, a superuser
// URL, default postgres://postgres@127.0.0.1:5432/postgres). 1,000,000 readings (BENCH_TELEMETRY_READINGS) go in
// through the file path and through the push API (batches of 10,000, 4 at a time), each next to a bare COPY of
// the same rows into an identical partitioned table (same keys and indexes) in the same run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../scripts/free-port.mjs';
import { waitHealthy } from './bench-service.mjs';

const root = path.resolve(import.meta.dirname, '..');
const READINGS = Number(process.env.BENCH_TELEMETRY_READINGS ?? 1_000_000);
const ENTERPRISES = 10;
const POINTS_PER_ENTERPRISE = 100;
const STEPS = Math.ceil(READINGS / (ENTERPRISES * POINTS_PER_ENTERPRISE));
const ms = (t0) => Math.round(performance.now() - t0);

/** A valid unified social credit code (GB 32100-2015 check character). */
function creditCode(n) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first17 = `91141181MA0B${String(n).padStart(5, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

/** The readings: every point every 15 minutes, ending now (so they cross a month's end on some days). */
function* readings() {
  const end = Math.floor(Date.now() / 900_000) * 900_000 - 900_000;
  for (let s = 0; s < STEPS; s++) {
    const at = new Date(end - s * 900_000).toISOString();
    for (let e = 0; e < ENTERPRISES; e++)
      for (let p = 0; p < POINTS_PER_ENTERPRISE; p++)
        yield {
          credit: creditCode(e),
          code: `DA${String(p).padStart(3, '0')}`,
          at,
          value: 10 + ((s * 7 + p) % 50) / 10,
        };
  }
}

async function api(svc, method, url, body, headers = {}) {
  const res = await fetch(`${svc.base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: svc.cookie, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

/** A POST of a whole buffer on a fresh connection (Content-Length set): its status and JSON answer. */
function postBuffer(url, body, headers) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': body.length },
      },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** COPY of a CSV (source_id, point_id, metric, measured_at, value) into a fresh table shaped like meter_reading. */
async function bareCopy(dbUrl, client, table, csvFile) {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(
    `CREATE TABLE ${table} (LIKE meter_reading INCLUDING DEFAULTS) PARTITION BY RANGE (measured_at)`,
  );
  await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (source_id, point_id, metric, measured_at)`);
  await client.query(`CREATE INDEX ON ${table} USING brin (measured_at)`);
  await client.query(`CREATE INDEX ON ${table} (point_id, metric, measured_at)`);
  const parts = await client.query(
    `SELECT pg_get_expr(c.relpartbound, c.oid) AS bound, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'meter_reading'::regclass`,
  );
  for (const p of parts.rows)
    await client.query(`CREATE TABLE ${table}_${p.relname.slice(-6)} PARTITION OF ${table} ${p.bound}`);
  const t0 = performance.now();
  const r = spawnSync(
    'psql',
    [
      dbUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy ${table} (source_id, point_id, metric, measured_at, value) FROM '${csvFile}' CSV`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return ms(t0);
}

/** The scenario, against a running service (`svc`: base, admin cookie) and its database (owner/superuser URL). */
export async function telemetryIngest(svc, dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-bench-telemetry-'));
  try {
    for (let e = 0; e < ENTERPRISES; e++) {
      const ent = await api(svc, 'POST', '/api/enterprises', {
        creditCode: creditCode(e),
        name: `测试监测企业${e}`,
        industry: 'COKING',
        countyCode: '141181',
        address: '孝义市测试路1号',
        longitude: 111.78,
        latitude: 37.14,
        grade: 'B',
        protected: false,
        protectedReason: null,
        protectedMaxLoad: null,
        controlTags: [],
        contacts: [{ name: '张三', role: '环保负责人', email: `t${e}@bench.test`, phone: '13800000000' }],
        lines: [{ code: 'JL1', name: '焦炉', capacity: 1000000, unit: 't/a' }],
        baseline: { so2: 100, nox: 200, pm: 50, vocs: 40 },
      });
      await api(svc, 'PUT', `/api/enterprises/${ent.id}/metering-points`, {
        points: Array.from({ length: POINTS_PER_ENTERPRISE }, (_, p) => ({
          kind: 'OUTLET_CEMS',
          code: `DA${String(p).padStart(3, '0')}`,
          limits: { so2: 35 },
        })),
      });
    }
    const fileSource = await api(svc, 'POST', '/api/telemetry/sources', {
      name: '文件导入',
      countyCode: '141181',
    });
    const apiSource = await api(svc, 'POST', '/api/telemetry/sources', {
      name: '推送接口',
      countyCode: '141181',
    });
    const ids = new Map(
      (
        await client.query(
          `SELECT e.credit_code || '/' || p.code AS key, p.id FROM metering_point p JOIN enterprise e ON e.id = p.enterprise_id`,
        )
      ).rows.map((r) => [r.key, r.id]),
    );

    // The same rows three ways: the upload file, the COPY file (ids resolved), the API batches.
    const upload = [];
    const copyFile = path.join(dir, 'copy.csv');
    const copyOut = fs.openSync(copyFile, 'w');
    let lines = [];
    const batches = [];
    let batch = [];
    let n = 0;
    for (const r of readings()) {
      if (n++ >= READINGS) break;
      upload.push(`${r.credit},${r.code},SO2,${r.at},${r.value}`);
      lines.push(`${fileSource.id},${ids.get(`${r.credit}/${r.code}`)},SO2,${r.at},${r.value}`);
      if (lines.length === 50_000) {
        fs.writeSync(copyOut, lines.join('\n') + '\n');
        lines = [];
      }
      batch.push({ point: `${r.credit}/${r.code}`, metric: 'SO2', at: r.at, value: r.value });
      if (batch.length === 10_000) {
        batches.push(JSON.stringify({ readings: batch }));
        batch = [];
      }
    }
    if (lines.length) fs.writeSync(copyOut, lines.join('\n') + '\n');
    fs.closeSync(copyOut);
    if (batch.length) batches.push(JSON.stringify({ readings: batch }));
    const file = Buffer.from(`信用代码,计量点,指标,时间,数值\n${upload.join('\n')}\n`);
    upload.length = 0;

    const copyMs = await bareCopy(dbUrl, client, 'bench_copy_reading', copyFile);

    // The multipart body built before the clock starts, and sent on a connection of its own (node:http, no agent)
    // with its length: inside the full bench at 10,000 enterprises the upload through fetch failed with EPIPE,
    // most likely on a pooled keep-alive socket the service had closed during the COPY's idle seconds.
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'text/csv' }), 'readings.csv');
    const multipart = new Request('http://bench.invalid/', { method: 'POST', body: form });
    const body = Buffer.from(await multipart.arrayBuffer());
    const t1 = performance.now();
    const { status, json: fileResult } = await postBuffer(`${svc.base}/api/telemetry/readings/import`, body, {
      authorization: `Bearer ${fileSource.key}`,
      'x-requested-with': 'bench',
      'content-type': multipart.headers.get('content-type'),
    });
    const fileMs = ms(t1);
    if (status !== 200 || fileResult.accepted !== READINGS)
      throw new Error(`file import: ${status} ${JSON.stringify(fileResult).slice(0, 500)}`);

    const t2 = performance.now();
    let next = 0;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const body = batches[next++];
          const r = await fetch(`${svc.base}/api/telemetry/readings`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiSource.key}`, 'content-type': 'application/json' },
            body,
          });
          const j = await r.json();
          if (!r.ok) throw new Error(`push: ${r.status} ${JSON.stringify(j).slice(0, 300)}`);
          accepted += j.accepted;
        }
      }),
    );
    const apiMs = ms(t2);
    if (accepted !== READINGS) throw new Error(`push accepted ${accepted} of ${READINGS}`);
    const copyAgainMs = await bareCopy(dbUrl, client, 'bench_copy_reading2', copyFile);
    await client.query(`DROP TABLE bench_copy_reading, bench_copy_reading2`);

    const perSecond = (t) => Math.round(READINGS / (t / 1000));
    return {
      readings: READINGS,
      fileMiB: Math.round((file.length / 2 ** 20) * 10) / 10,
      copyMs,
      fileMs,
      fileReadingsPerS: perSecond(fileMs),
      fileToCopy: Math.round((fileMs / copyMs) * 100) / 100,
      copyAgainMs,
      apiMs,
      apiReadingsPerS: perSecond(apiMs),
      apiToCopy: Math.round((apiMs / copyAgainMs) * 100) / 100,
      targets: { fileToCopy: 2, apiReadingsPerS: 20000 },
    };
  } finally {
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Alone: a fresh database on BENCH_DATABASE_URL's server, migrated and seeded, and the built service on it. */
async function standalone() {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hz_bench_telemetry_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_SECRET: 'bench-session-secret-that-is-long-enough',
    DUTY_OFFICE_PHONE: '0358-8221234',
    DUTY_OFFICE_EMAIL: 'duty@bench.test',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    DEMO: 'false',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hz-bench-data-')),
  };
  const run = (args, extra = {}) => {
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...env, ...extra }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stdout}${r.stderr}`);
  };
  let child;
  try {
    run(['dist/cli/seed.cli.js']);
    run(['dist/cli/create-user.cli.js', '--username', 'benchadmin', '--role', 'ADMIN'], {
      NEW_USER_PASSWORD: 'bench-admin-password',
    });
    child = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'benchadmin', password: 'bench-admin-password' }),
    });
    const svc = { base, cookie: login.headers.get('set-cookie').split(';')[0] };
    const result = await telemetryIngest(svc, dbUrl);
    console.log(`\ntelemetry ingest bench · ${os.cpus().length} cores · Node ${process.version}`);
    console.table([
      {
        scenario: 'telemetryIngest',
        ...Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'targets')),
      },
    ]);
  } finally {
    if (child)
      await new Promise((r) => {
        child.on('exit', r);
        child.kill('SIGTERM');
      });
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  standalone().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
