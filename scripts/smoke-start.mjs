// Smoke test of the built service started the way `npm start` does: no DATABASE_URL, so it runs its own
// embedded PostgreSQL. Checks health and counties, that its log is JSON lines in Beijing time with the access
// line's request id, stops it with SIGTERM, starts it again and checks the data survived. Prints the timings. Run with `npm run smoke` (it builds first).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.mjs';

const root = path.resolve(import.meta.dirname, '..');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-smoke-'));
fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user and must reach its data dir
const port = await freePort();
const pgPort = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  PORT: String(port),
  EMBEDDED_PG_PORT: String(pgPort),
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  // info: the start-up line with the demo logins is an info line (and so are the access lines checked below).
  LOG_LEVEL: 'info',
};
delete env.DATABASE_URL;
delete env.TEST_DATABASE_URL;
delete env.DEMO;

function check(condition, message) {
  if (!condition) throw new Error(`smoke: ${message}`);
}

function start() {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (d) => {
    output += d;
    stdout += d;
  });
  child.stderr.on('data', (d) => (output += d));
  // 'close': the process has exited and its output has all been read.
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output, stdout: () => stdout };
}

/** Every line on stdout is one JSON log entry with Beijing time; the route mapping lines are not there at info. */
function checkLogLines(proc) {
  const lines = proc
    .stdout()
    .split('\n')
    .filter((l) => l !== '');
  check(lines.length > 0, 'nothing on stdout');
  for (const line of lines) {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new Error(`smoke: a stdout line is not JSON: ${line.slice(0, 200)}`);
    }
    check(/\+08:00$/.test(entry.time ?? ''), `log time not in Beijing time: ${line.slice(0, 200)}`);
    check(typeof entry.level === 'string', `log level not a name: ${line.slice(0, 200)}`);
    check(
      entry.context !== 'RouterExplorer',
      `route mapping line at ${env.LOG_LEVEL}: ${line.slice(0, 200)}`,
    );
  }
  return lines.map((l) => JSON.parse(l));
}

async function waitHealthy(proc, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (proc.child.exitCode !== null) throw new Error(`smoke: service exited early:\n${proc.output()}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) {
        const body = await res.json();
        check(body.status === 'ok' && body.database === 'up', `unexpected health ${JSON.stringify(body)}`);
        return Date.now() - started;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`smoke: not healthy within ${timeoutMs} ms:\n${proc.output()}`);
}

async function signIn(username) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  check(res.status === 200, `login as ${username} gave ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

async function getJson(url, cookie) {
  const res = await fetch(`${base}${url}`, { headers: { cookie } });
  check(res.status === 200, `${url} gave ${res.status}`);
  return res.json();
}

async function stop(proc) {
  const t0 = Date.now();
  proc.child.kill('SIGTERM');
  const { code, signal } = await proc.exited;
  check(
    code === 0 || code === 143 || signal === 'SIGTERM',
    `service exited with code ${code} signal ${signal}:\n${proc.output()}`,
  );
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  for (let i = 0; i < 50 && fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  check(!fs.existsSync(pidFile), 'embedded PostgreSQL still running after the service stopped');
  return Date.now() - t0;
}

const timings = {};
let proc;
try {
  proc = start();
  timings.firstStartMs = await waitHealthy(proc);
  check(proc.output().includes('Demo logins'), 'start-up did not print the demo logins');
  const admin = await signIn('admin');
  const counties = await getJson('/api/counties', admin);
  check(
    counties.length === 13 && counties[0].code === '141102',
    `counties: ${JSON.stringify(counties).slice(0, 200)}`,
  );
  const before = await getJson('/api/audit/verify', admin);
  check(before.ok && before.checked > 0, `audit chain before restart: ${JSON.stringify(before)}`);
  timings.stopMs = await stop(proc);
  const entries = checkLogLines(proc);
  check(
    entries.some(
      (e) => e.route === '/api/audit/verify' && e.status === 200 && typeof e.requestId === 'string',
    ),
    'no access line with a request id for /api/audit/verify',
  );

  proc = start();
  timings.restartMs = await waitHealthy(proc);
  const admin2 = await signIn('admin');
  const after = await getJson('/api/audit/verify', admin2);
  check(
    after.ok && after.checked > before.checked,
    `data not kept across restart: ${before.checked} → ${JSON.stringify(after)}`,
  );
  timings.stopMs2 = await stop(proc);
  console.log(`smoke: ok ${JSON.stringify(timings)} (audit entries ${before.checked} → ${after.checked})`);
} catch (e) {
  if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
