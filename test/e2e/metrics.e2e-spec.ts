import { OutboxDispatchJob } from '../../src/scheduler/outbox-dispatch.job';
import { scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

/** The value of one series in Prometheus' text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(/,(?=[a-zA-Z_]\w*=")/).filter(Boolean);
    if (want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

/** Issue 20, operations: /metrics scraped after a dispatch, with the counts right; liveness and readiness apart. */
describe('Prometheus metrics and health probes', () => {
  let sink: SmtpSink;
  let t: TestApp;
  const refuse = new Set(['refused@test.example']);

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRcpt: (a) => (refuse.has(a) ? 550 : undefined) });
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('counts the mails sent and failed, the outbox by state, the job run and the routes timed', async () => {
    const emails = ['m1@test.example', 'm2@test.example', 'm3@test.example', 'refused@test.example'];
    const s = await scenario(t)
      .enterprises(emails.map((email) => ({ key: email, email, input: { countyCode: '141181' } })))
      .warning({ level: 'ORANGE', countyCodes: ['141181'], effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved();
    const before = (await t.http().get('/metrics').expect(200)).text;
    expect(sample(before, 'haze_outbox_messages', { state: 'QUEUED' })).toBe(4);
    expect(sample(before, 'haze_mail_messages_total', { outcome: 'sent' })).toBe(0);

    expect(await t.app.get(OutboxDispatchJob).run()).toMatchObject({ acquired: true });
    expect(sink.messages).toHaveLength(3);

    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'haze_mail_messages_total', { outcome: 'sent' })).toBe(3);
    expect(sample(text, 'haze_mail_messages_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'haze_outbox_messages', { state: 'SENT' })).toBe(3);
    expect(sample(text, 'haze_outbox_messages', { state: 'FAILED' })).toBe(1);
    expect(sample(text, 'haze_outbox_messages', { state: 'QUEUED' })).toBe(0);
    expect(sample(text, 'haze_outbox_dispatch_lag_seconds')).toBe(0);
    expect(sample(text, 'haze_job_runs_total', { job: 'outbox-dispatch', outcome: 'ran' })).toBe(1);
    expect(sample(text, 'haze_job_duration_seconds_count', { job: 'outbox-dispatch' })).toBe(1);
    // The approval went through its route pattern, never the raw path with the warning's id.
    expect(
      sample(text, 'haze_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/alerts/:id/approve',
        status: '200',
      }),
    ).toBe(1);
    expect(text).not.toContain(s.alertId);
    expect(sample(text, 'haze_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(sample(text, 'haze_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('reports how long due mail has waited when nothing dispatches it', async () => {
    await scenario(t)
      .enterprises([{ key: 'lag', email: 'lag@test.example', input: { countyCode: '141102' } }])
      .warning({ level: 'YELLOW', countyCodes: ['141102'], effectiveAt: '2026-11-28T22:00:00+08:00' })
      .approved();
    t.clock.set('2026-11-28T10:05:00+08:00');
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(sample(text, 'haze_outbox_dispatch_lag_seconds')).toBe(300);
  });

  it('separates liveness from readiness', async () => {
    expect((await t.http().get('/api/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/api/health/ready').expect(200)).body).toEqual({
      status: 'ok',
      database: 'up',
      migrations: 'applied',
    });
  });

  it('asks for the token when METRICS_TOKEN is set', async () => {
    const guarded = await createTestApp({ env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      const refused = await guarded.http().get('/metrics').expect(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      await guarded.http().get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
      const ok = await guarded
        .http()
        .get('/metrics')
        .set('Authorization', 'Bearer scrape-token-0123456789')
        .expect(200);
      expect(ok.text).toContain('haze_outbox_messages');
    } finally {
      await guarded.close();
    }
  });
});
