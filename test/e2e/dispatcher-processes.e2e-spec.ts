import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { replacePlans, upsertEnterprises } from '../../src/enterprises/reduction-list.writer';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const N = 300;

/**
 * Delivery across real processes: a dispatcher killed with SIGKILL mid-batch and a new one started, and two
 * dispatchers on one database. Counted by Message-ID at a real SMTP server.
 */
describe('dispatcher processes: crash and concurrency', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Awaited<ReturnType<TestApp['signIn']>>;
  let commander: Awaited<ReturnType<TestApp['signIn']>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink({ delayMs: 15 });
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    duty = await t.signIn(['DUTY_OFFICER']);
    commander = await t.signIn(['COMMANDER']);
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** N enterprises in a county, written the way an import does, then a warning approved over them. */
  async function warnCounty(countyCode: string): Promise<string> {
    await t.dataSource.transaction(async (m) => {
      const inputs = Array.from({ length: N }, (_, i) =>
        enterpriseInput({
          countyCode,
          name: `进程测试${countyCode}企业${i}`,
          contacts: [{ name: 'x', email: `p${countyCode}-${i}@test.example` }],
        }),
      );
      const ids = await upsertEnterprises(m, inputs);
      await replacePlans(
        m,
        inputs.map((e) => ({
          enterpriseId: ids.get(e.creditCode)!.id,
          season: '2025-2026',
          measures: [measure({ level: 'YELLOW' })],
        })),
        { source: 'SEED', createdBy: 'test' },
      );
    });
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: [countyCode],
        effectiveAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
        reason: '进程测试',
      })
      .expect(201);
    await commander.post(`/api/alerts/${draft.body.id}/approve`).send({}).expect(200);
    return draft.body.id as string;
  }

  function startDispatcher(): Promise<ChildProcess> {
    const child = fork(path.join(ROOT, 'test/support/service.process.ts'), [], {
      cwd: ROOT,
      execArgv: ['-r', path.join(ROOT, 'test/support/ts-register.cjs')],
      env: {
        ...process.env,
        DATABASE_URL: t.db.url,
        SMTP_URL: sink.url,
        SESSION_SECRET: 'test-session-secret-that-is-long-enough',
        SCHEDULER_ENABLED: 'true',
        MAIL_LEASE_SECONDS: '2',
        OUTBOX_BATCH_SIZE: '100',
        DATA_DIR: '/tmp/hz-test-data',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    // A SIGKILLed child can reset its IPC pipe; that must not become an uncaught error in the test process.
    child.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`dispatcher exited early (${code})`)));
    });
  }

  const idsFor = (county: string) =>
    sink.messages.filter((m) => JSON.stringify(m.to).includes(`p${county}-`)).map((m) => m.messageId!);

  async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('after a SIGKILL mid-batch, a restarted dispatcher delivers every message; only those in flight may repeat, with the same Message-ID', async () => {
    const alertId = await warnCounty('141123');
    const first = await startDispatcher();
    await until(() => idsFor('141123').length >= N / 3, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const [{ n: inFlight }] = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state = 'SENDING'",
      [alertId],
    );
    const atKill = idsFor('141123').length;
    expect(atKill).toBeLessThan(N);

    const second = await startDispatcher();
    await until(
      async () =>
        (
          await t.dataSource.query(
            "SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state = 'SENT'",
            [alertId],
          )
        )[0].n === N,
      90_000,
    );
    second.kill('SIGTERM');

    const ids = idsFor('141123');
    const distinct = new Set(ids);
    expect(distinct.size).toBe(N);
    expect(ids.length - distinct.size).toBeLessThanOrEqual(inFlight);
    const recovered = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id WHERE m.alert_id = $1 AND h.detail = 'lease expired'",
      [alertId],
    );
    expect(recovered[0].n).toBe(inFlight);
  }, 180_000);

  it('two dispatchers on one database never send a message twice', async () => {
    const alertId = await warnCounty('141124');
    const [a, b] = await Promise.all([startDispatcher(), startDispatcher()]);
    await until(
      async () =>
        (
          await t.dataSource.query(
            "SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state = 'SENT'",
            [alertId],
          )
        )[0].n === N,
      90_000,
    );
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    const ids = idsFor('141124');
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
  }, 180_000);
});
