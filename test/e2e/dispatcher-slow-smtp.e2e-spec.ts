import type { ChildProcess } from 'node:child_process';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { forkDispatcher, warnCounty } from '../support/dispatcher-processes';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const N = 60;
const LEASE_SECONDS = 2;
const POOL = 2;
/** The server holds each acceptance this long: with POOL connections, at most 5 mails a second. */
const DELAY_MS = 400;
const MAILS_PER_LEASE = ((POOL * 1000) / DELAY_MS) * LEASE_SECONDS;

/**
 * A slow SMTP server and a short lease: a drain claims more messages (three loops of OUTBOX_BATCH_SIZE) than the
 * pool can send within one lease, so they wait in SENDING for several leases. Live dispatchers renew those leases;
 * none may take a live dispatcher's in-flight message for a crashed one's and send it again. Two real dispatcher
 * processes, counted by Message-ID at a real SMTP server.
 */
describe('dispatcher against a slow SMTP server', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Awaited<ReturnType<TestApp['signIn']>>;
  let commander: Awaited<ReturnType<TestApp['signIn']>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink({ delayMs: DELAY_MS });
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    duty = await t.signIn(['DUTY_OFFICER']);
    commander = await t.signIn(['COMMANDER']);
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    return exited;
  }

  async function until(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('sends every message exactly once when a batch takes several leases to send', async () => {
    expect(N).toBeGreaterThan(3 * MAILS_PER_LEASE);
    const env = {
      MAIL_LEASE_SECONDS: String(LEASE_SECONDS),
      SMTP_POOL_SIZE: String(POOL),
      // Three loops of 10: 30 messages in flight, three leases' worth at this server's pace.
      OUTBOX_BATCH_SIZE: '10',
    };
    // Both up before the notices are queued, so either may drain them.
    await Promise.all([1, 2].map(() => forkDispatcher(children, t.db.url, sink.url, env)));
    const alertId = await warnCounty(t, { duty, commander }, '141125', {
      count: N,
      label: '慢速邮件',
      emailPrefix: 's',
    });
    const sentCount = async () =>
      (
        await t.dataSource.query<Array<{ n: number }>>(
          "SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state = 'SENT'",
          [alertId],
        )
      )[0].n;
    await until(async () => (await sentCount()) === N, 120_000);

    // Every queued message arrived, each exactly once (counted per Message-ID at the server).
    const ids = await t.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM outbox_message WHERE alert_id = $1',
      [alertId],
    );
    const perMessageId = new Map<string, number>();
    for (const m of sink.messages)
      if (JSON.stringify(m.to).includes('s141125-'))
        perMessageId.set(m.messageId!, (perMessageId.get(m.messageId!) ?? 0) + 1);
    expect([...perMessageId.keys()].sort()).toEqual(ids.map((r) => `<${r.id}@localhost>`).sort());
    expect([...perMessageId.values()].filter((n) => n > 1)).toEqual([]);

    // One claim and one send each: no lease ran out, so nothing was recovered and claimed again.
    const history = await t.dataSource.query<Array<{ to_state: string; detail: string | null; n: number }>>(
      `SELECT h.to_state, h.detail, count(*)::int AS n FROM outbox_message_history h
         JOIN outbox_message m ON m.id = h.message_id WHERE m.alert_id = $1
        GROUP BY h.to_state, h.detail ORDER BY h.to_state`,
      [alertId],
    );
    expect(history).toEqual([
      { to_state: 'SENDING', detail: null, n: N },
      { to_state: 'SENT', detail: null, n: N },
    ]);

    // The case this test is about happened: messages stayed SENDING well past their first lease, kept alive.
    const [{ n: heldPastLease }] = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM outbox_message_history s
         JOIN outbox_message_history d ON d.message_id = s.message_id AND d.to_state = 'SENT'
         JOIN outbox_message m ON m.id = s.message_id
        WHERE m.alert_id = $1 AND s.to_state = 'SENDING' AND d.at > s.at + $2 * interval '1 second'`,
      [alertId, 2 * LEASE_SECONDS],
    );
    expect(heldPastLease).toBeGreaterThan(0);
  }, 180_000);
});

/**
 * The renewal itself, in one process with the fake clock: it extends the leases of this dispatcher's messages in
 * flight from the injected clock, and leaves alone a message whose claim is no longer its own (recovered and claimed
 * again elsewhere: another attempt).
 */
describe('lease renewal', () => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    // One connection and a slow acceptance: the three messages stay in flight for seconds.
    sink = await startSmtpSink({ delayMs: 1500 });
    t = await createTestApp({
      env: { SMTP_URL: sink.url, SMTP_POOL_SIZE: '1', MAIL_LEASE_SECONDS: '1', SESSION_TTL_HOURS: '720' },
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  async function until(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("extends its own in-flight leases from the clock, never another claim's", async () => {
    const people = { duty: await t.signIn(['DUTY_OFFICER']), commander: await t.signIn(['COMMANDER']) };
    const alertId = await warnCounty(t, people, '141126', { count: 3, label: '续租', emailPrefix: 'r' });
    const leases = () =>
      t.dataSource.query<Array<{ id: string; state: string; attempts: number; lease_until: Date | null }>>(
        'SELECT id, state, attempts, lease_until FROM outbox_message WHERE alert_id = $1 ORDER BY id',
        [alertId],
      );
    const draining = t.app.get(OutboxDispatcher).drain();
    await until(async () => (await leases()).every((m) => m.state === 'SENDING'), 10_000);
    const claimedUntil = (await leases())[0].lease_until!.getTime();

    // One message taken over: its lease expired, it was recovered and claimed again by another dispatcher.
    const [taken, ...ours] = await leases();
    const theirs = new Date(claimedUntil - 60_000);
    const [takenOver] = await t.dataSource.query<[unknown[], number]>(
      "UPDATE outbox_message SET attempts = attempts + 1, lease_until = $2 WHERE id = $1 AND state = 'SENDING' RETURNING id",
      [taken.id, theirs],
    );
    expect(takenOver).toHaveLength(1);
    t.clock.advance(10 * 60_000);

    // Renewed from the fake clock: well past the claim's lease, which the real time would never reach.
    const renewed = async () => {
      const now = await leases();
      return ours.some(
        (o) => now.find((m) => m.id === o.id)!.lease_until!.getTime() >= claimedUntil + 10 * 60_000,
      );
    };
    await until(renewed, 10_000);
    // Renewed in the same statement as ours, yet the other claim's lease is as it was.
    const after = await leases();
    expect(after.find((m) => m.id === taken.id)!.lease_until).toEqual(theirs);

    await draining;
    expect((await leases()).filter((m) => m.state === 'SENDING')).toEqual([]);
  }, 60_000);
});

/**
 * A refusal that arrives after the message was recovered and claimed again elsewhere is not this claim's to
 * record: the other claim's attempt decides the message, so a late 550 never marks it FAILED under it.
 */
describe('a failure after the claim was taken over', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));

  beforeAll(async () => {
    // The server answers the recipient only when the test says so, and then refuses it for good.
    sink = await startSmtpSink({ rejectRcpt: () => gate.then(() => 550) });
    t = await createTestApp({
      env: { SMTP_URL: sink.url, MAIL_MAX_ATTEMPTS: '1', SESSION_TTL_HOURS: '720' },
    });
  });
  afterAll(async () => {
    release();
    await t.close();
    await sink.close();
  });

  it('leaves the message to the claim that holds it', async () => {
    const people = { duty: await t.signIn(['DUTY_OFFICER']), commander: await t.signIn(['COMMANDER']) };
    const alertId = await warnCounty(t, people, '141127', { count: 1, label: '接管', emailPrefix: 'g' });
    const message = async () =>
      (
        await t.dataSource.query<Array<{ id: string; state: string; attempts: number }>>(
          'SELECT id, state, attempts FROM outbox_message WHERE alert_id = $1',
          [alertId],
        )
      )[0];
    const draining = t.app.get(OutboxDispatcher).drain();
    const deadline = Date.now() + 10_000;
    while ((await message()).state !== 'SENDING') {
      if (Date.now() > deadline) throw new Error('never claimed');
      await new Promise((r) => setTimeout(r, 20));
    }
    const claimed = await message();
    // Recovered and claimed again by another dispatcher while this one waits for the server.
    await t.dataSource.query('UPDATE outbox_message SET attempts = attempts + 1 WHERE id = $1', [claimed.id]);
    release();
    await draining;
    expect(await message()).toMatchObject({ state: 'SENDING', attempts: claimed.attempts + 1 });
    const failed = await t.dataSource.query(
      "SELECT 1 FROM audit_entry WHERE action = 'message.failed' AND subject_id = $1",
      [claimed.id],
    );
    expect(failed).toEqual([]);
  }, 30_000);
});
