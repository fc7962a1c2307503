import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { signAckToken } from '../../src/orders/ack-token';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * Acknowledgements arriving together are written in shared batches: each request must still get its own,
 * correct outcome, whatever else is in its batch.
 */
describe('acknowledgements arriving together', () => {
  let t: TestApp;
  let orderIds: string[];
  const secret = testConfig('postgres://unused').sessionSecret;
  const token = (orderId: string) => signAckToken(orderId, new Date(Date.UTC(2026, 11, 20)), secret);

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const enterprises = t.app.get(EnterprisesService);
    for (let i = 0; i < 40; i++) {
      const e = await enterprises.create(enterpriseInput({ countyCode: '141181' }), SYSTEM_ACTOR);
      await enterprises.putPlan(e.id, { measures: [measure({ level: 'ORANGE' })] }, SYSTEM_ACTOR);
    }
    const duty = await t.signIn(['DUTY_OFFICER']);
    const commander = await t.signIn(['COMMANDER']);
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '测试',
      })
      .expect(201);
    await commander.post(`/api/alerts/${draft.body.id}/approve`).send({}).expect(200);
    orderIds = (
      await t.dataSource.query<Array<{ id: string }>>(
        'SELECT id FROM reduction_order WHERE alert_id = $1 ORDER BY id',
        [draft.body.id],
      )
    ).map((r) => r.id);
    if (orderIds.length !== 40) throw new Error(`expected 40 orders, got ${orderIds.length}`);
  });
  afterAll(() => t.close());

  const count = (action: string) => t.dataSource.getRepository(AuditEntry).countBy({ action });

  it('gives every request its own outcome and records each use once', async () => {
    // 40 receipts, a second receipt for the first 10, reports for 5 others, a forged link and a superseded order.
    await t.dataSource.query(`UPDATE reduction_order SET state = 'SUPERSEDED' WHERE id = $1`, [orderIds[39]]);
    const forged = token(orderIds[0]).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const calls = [
      ...orderIds.slice(0, 39).map((id) => ({ path: `/ack/${token(id)}/receipt`, body: {} })),
      ...orderIds.slice(0, 10).map((id) => ({ path: `/ack/${token(id)}/receipt`, body: {} })),
      ...orderIds.slice(20, 25).map((id) => ({
        path: `/ack/${token(id)}/report`,
        body: { measuresInPlaceAt: '2026-11-28T09:30', note: '已停产' },
      })),
      { path: `/ack/${forged}/receipt`, body: {} },
      { path: `/ack/${token(orderIds[39])}/receipt`, body: {} },
    ];
    const responses = await Promise.all(calls.map((c) => t.http().post(c.path).type('form').send(c.body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.slice(0, 54)).toEqual(Array(54).fill(303));
    expect(statuses.slice(54)).toEqual([404, 409]);
    const done = responses
      .slice(0, 54)
      .map((r) => new URL(r.headers.location, 'http://x').searchParams.get('done'));
    // Each order's first receipt changes it; its second says "already" (or, if the report came first, both do).
    expect(done.filter((d) => d === 'already').length).toBeGreaterThanOrEqual(10);

    const states = await t.dataSource.query<Array<{ state: string; n: number }>>(
      `SELECT state, count(*)::int AS n FROM reduction_order WHERE id = ANY($1) GROUP BY state ORDER BY state`,
      [orderIds],
    );
    expect(states).toEqual([
      { state: 'EXECUTED', n: 5 },
      { state: 'RECEIVED', n: 34 },
      { state: 'SUPERSEDED', n: 1 },
    ]);
    const executed = await t.dataSource.query<
      Array<{ received_at: Date; executed_at: Date; report_note: string }>
    >(`SELECT received_at, executed_at, report_note FROM reduction_order WHERE state = 'EXECUTED'`);
    expect(executed.every((o) => o.received_at && o.executed_at && o.report_note === '已停产')).toBe(true);
    // One entry per use: 39 receipts and 5 reports changed an order; every other use is a recorded repeat.
    const changedReceipts = await count('order.received');
    const reports = await count('order.executed');
    const repeats = (await count('order.receipt.repeated')) + (await count('order.report.repeated'));
    expect(reports).toBe(5);
    expect(changedReceipts + reports + repeats).toBe(54);
    expect(changedReceipts).toBe(54 - 5 - repeats);
    expect(repeats).toBeGreaterThanOrEqual(10);
  });

  it('answers a lone request at once, as its own batch', async () => {
    const res = await t
      .http()
      .post(`/ack/${token(orderIds[30])}/report`)
      .type('form')
      .send({
        measuresInPlaceAt: '2026-11-28T09:45',
        note: '单独提交',
      });
    expect(res.status).toBe(303);
    const [row] = await t.dataSource.query<Array<{ state: string; report_note: string }>>(
      'SELECT state, report_note FROM reduction_order WHERE id = $1',
      [orderIds[30]],
    );
    expect(row).toEqual({ state: 'EXECUTED', report_note: '单独提交' });
  });
});
