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

  const health = () => fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status);

  it('starts two workers on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
    await until(() => new Set(running).size === 2, 'two workers serving');
    const workers = children();
    expect(workers.sort()).toEqual([...new Set(running)].sort());
    expect(workers).not.toContain(primary.pid);
    expect(await health()).toBe(200);

    // A crash of one worker: the other keeps serving and the primary starts a replacement.
    process.kill(workers[0], 'SIGKILL');
    expect(await health()).toBe(200);
    await until(() => running.length === 3, 'a replacement worker serving');
    const replacement = running[2];
    expect(workers).not.toContain(replacement);
    expect(children().sort()).toEqual([workers[1], replacement].sort());
    expect(await health()).toBe(200);

    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until(
      () => [workers[1], replacement].every((pid) => !fs.existsSync(`/proc/${pid}`)),
      'workers gone',
    );
  });
});
