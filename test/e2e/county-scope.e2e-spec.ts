import { postForm } from '../support/console-forms';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * Issue 17, "County bureaus inside the system": an officer of 石楼县 (141126) reads and acts on 石楼县's enterprises,
 * orders and follow-ups only. Another county's row is not found by id (404, so ids tell nothing), a filter naming
 * another county finds nothing, and the lists hold 石楼县's rows alone.
 */
describe('county scope of a county bureau officer', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let shilou: Agent;
  /** A follow-up the duty office recorded on 孝义市's order. */
  let xiaoyiFollowUp: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    s = await scenario(t, { sink })
      .enterprises([
        { key: 'shilou', input: { name: '石楼范围甲焦化有限公司', countyCode: '141126' } },
        { key: 'xiaoyi', input: { name: '孝义范围乙焦化有限公司', countyCode: '141181' } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141126', '141181'] })
      .approved()
      .delivered();
    t.clock.set('2026-11-28T11:30:00+08:00');
    const duty = await s.agents.duty
      .post(`/api/orders/${s.orders.xiaoyi}/follow-ups`)
      .send({ kind: 'PHONE_CALL', outcome: 'REACHED', note: '孝义的电话' })
      .expect(201);
    xiaoyiFollowUp = duty.body.id as string;
    shilou = await t.signIn(['COUNTY_OFFICER'], 'shilou.officer', ['141126']);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('carries the officer’s counties in the session', async () => {
    const me = await shilou.get('/api/auth/me').expect(200);
    expect(me.body.roles).toEqual(['COUNTY_OFFICER']);
  });

  it('lists only 石楼县’s enterprises, and finds none when filtering by another county', async () => {
    const all = await shilou.get('/api/enterprises').expect(200);
    expect(all.body.items.map((e: { name: string }) => e.name)).toEqual(['石楼范围甲焦化有限公司']);
    expect(all.body.total).toBe(1);
    const other = await shilou.get('/api/enterprises?countyCode=141181').expect(200);
    expect(other.body).toMatchObject({ items: [], total: 0 });
    // The duty office still sees both.
    const duty = await s.agents.duty.get('/api/enterprises').expect(200);
    expect(duty.body.total).toBe(2);
  });

  it('reads 石楼县’s enterprise and its plan by id, and does not find 孝义市’s', async () => {
    await shilou.get(`/api/enterprises/${s.ids.shilou}`).expect(200);
    await shilou.get(`/api/enterprises/${s.ids.shilou}/plan`).expect(200);
    await shilou.get(`/api/enterprises/${s.ids.shilou}/plan/versions`).expect(200);
    for (const path of ['', '/plan', '/plan/versions', '/plan/diff?from=1&to=1']) {
      const res = await shilou.get(`/api/enterprises/${s.ids.xiaoyi}${path}`).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('exports 石楼县’s enterprises only', async () => {
    const csv = await shilou.get('/api/enterprises/export?format=csv').expect(200);
    expect(csv.text).toContain('石楼范围甲焦化有限公司');
    expect(csv.text).not.toContain('孝义范围乙焦化有限公司');
  });

  it('reads the warning city-wide but lists only 石楼县’s orders, and none for a 孝义市 filter', async () => {
    await shilou.get(`/api/alerts/${s.alertId}`).expect(200);
    const list = await shilou.get(`/api/alerts/${s.alertId}/orders`).expect(200);
    expect(list.body.map((o: { orderId: string }) => o.orderId)).toEqual([s.orders.shilou]);
    const other = await shilou.get(`/api/alerts/${s.alertId}/orders?countyCode=141181`).expect(200);
    expect(other.body).toEqual([]);
    const duty = await s.agents.duty.get(`/api/alerts/${s.alertId}/orders`).expect(200);
    expect(duty.body).toHaveLength(2);
  });

  it('records and reads follow-ups of 石楼县’s order', async () => {
    const created = await shilou
      .post(`/api/orders/${s.orders.shilou}/follow-ups`)
      .send({ kind: 'VISIT', outcome: 'COMPLIANT', note: '现场已停产' })
      .expect(201);
    expect(created.body).toMatchObject({
      orderId: s.orders.shilou,
      countyCode: '141126',
      recordedBy: 'shilou.officer',
    });
    const mine = await shilou.get(`/api/orders/${s.orders.shilou}/follow-ups`).expect(200);
    expect(mine.body.map((f: { id: string }) => f.id)).toEqual([created.body.id]);
    const audited = await t.dataSource.query(
      "SELECT actor_name FROM audit_entry WHERE action = 'order.followed-up' AND subject_id = $1",
      [s.orders.shilou],
    );
    expect(audited).toEqual([{ actor_name: 'shilou.officer' }]);
  });

  it('neither reads nor records a follow-up of 孝义市’s order (not found), and writes nothing', async () => {
    const read = await shilou.get(`/api/orders/${s.orders.xiaoyi}/follow-ups`).expect(404);
    expect(read.body.error.code).toBe('NOT_FOUND');
    const write = await shilou
      .post(`/api/orders/${s.orders.xiaoyi}/follow-ups`)
      .send({ kind: 'NOTE', outcome: 'OTHER', note: '越权' })
      .expect(404);
    expect(write.body.error.code).toBe('NOT_FOUND');
    const rows = await t.dataSource.query('SELECT id FROM order_follow_up WHERE order_id = $1', [
      s.orders.xiaoyi,
    ]);
    expect(rows).toEqual([{ id: xiaoyiFollowUp }]);
  });

  it('lists the warning’s follow-ups of 石楼县 only', async () => {
    const page = await shilou.get(`/api/alerts/${s.alertId}/follow-ups`).expect(200);
    expect(page.body.total).toBe(1);
    expect(page.body.items.map((f: { countyCode: string }) => f.countyCode)).toEqual(['141126']);
    const duty = await s.agents.duty.get(`/api/alerts/${s.alertId}/follow-ups`).expect(200);
    expect(duty.body.total).toBe(2);
  });

  it('is refused the city’s other work: approvals, drafting, users, rulesets, audit, evidence, imports', async () => {
    for (const path of [
      `/api/alerts/${s.alertId}/preview`,
      '/api/users',
      '/api/rulesets',
      '/api/audit',
      `/api/alerts/${s.alertId}/evidence`,
      '/api/enterprises/import/template',
      `/api/alerts/${s.alertId}/timeline`,
    ]) {
      const res = await shilou.get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    await shilou.post(`/api/alerts/${s.alertId}/approve`).send({}).expect(403);
    await shilou.post('/api/alerts').send({}).expect(403);
  });

  it('shows the console pages of 石楼县 only, with the follow-up form for its order', async () => {
    const list = await shilou.get('/enterprises').expect(200);
    expect(list.text).toContain('石楼范围甲焦化有限公司');
    expect(list.text).not.toContain('孝义范围乙焦化有限公司');
    await shilou.get(`/enterprises/${s.ids.xiaoyi}`).expect(404);
    const warning = await shilou.get(`/alerts/${s.alertId}`).expect(200);
    expect(warning.text).toContain('石楼范围甲焦化有限公司');
    expect(warning.text).not.toContain('孝义范围乙焦化有限公司');
    // No link to what a county officer may not open (it would only lead to a refusal page).
    for (const closed of [
      '/assessment"',
      `/orders/${s.orders.shilou}/notice`,
      'href="/outbox/',
      'id="timeline"',
    ])
      expect(warning.text).not.toContain(closed);
    const asDuty = await s.agents.duty.get(`/alerts/${s.alertId}`).expect(200);
    for (const open of [
      '/assessment"',
      `/orders/${s.orders.shilou}/notice`,
      'href="/outbox/',
      'id="timeline"',
    ])
      expect(asDuty.text).toContain(open);
    await shilou.get(`/orders/${s.orders.xiaoyi}/follow-ups`).expect(404);
    const form = await shilou.get(`/orders/${s.orders.shilou}/follow-ups`).expect(200);
    expect(form.text).toContain('name="outcome"');
    const res = await postForm(shilou, `/orders/${s.orders.shilou}/follow-ups`, {
      kind: 'PHONE_CALL',
      outcome: 'REACHED',
      note: '电话已通知',
    });
    expect(res.status).toBe(303);
  });

  it('needs known counties for a county officer account, named in Chinese', async () => {
    const admin = s.agents.admin;
    const none = await admin
      .post('/api/users')
      .send({ username: 'county.none', password: TEST_PASSWORD, roles: ['COUNTY_OFFICER'] })
      .expect(422);
    expect(none.body.error.fields).toEqual([
      { field: 'countyCodes', message: '县级分局账号须指定至少一个所属区县' },
    ]);
    const unknown = await admin
      .post('/api/users')
      .send({
        username: 'county.bad',
        password: TEST_PASSWORD,
        roles: ['COUNTY_OFFICER'],
        countyCodes: ['999999'],
      })
      .expect(422);
    expect(unknown.body.error.fields[0].message).toContain('999999');
    const made = await admin
      .post('/api/users')
      .send({
        username: 'county.ok',
        password: TEST_PASSWORD,
        roles: ['COUNTY_OFFICER'],
        countyCodes: ['141181'],
      })
      .expect(201);
    expect(made.body.countyCodes).toEqual(['141181']);
    const moved = await admin
      .patch(`/api/users/${made.body.id}`)
      .send({ countyCodes: ['141126', '141181'] })
      .expect(200);
    expect(moved.body.countyCodes).toEqual(['141126', '141181']);
    const cleared = await admin.patch(`/api/users/${made.body.id}`).send({ countyCodes: [] }).expect(422);
    expect(cleared.body.error.fields[0].field).toBe('countyCodes');
  });
});
