import type { ChildProcess } from 'node:child_process';
import { forkDispatcher, warnCounty } from '../support/dispatcher-processes';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

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

  const warn = (countyCode: string) =>
    warnCounty(t, { duty, commander }, countyCode, { count: N, label: '进程测试', emailPrefix: 'p' });
  const startDispatcher = () => forkDispatcher(children, t.db.url, sink.url, { MAIL_LEASE_SECONDS: '2' });

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
    const alertId = await warn('141123');
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
    const alertId = await warn('141124');
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
