import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { forkDispatcher, warnCounty } from '../support/dispatcher-processes';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const N = 300;

/**
 * Delivery under faults, with real dispatcher processes and a real SMTP server, counted by Message-ID at the
 * server: the SMTP server stopped mid-dispatch and restarted, transient 421/451 refusals, PostgreSQL connections
 * terminated mid-dispatch, and four instances on one database. No notice may be lost; a notice may arrive twice
 * only if the server accepted it but the acceptance was never recorded (the connection dropped before the reply,
 * or the SENT write was lost), and then with the same Message-ID.
 */
describe('dispatcher under faults', () => {
  let t: TestApp;
  let duty: Awaited<ReturnType<TestApp['signIn']>>;
  let commander: Awaited<ReturnType<TestApp['signIn']>>;
  const children: ChildProcess[] = [];
  const sinks: SmtpSink[] = [];
  const report: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    duty = await t.signIn(['DUTY_OFFICER']);
    commander = await t.signIn(['COMMANDER']);
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
  });
  afterAll(async () => {
    await Promise.all(sinks.map((s) => s.close()));
    await t.close();
    console.log(`dispatcher faults:\n${report.join('\n')}`);
  });

  async function sink(opts: Parameters<typeof startSmtpSink>[0]): Promise<SmtpSink> {
    const s = await startSmtpSink(opts);
    sinks.push(s);
    return s;
  }

  const warn = (countyCode: string) =>
    warnCounty(t, { duty, commander }, countyCode, { count: N, label: '故障测试', emailPrefix: 'f' });
  const startDispatcher = (smtpUrl: string, env: Record<string, string> = {}) =>
    forkDispatcher(children, t.db.url, smtpUrl, {
      // Long enough that no healthy send outlives its lease: any second delivery is a fault's doing.
      MAIL_LEASE_SECONDS: '30',
      MAIL_RETRY_BASE_MS: '100',
      MAIL_RETRY_MAX_MS: '500',
      MAIL_MAX_ATTEMPTS: '100',
      ...env,
    });

  function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    return exited;
  }

  async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function states(alertId: string): Promise<Record<string, number>> {
    const rows = await t.dataSource.query<Array<{ state: string; n: number }>>(
      'SELECT state, count(*)::int AS n FROM outbox_message WHERE alert_id = $1 GROUP BY state',
      [alertId],
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
  const allSent = async (alertId: string) => (await states(alertId)).SENT === N;

  /** Deliveries per Message-ID at the given servers, for one county's recipients. */
  function deliveries(servers: SmtpSink[], county: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of servers)
      for (const m of s.messages)
        if (JSON.stringify(m.to).includes(`f${county}-`))
          counts.set(m.messageId!, (counts.get(m.messageId!) ?? 0) + 1);
    return counts;
  }

  /** Every queued message's Message-ID arrived; returns how many arrived more than once (and how often). */
  async function expectEveryMessage(alertId: string, counts: Map<string, number>): Promise<number> {
    const ids = await t.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM outbox_message WHERE alert_id = $1',
      [alertId],
    );
    expect(ids).toHaveLength(N);
    const expected = ids.map((r) => `<${r.id}@localhost>`).sort();
    expect([...counts.keys()].sort()).toEqual(expected); // none lost, none unknown
    return [...counts.values()].reduce((n, c) => n + (c - 1), 0);
  }

  const recoveredLeases = async (alertId: string): Promise<number> =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
          WHERE m.alert_id = $1 AND h.detail = 'lease expired'`,
        [alertId],
      )
    )[0].n;

  it('SMTP server stopped mid-dispatch and restarted on the same port: every notice arrives; only those in flight at the stop may repeat', async () => {
    const started = Date.now();
    const alertId = await warn('141125');
    const first = await sink({ delayMs: 20 });
    await startDispatcher(first.url);
    await until(() => first.received >= N / 3, 60_000, 'a third of the messages');
    // Taken before the stop: anything received but not yet answered by then (or received while closing) is
    // what the server may have taken without the dispatcher learning of it.
    const answeredBefore = first.answered;
    await first.close();
    const atStop = first.received;
    const inFlight = atStop - answeredBefore;
    expect(atStop).toBeLessThan(N);
    // The dispatcher notices: messages go back to RETRYING while nothing listens on the port.
    await until(async () => ((await states(alertId)).RETRYING ?? 0) > 0, 30_000, 'retries');
    const second = await sink({ port: first.port, delayMs: 20 });
    await until(() => allSent(alertId), 90_000, 'every message SENT');

    const duplicates = await expectEveryMessage(alertId, deliveries([first, second], '141125'));
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    // A repeat is a message the first server took, delivered again to the second with the same Message-ID.
    const before = deliveries([first], '141125');
    const again = [...deliveries([second], '141125')].filter(([id]) => before.has(id));
    expect(again.map(([id, n]) => n + before.get(id)!)).toEqual(again.map(() => 2));
    const retried = (
      await t.dataSource.query(
        `SELECT count(DISTINCT h.message_id)::int AS n FROM outbox_message_history h
           JOIN outbox_message m ON m.id = h.message_id WHERE m.alert_id = $1 AND h.to_state = 'RETRYING'`,
        [alertId],
      )
    )[0].n;
    expect(retried).toBeGreaterThan(0);
    report.push(
      `(a) SMTP stop/restart: ${N} messages, ${atStop} delivered before the stop, ${inFlight} unanswered at the stop, ` +
        `${retried} retried, ${duplicates} duplicates, ${Date.now() - started} ms`,
    );
  }, 180_000);

  it('SMTP answering 421 and 451 for a while, then accepting: every notice arrives exactly once', async () => {
    const started = Date.now();
    const alertId = await warn('141126');
    const refusals = new Map<string, number>();
    const server = await sink({
      delayMs: 10,
      // Each recipient is refused twice (421 or 451, alternating by address), then accepted.
      rejectRcpt: (address) => {
        const n = refusals.get(address) ?? 0;
        if (n >= 2) return undefined;
        refusals.set(address, n + 1);
        return Number(/-(\d+)@/.exec(address)![1]) % 2 ? 451 : 421;
      },
    });
    await startDispatcher(server.url);
    await until(() => allSent(alertId), 120_000, 'every message SENT');

    const duplicates = await expectEveryMessage(alertId, deliveries([server], '141126'));
    expect(duplicates).toBe(0);
    // Every recipient was refused exactly twice before its one acceptance. (nodemailer's pool may itself
    // requeue a message once a 421 closes the connection, so the outbox records at most two retries each.)
    expect([...refusals.values()]).toEqual(Array.from({ length: N }, () => 2));
    const [{ retries, max }] = await t.dataSource.query(
      `SELECT count(*)::int AS retries, max(n)::int AS max FROM (
         SELECT h.message_id, count(*) AS n FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
          WHERE m.alert_id = $1 AND h.to_state = 'RETRYING' GROUP BY h.message_id) r`,
      [alertId],
    );
    expect(max).toBeLessThanOrEqual(2);
    const errors = await t.dataSource.query(
      `SELECT DISTINCT substring(h.detail from '4[25]1') AS code FROM outbox_message_history h
         JOIN outbox_message m ON m.id = h.message_id WHERE m.alert_id = $1 AND h.to_state = 'RETRYING' ORDER BY 1`,
      [alertId],
    );
    expect(errors.map((e: { code: string }) => e.code)).toEqual(['421', '451']);
    report.push(
      `(b) 421/451 twice per recipient: ${N} messages, ${2 * N} refusals, ${retries} retried messages in the outbox, ` +
        `${duplicates} duplicates, ` +
        `${Date.now() - started} ms`,
    );
  }, 180_000);

  it('PostgreSQL connections terminated mid-dispatch: the pool reconnects and every notice arrives; a repeat only where the SENT write was lost', async () => {
    const started = Date.now();
    const alertId = await warn('141127');
    const server = await sink({ delayMs: 20 });
    await startDispatcher(server.url, { MAIL_LEASE_SECONDS: '3' });
    const admin = new Client({ connectionString: t.db.superuserUrl });
    await admin.connect();
    let terminated = 0;
    try {
      for (const share of [0.2, 0.45, 0.7]) {
        await until(() => server.received >= N * share, 60_000, `${share * 100}% delivered`);
        const rows = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        terminated += rows.rowCount ?? 0;
      }
    } finally {
      await admin.end();
    }
    expect(terminated).toBeGreaterThan(0);
    await until(
      async () => {
        try {
          return await allSent(alertId);
        } catch {
          return false; // the test's own pool lost its connections too
        }
      },
      90_000,
      'every message SENT',
    );

    const duplicates = await expectEveryMessage(alertId, deliveries([server], '141127'));
    const recovered = await recoveredLeases(alertId);
    // A message is sent again only after its lease ran out, i.e. when its outcome was never written.
    expect(duplicates).toBeLessThanOrEqual(recovered);
    report.push(
      `(c) pg_terminate_backend x3 (${terminated} backends): ${N} messages, ${recovered} leases recovered, ` +
        `${duplicates} duplicates, ${Date.now() - started} ms`,
    );
  }, 180_000);

  it('four service instances on one database: every notice arrives exactly once', async () => {
    const started = Date.now();
    const server = await sink({ delayMs: 10 });
    // All four are up before the notices are queued, so they compete for them from the start.
    await Promise.all([1, 2, 3, 4].map(() => startDispatcher(server.url)));
    const alertId = await warn('141128');
    await until(() => allSent(alertId), 120_000, 'every message SENT');

    const duplicates = await expectEveryMessage(alertId, deliveries([server], '141128'));
    expect(duplicates).toBe(0);
    expect(await recoveredLeases(alertId)).toBe(0);
    report.push(`(d) 4 instances: ${N} messages, ${duplicates} duplicates, ${Date.now() - started} ms`);
  }, 180_000);
});
