// `node bench/import-peak.mjs <enterprises> [<enterprises> …]`: the import alone, for measuring its memory.
// For each size: builds the bench's generated list as an XLSX once (kept in /tmp, reused by later runs), starts
// the built service (dist/, `npm run build` first) on a fresh hz_imem_* database of BENCH_DATABASE_URL's server,
// uploads the file and prints the import's time and the service's peak RSS (VmHWM), then drops the database.
// IMPORT_CHUNK (if set) is passed to the service. Run it under the shared lock.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import pg from 'pg';
import { freePort } from '../scripts/free-port.mjs';
import { GENERATED_SEASON, generatedEnterprise } from './generated-list.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const dist = (p) => require(path.join(root, 'dist', p));
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const status = (pid, key) =>
  Math.round(
    Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024,
  );

/** The bench's list (bench/run-bench.mjs generateList), written once per size to /tmp. */
async function listFile(n) {
  const file = path.join(os.tmpdir(), `hz-imem-list-${n}.xlsx`);
  if (fs.existsSync(file)) return file;
  const { creditCodeFor } = dist('database/seeds/demo-enterprises.generator.js');
  const { toRows } = dist('enterprises/reduction-list.layout.js');
  const { sheetWriter } = dist('enterprises/spreadsheet.io.js');
  const out = new PassThrough();
  const tmp = `${file}.part`;
  const sink = fs.createWriteStream(tmp);
  out.pipe(sink);
  const writer = sheetWriter('xlsx', out);
  for (let i = 0; i < n; i++) {
    const { enterprise, measures } = generatedEnterprise(i, creditCodeFor);
    const rows = toRows(enterprise, GENERATED_SEASON, measures);
    for (const row of rows) await writer.write(row);
    // Let the file stream drain so the XLSX is never held whole here.
    if (out.readableLength > 8 * 2 ** 20) await new Promise((r) => sink.once('drain', r));
  }
  await writer.end();
  await new Promise((r) => sink.end(r));
  fs.renameSync(tmp, file);
  return file;
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')}:\n${out}`))));
  });
}

function upload(base, cookie, file) {
  const boundary = `imem${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.xlsx"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/enterprises/import`, {
      method: 'POST',
      headers: {
        cookie,
        'x-requested-with': 'bench',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.write(head);
    const body = fs.createReadStream(file);
    body.on('end', () => req.end(tail));
    body.pipe(req, { end: false });
  });
}

async function measure(n) {
  const file = await listFile(n);
  const name = `hz_imem_${n}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-imem-data-'));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_SECRET: 'bench-session-secret-that-is-long-enough',
    DUTY_OFFICE_PHONE: '0358-8221234',
    DUTY_OFFICE_EMAIL: 'duty@bench.test',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    SMTP_URL: 'smtp://127.0.0.1:1',
    DEMO: 'false',
    DATA_DIR: dataDir,
    // As the bench's size series sets them (bench/run-bench.mjs importEnv).
    IMPORT_MAX_MB: String(Math.max(200, Math.min(1024, Math.ceil(n / 1000) * 5))),
    IMPORT_MAX_ROWS: String(Math.max(200_000, n * 10)),
  };
  let child;
  try {
    await run(['dist/cli/seed.cli.js'], env);
    await run(['dist/cli/create-user.cli.js', '--username', 'imem', '--role', 'ADMIN'], {
      ...env,
      NEW_USER_PASSWORD: 'bench-admin-password',
    });
    const nodeArgs = process.env.IMEM_NODE_ARGS ? process.env.IMEM_NODE_ARGS.split(' ') : [];
    child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'imem', password: 'bench-admin-password' }),
    });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const idle = status(child.pid, 'VmRSS');
    const samples = [];
    const t0 = performance.now();
    const sampler = setInterval(() => samples.push(status(child.pid, 'VmRSS')), 2000);
    const res = await upload(base, cookie, file);
    clearInterval(sampler);
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    const peak = status(child.pid, 'VmHWM');
    const body = res.text.slice(0, 300);
    console.log(
      JSON.stringify({
        enterprises: n,
        fileMiB: Math.round((fs.statSync(file).size / 2 ** 20) * 10) / 10,
        status: res.status,
        importSeconds: seconds,
        msPerEnterprise: Math.round(((seconds * 1000) / n) * 100) / 100,
        idleRssMiB: idle,
        peakRssMiB: peak,
        load: os.loadavg().map((l) => Math.round(l * 10) / 10),
        imported: res.status === 200 ? JSON.parse(res.text).imported : undefined,
        body: res.status === 200 ? undefined : body,
      }),
    );
    console.log(`RSS MiB every 2 s: ${samples.join(' ')}`);
  } finally {
    if (child) await new Promise((r) => (child.on('exit', r), child.kill('SIGTERM')));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const sizes = process.argv.slice(2).map(Number);
for (const n of sizes.length ? sizes : [10_000]) await measure(n);
