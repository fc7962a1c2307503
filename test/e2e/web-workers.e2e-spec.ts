import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../support/free-port';
import { createTestApp, TestApp } from '../support/test-app';

const ROOT = path.join(__dirname, '../..');

/** The service started as `npm start` does (src/main.ts), with WEB_WORKERS=2 on the test's database. */
describe('WEB_WORKERS: the HTTP service in several processes', () => {
  let t: TestApp;
  let primary: ChildProcess;
  let port: number;
  /** The pids each "is running" line came from, in order. */
  const running: number[] = [];
  let exited: Promise<number | null>;

  beforeAll(async () => {
    t = await createTestApp();
    port = await freePort();
    primary = fork(path.join(ROOT, 'src/main.ts'), [], {
      cwd: ROOT,
      execArgv: ['-r', path.join(ROOT, 'test/support/ts-register.cjs')],
      env: {
        ...process.env,
        DATABASE_URL: t.db.url,
        MIGRATION_DATABASE_URL: t.db.ownerUrl,
        WEB_WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        SESSION_SECRET: 'test-session-secret-that-is-long-enough',
        DUTY_OFFICE_PHONE: '0358-8221234',
        DUTY_OFFICE_EMAIL: 'duty@lvliang.test',
        SCHEDULER_ENABLED: 'false',
        DATA_DIR: '/tmp/hz-test-data',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    exited = new Promise((resolve) => primary.once('exit', (code) => resolve(code)));
    let pending = '';
    primary.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { pid: number; msg?: string };
        if (entry.msg?.startsWith('haze-coordinator is running')) running.push(entry.pid);
      }
    });
  });
  afterAll(async () => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    for (const pid of children()) process.kill(pid, 'SIGKILL');
    await t.close();
  });

  /** The primary's child processes, as the kernel lists them. */
  function children(): number[] {
    if (!primary.pid) return [];
    try {
      const text = fs.readFileSync(`/proc/${primary.pid}/task/${primary.pid}/children`, 'utf8');
      return text.split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  async function until(predicate: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Whether the service answers /api/health with 200 within `timeoutMs`, asking again after a failed request (a
   * connection the primary had handed to a worker that was just killed) and never waiting on one request for long.
   */
  async function healthy(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (res.status === 200) return true;
      } catch {
        /* asked again below */
      }
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('starts two workers on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
    await until(() => new Set(running).size === 2, 'two workers serving');
    const workers = children();
    expect(workers.sort()).toEqual([...new Set(running)].sort());
    expect(workers).not.toContain(primary.pid);
    expect(await healthy()).toBe(true);

    // A crash of one worker: the other keeps serving and the primary starts a replacement.
    process.kill(workers[0], 'SIGKILL');
    expect(await healthy()).toBe(true);
    await until(() => running.length === 3, 'a replacement worker serving');
    const replacement = running[2];
    expect(workers).not.toContain(replacement);
    expect(children().sort()).toEqual([workers[1], replacement].sort());
    expect(await healthy()).toBe(true);

    primary.kill('SIGTERM');
    const timedOut = new Promise<string>((r) =>
      setTimeout(() => r('still running after 60 s'), 60_000).unref(),
    );
    expect(await Promise.race([exited, timedOut])).toBe(0);
    await until(
      () => [workers[1], replacement].every((pid) => !fs.existsSync(`/proc/${pid}`)),
      'workers gone',
    );
    // Services compiled and started from TypeScript in child processes: slower than jest's 30 s on a busy CI.
  }, 240_000);
});
