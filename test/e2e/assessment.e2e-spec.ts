import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { measure } from '../factories/enterprise.factory';
import { scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * An ORANGE warning over 孝义市 (141181) and 汾阳市 (141182), effective 20:00, receipt due 20:00, report due 22:00:
 *   甲 (孝义, B, coking)    confirms at 10:00, reports at 21:00     on time, on time
 *   乙 (孝义, C, cement)    confirms at 20:30, reports at 23:00     late, late
 *   丙 (汾阳, A, coking)    confirms at 10:00, never reports        on time, —
 *   =丁 (汾阳, C, casting)  its mailbox refuses (550): FAILED      never
 *   戊 (汾阳, B, coking)    delivered, never answers               never
 * then lifted (the lift notices are not orders to act on and are not counted).
 */
describe('post-event assessment of a warning (总结评估)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let auditor: Agent;
  let admin: Agent;
  let alertId: string;
  let alertCode: string;
  const ids: Record<string, string> = {};

  const drain = () => t.app.get(OutboxDispatcher).drain();
  const r = (so2: number, nox: number, pm: number, vocs: number) => ({ so2, nox, pm, vocs });

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRcpt: (a) => (a === 'ding@test.example' ? 550 : undefined) });
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [duty, commander, auditor, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['AUDITOR']),
      t.signIn(['ADMIN']),
    ]);
    await admin
      .put('/api/inventory/141181')
      .send(r(100, 100, 50, 20))
      .expect(200);
    await admin
      .put('/api/inventory/141182')
      .send(r(50, 200, 50, 5))
      .expect(200);
    const s = await scenario(t, { sink, agents: { duty, commander, admin } })
      .enterprises([
        {
          key: 'jia',
          input: { name: '甲焦化有限公司', countyCode: '141181', grade: 'B', industry: 'COKING' },
          measures: [
            measure({ level: 'ORANGE', toHour: 24, reduction: r(10, 20, 4, 2) }),
            // from the 24th hour on: not yet in force when the order took effect, so not counted
            measure({
              level: 'ORANGE',
              description: '第24小时起停产',
              fromHour: 24,
              reduction: r(40, 40, 40, 40),
            }),
          ],
        },
        {
          key: 'yi',
          input: { name: '乙水泥有限公司', countyCode: '141181', grade: 'C', industry: 'CEMENT' },
          measures: [measure({ level: 'ORANGE', reduction: r(5, 10, 1, 3) })],
        },
        {
          key: 'bing',
          input: { name: '丙焦化有限公司', countyCode: '141182', grade: 'A', industry: 'COKING' },
          measures: [
            measure({ level: 'ORANGE', action: 'VOLUNTARY', params: {}, reduction: r(30, 30, 30, 30) }),
          ],
        },
        {
          key: 'ding',
          input: { name: '=丁铸造有限公司', countyCode: '141182', grade: 'C', industry: 'CASTING' },
          measures: [measure({ level: 'ORANGE', reduction: r(7, 7, 7, 7) })],
        },
        {
          key: 'wu',
          input: { name: '戊焦化有限公司', countyCode: '141182', grade: 'B', industry: 'COKING' },
          measures: [measure({ level: 'ORANGE', reduction: r(9, 9, 9, 9) })],
        },
      ])
      .warning({
        level: 'ORANGE',
        countyCodes: ['141181', '141182'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        reason: '会商研判',
      })
      .approved()
      .delivered();
    Object.assign(ids, s.ids);
    alertId = s.alertId;
    alertCode = s.alert.code;
    const sent = s.delivery!;
    if (sent.sent !== 4 || sent.failed !== 1)
      throw new Error(`setup: expected 4 sent, 1 failed: ${JSON.stringify(sent)}`);

    await s.receipt('jia');
    await s.receipt('bing');
    t.clock.set('2026-11-28T20:30:00+08:00');
    await s.receipt('yi');
    t.clock.set('2026-11-28T21:00:00+08:00');
    await s.report('jia', '2026-11-28T20:30', '已限产');
    t.clock.set('2026-11-28T23:00:00+08:00');
    await s.report('yi', '2026-11-28T22:50', '迟报');
    t.clock.set('2026-11-28T23:30:00+08:00');
    await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-11-29T00:00:00+08:00', reason: '好转' })
      .expect(200);
    // No consultation to check the lift against: approved with a written reason.
    await commander.post(`/api/alerts/${alertId}/approve`).send({ overrideReason: '现场核实' }).expect(200);
    await drain();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const stats = (
    orders: number,
    received: number,
    receivedOnTime: number,
    executed: number,
    executedOnTime: number,
    rates: [number, number, number, number],
  ) => ({
    orders,
    enterprises: orders,
    received,
    receivedOnTime,
    executed,
    executedOnTime,
    rates: {
      received: rates[0],
      receivedOnTime: rates[1],
      executed: rates[2],
      executedOnTime: rates[3],
    },
  });

  it('counts who received, confirmed on time, carried out and reported on time', async () => {
    const { body } = await auditor.get(`/api/alerts/${alertId}/assessment`).expect(200);
    expect(body.alert).toMatchObject({ id: alertId, code: alertCode, countyCodes: ['141181', '141182'] });
    expect(body.totals).toEqual(stats(5, 3, 2, 2, 1, [0.6, 0.4, 0.4, 0.2]));
    expect(body.byCounty).toEqual([
      { code: '141181', name: '孝义市', ...stats(2, 2, 1, 2, 1, [1, 0.5, 1, 0.5]) },
      { code: '141182', name: '汾阳市', ...stats(3, 1, 1, 0, 0, [0.3333, 0.3333, 0, 0]) },
    ]);
    expect(body.byGrade).toEqual([
      { code: 'A', name: 'A级', ...stats(1, 1, 1, 0, 0, [1, 1, 0, 0]) },
      { code: 'B', name: 'B级', ...stats(2, 1, 1, 1, 1, [0.5, 0.5, 0.5, 0.5]) },
      { code: 'C', name: 'C级', ...stats(2, 1, 0, 1, 0, [0.5, 0, 0.5, 0]) },
    ]);
    // in the industries' sort order (GET /api/industries)
    expect(body.byIndustry).toEqual([
      { code: 'COKING', name: '焦化', ...stats(3, 2, 2, 1, 1, [0.6667, 0.6667, 0.3333, 0.3333]) },
      { code: 'CASTING', name: '铸造', ...stats(1, 0, 0, 0, 0, [0, 0, 0, 0]) },
      { code: 'CEMENT', name: '水泥', ...stats(1, 1, 0, 1, 0, [1, 0, 1, 0]) },
    ]);
  });

  it('names the enterprises that never answered and the notices that could not be delivered', async () => {
    const { body } = await duty.get(`/api/alerts/${alertId}/assessment`).expect(200);
    expect(body.neverResponded).toEqual([
      { id: ids.ding, name: '=丁铸造有限公司', creditCode: expect.any(String), countyCode: '141182' },
      { id: ids.wu, name: '戊焦化有限公司', creditCode: expect.any(String), countyCode: '141182' },
    ]);
    expect(body.failedDeliveries.map((d: { kind: string }) => d.kind)).toEqual([
      'ORDER_ISSUED',
      'ORDER_LIFTED',
    ]);
    expect(body.failedDeliveries[0]).toMatchObject({
      enterpriseId: ids.ding,
      enterpriseName: '=丁铸造有限公司',
      countyCode: '141182',
      recipients: ['ding@test.example'],
      attempts: 1,
      lastError: expect.stringContaining('550'),
    });
  });

  it('carries how many were silent and answered, and gives both lists a page at a time in the same order', async () => {
    const { body } = await duty.get(`/api/alerts/${alertId}/assessment`).expect(200);
    expect(body).toMatchObject({ neverRespondedTotal: 2, acknowledgementsTotal: 3, listLimit: 100 });
    // by county, then name in pinyin order: 甲 (jiǎ) before 乙 (yǐ), though 乙 comes first in code points
    expect(body.acknowledgements.map((k: { enterpriseId: string }) => k.enterpriseId)).toEqual([
      ids.jia,
      ids.yi,
      ids.bing,
    ]);

    const silent = `/api/alerts/${alertId}/assessment/never-responded`;
    const first = await auditor.get(`${silent}?pageSize=1`).expect(200);
    expect(first.body).toEqual({ items: [body.neverResponded[0]], total: 2, page: 1, pageSize: 1 });
    const second = await auditor.get(`${silent}?page=2&pageSize=1`).expect(200);
    expect(second.body.items).toEqual([
      { id: ids.wu, name: '戊焦化有限公司', creditCode: expect.any(String), countyCode: '141182' },
    ]);
    expect((await auditor.get(`${silent}?page=3&pageSize=1`).expect(200)).body).toEqual({
      items: [],
      total: 2,
      page: 3,
      pageSize: 1,
    });

    const acks = await commander.get(`/api/alerts/${alertId}/assessment/acknowledgements?page=2&pageSize=2`);
    expect(acks.status).toBe(200);
    expect(acks.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(acks.body.items).toEqual([body.acknowledgements[2]]);
    expect(acks.body.items[0]).toMatchObject({ enterpriseName: '丙焦化有限公司', countyName: '汾阳市' });

    const bad = await auditor.get(`${silent}?pageSize=0`).expect(422);
    expect(bad.body.error.fields).toEqual([
      { field: 'pageSize', message: expect.stringContaining('每页条数') },
    ]);
    await t.http().get(silent).expect(401);
    await auditor
      .get('/api/alerts/00000000-0000-4000-8000-000000000000/assessment/acknowledgements')
      .expect(404);
  });

  it('compares the reduction of the executed orders with the inventory and the required 20%', async () => {
    const { body } = await commander.get(`/api/alerts/${alertId}/assessment`).expect(200);
    expect(body.reduction.countyCodes).toEqual(['141181', '141182']);
    expect(body.reduction.inventoryMissing).toEqual([]);
    expect(body.reduction.levels).toHaveLength(1);
    const [orange] = body.reduction.levels;
    expect(orange).toMatchObject({
      level: 'ORANGE',
      levelName: '橙色',
      required: 0.2,
      enterprises: 2,
      ok: false,
    });
    // 甲 10/20/4/2 + 乙 5/10/1/3 against 150/300/100/25
    expect(orange.pollutants).toEqual({
      so2: { baseline: 150, reduction: 15, ratio: 0.1, required: 0.2, ok: false },
      nox: { baseline: 300, reduction: 30, ratio: 0.1, required: 0.2, ok: false },
      pm: { baseline: 100, reduction: 5, ratio: 0.05, required: 0.2, ok: false },
      vocs: { baseline: 25, reduction: 5, ratio: 0.2, required: 0.2, ok: true },
    });
  });

  it('gives the same as a CSV download, UTF-8 with BOM, formulas escaped', async () => {
    const res = await auditor
      .get(`/api/alerts/${alertId}/assessment.csv`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`filename="assessment-${alertCode}.csv"`);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\n');
    expect(lines).toContain('【按区县】');
    expect(lines).toContain('141181,孝义市,2,2,2,1,2,1,1,0.5,1,0.5');
    expect(lines).toContain(',合计,5,5,3,2,2,1,0.6,0.4,0.4,0.2');
    expect(lines).toContain('橙色,vocs,25,5,0.2,0.2,是');
    expect(text).toContain("'=丁铸造有限公司");
    expect(lines.some((l) => l.startsWith('=') || l.includes(',=') || l.includes(',"='))).toBe(false);

    const viaQuery = await duty
      .get(`/api/alerts/${alertId}/assessment?format=csv`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((viaQuery.body as Buffer).equals(res.body as Buffer)).toBe(true);
  });

  it('is for every signed-in role; 401 without a session, 404 for an unknown warning, 422 for a bad format', async () => {
    await admin.get(`/api/alerts/${alertId}/assessment`).expect(200);
    await t.http().get(`/api/alerts/${alertId}/assessment`).expect(401);
    await auditor.get('/api/alerts/00000000-0000-4000-8000-000000000000/assessment').expect(404);
    await auditor.get('/api/alerts/not-a-uuid/assessment.csv').expect(404);
    const bad = await auditor.get(`/api/alerts/${alertId}/assessment?format=xml`).expect(422);
    expect(bad.body.error.fields).toEqual([{ field: 'format', message: expect.any(String) }]);
  });
});
