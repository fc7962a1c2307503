import type request from 'supertest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formToken, postForm } from '../support/console-forms';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** A tiny but real PNG (1×1): the server knows a photo by its bytes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Reads a binary answer whole. */
function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * Issue 17, "County bureaus inside the system": an officer of 石楼县 (141126) reads and acts on 石楼县's enterprises,
 * orders, follow-ups and inspections only. Another county's row is not found by id (404, so ids tell nothing), a
 * filter naming another county finds nothing, and the lists hold 石楼县's rows alone.
 */
describe('county scope of a county bureau officer', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let shilou: Agent;
  /** A follow-up the duty office recorded on 孝义市's order. */
  let xiaoyiFollowUp: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'hz-county-scope-'));
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720', DATA_DIR: dataDir } });
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
    rmSync(dataDir, { recursive: true, force: true });
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
  /**
   * Inspections (issue 17, "Inspections and consequences"): the bureau inspects its own counties' orders. For every
   * inspection route, 孝义市's order or inspection answers as an unknown id would (same status, code and message),
   * by id and by filter, and nothing is written; 石楼县's is open, and the officer is the audited actor.
   */
  describe('inspections', () => {
    const when = '2026-11-28T20:30:00+08:00';
    /** The duty office's inspection of 孝义市's order (a violation, with a rectification and a photo). */
    let xiaoyiInspection: string;
    /** The officer's own inspection of 石楼县's order. */
    let shilouInspection: string;
    const errorOf = (body: { error: { code: string; message: string } }) => ({
      code: body.error.code,
      message: body.error.message,
    });
    const violation = {
      inspectedAt: when,
      inspectors: ['王五'],
      findings: '2号焦炉仍在生产',
      result: 'VIOLATION',
      rectification: { required: true, deadline: '2026-11-29T20:00:00+08:00' },
    };

    beforeAll(async () => {
      // The warning is in force from 20:00: a violation then puts the enterprise up for a grade review.
      t.clock.set('2026-11-28T21:00:00+08:00');
      const duty = s.agents.duty;
      const made = await duty.post(`/api/orders/${s.orders.xiaoyi}/inspections`).send(violation).expect(201);
      xiaoyiInspection = made.body.id as string;
      await duty
        .post(`/api/inspections/${xiaoyiInspection}/photos`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('photos', PNG, 'xiaoyi.png')
        .expect(201);
      await duty.post(`/api/alerts/${s.alertId}/inspection-plan`).send({ size: 2, seed: 1 }).expect(201);
    });

    it('records, reads, adds photos to and closes an inspection of 石楼县’s order, audited as the officer', async () => {
      const made = await shilou
        .post(`/api/orders/${s.orders.shilou}/inspections`)
        .send(violation)
        .expect(201);
      shilouInspection = made.body.id as string;
      expect(made.body).toMatchObject({
        orderId: s.orders.shilou,
        countyCode: '141126',
        recordedBy: 'shilou.officer',
      });
      const withPhoto = await shilou
        .post(`/api/inspections/${shilouInspection}/photos`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('photos', PNG, 'shilou.png')
        .expect(201);
      expect(withPhoto.body.photos).toHaveLength(1);
      const photo = await shilou
        .get(`/api/inspections/${shilouInspection}/photos/1`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(Buffer.compare(photo.body as Buffer, PNG)).toBe(0);
      const list = await shilou.get(`/api/orders/${s.orders.shilou}/inspections`).expect(200);
      expect(list.body.map((i: { id: string }) => i.id)).toEqual([shilouInspection]);
      await shilou.get(`/api/inspections/${shilouInspection}`).expect(200);
      const closed = await shilou
        .post(`/api/inspections/${shilouInspection}/rectification/close`)
        .send({ closedAt: '2026-11-28T20:50:00+08:00', note: '复查:已停产' })
        .expect(201);
      expect(closed.body.rectification).toMatchObject({ closedBy: 'shilou.officer', note: '复查:已停产' });
      const audited = await t.dataSource.query(
        `SELECT action, actor_name FROM audit_entry
          WHERE subject_id = $1 OR (action = 'grade-review.opened' AND data->>'inspectionId' = $1) ORDER BY id`,
        [shilouInspection],
      );
      expect(audited).toEqual([
        { action: 'inspection.recorded', actor_name: 'shilou.officer' },
        { action: 'grade-review.opened', actor_name: 'shilou.officer' },
        { action: 'inspection.photos-added', actor_name: 'shilou.officer' },
        { action: 'inspection.rectification-closed', actor_name: 'shilou.officer' },
      ]);
    });

    it('finds 孝义市’s order and inspection on no inspection route, exactly as an unknown id, and writes nothing', async () => {
      const unknown = randomUUID();
      const calls: Array<[string, (id: string) => PromiseLike<request.Response>]> = [
        [
          'POST /api/orders/:id/inspections',
          (id) => shilou.post(`/api/orders/${id}/inspections`).send(violation),
        ],
        ['GET /api/orders/:id/inspections', (id) => shilou.get(`/api/orders/${id}/inspections`)],
        ['GET /api/inspections/:id', (id) => shilou.get(`/api/inspections/${id}`)],
        [
          'POST /api/inspections/:id/photos',
          (id) =>
            shilou
              .post(`/api/inspections/${id}/photos`)
              .set('X-Requested-With', 'XMLHttpRequest')
              .attach('photos', PNG, 'x.png'),
        ],
        ['GET /api/inspections/:id/photos/:n', (id) => shilou.get(`/api/inspections/${id}/photos/1`)],
        [
          'POST /api/inspections/:id/rectification/close',
          (id) =>
            shilou
              .post(`/api/inspections/${id}/rectification/close`)
              .send({ closedAt: '2026-11-28T20:50:00+08:00', note: '越权销号' }),
        ],
      ];
      for (const [route, call] of calls) {
        const target = route.includes('/orders/') ? s.orders.xiaoyi : xiaoyiInspection;
        const other = await call(target);
        const none = await call(unknown);
        expect([route, other.status, errorOf(other.body)]).toEqual([route, 404, errorOf(none.body)]);
        expect(none.status).toBe(404);
      }
      const [row] = await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM inspection WHERE order_id = $1) AS inspections,
                (SELECT count(*)::int FROM inspection_photo WHERE inspection_id = $2) AS photos,
                (SELECT rectification_closed_at FROM inspection WHERE id = $2) AS closed_at`,
        [s.orders.xiaoyi, xiaoyiInspection],
      );
      expect(row).toEqual({ inspections: 1, photos: 1, closed_at: null });
      // The duty office still reads it.
      await s.agents.duty.get(`/api/inspections/${xiaoyiInspection}`).expect(200);
      await s.agents.duty.get(`/api/inspections/${xiaoyiInspection}/photos/1`).expect(200);
    });

    it('lists the grade reviews and the warning’s plan picks of 石楼县 only, by any filter', async () => {
      const counties = (b: Array<{ countyCode: string }>) => b.map((r) => r.countyCode);
      for (const query of ['', '?state=PENDING'])
        expect(counties((await shilou.get(`/api/grade-reviews${query}`).expect(200)).body)).toEqual([
          '141126',
        ]);
      expect((await shilou.get('/api/grade-reviews?state=KEPT').expect(200)).body).toEqual([]);
      expect(counties((await s.agents.duty.get('/api/grade-reviews').expect(200)).body).sort()).toEqual([
        '141126',
        '141181',
      ]);
      // The officer may not decide, in their county or another.
      const [review] = (await shilou.get('/api/grade-reviews').expect(200)).body as Array<{ id: string }>;
      await shilou
        .post(`/api/grade-reviews/${review.id}/decide`)
        .send({ decision: 'KEEP', reason: '维持' })
        .expect(403);
      // The city's plan (drawn by the duty office), with 石楼县's pick alone; drawing stays with the city.
      const plan = await shilou.get(`/api/alerts/${s.alertId}/inspection-plan`).expect(200);
      expect(plan.body).toMatchObject({ picked: 2, population: 2 });
      expect(plan.body.items.map((i: { orderId: string }) => i.orderId)).toEqual([s.orders.shilou]);
      const cityPlan = await s.agents.duty.get(`/api/alerts/${s.alertId}/inspection-plan`).expect(200);
      expect(cityPlan.body.items).toHaveLength(2);
      await shilou.post(`/api/alerts/${s.alertId}/inspection-plan`).send({ size: 1 }).expect(403);
    });

    it('opens the console inspection page and form for 石楼县’s order only, with the links where the officer may act', async () => {
      await shilou.get(`/orders/${s.orders.xiaoyi}/inspections`).expect(404);
      const page = await shilou.get(`/orders/${s.orders.shilou}/inspections`).expect(200);
      expect(page.text).toContain('id="inspection-form"');
      expect(page.text).toContain(`id="inspection-${shilouInspection}"`);
      const token = await formToken(shilou);
      const posted = await shilou
        .post(`/orders/${s.orders.shilou}/inspections?_csrf=${encodeURIComponent(token)}`)
        .field('inspectedAt', '2026-11-28T20:40')
        .field('inspectors', '赵六')
        .field('findings', '复查已停产')
        .field('result', 'COMPLIANT')
        .attach('photos', PNG, 'console.png')
        .redirects(0);
      expect(posted.status).toBe(303);
      const refused = await shilou
        .post(`/orders/${s.orders.xiaoyi}/inspections?_csrf=${encodeURIComponent(token)}`)
        .field('inspectedAt', '2026-11-28T20:40')
        .field('inspectors', '赵六')
        .field('findings', '越权')
        .field('result', 'COMPLIANT')
        .redirects(0);
      expect(refused.status).toBe(404);
      const close = await postForm(shilou, `/inspections/${xiaoyiInspection}/rectification/close`, {
        closedAt: '2026-11-28T20:50',
        note: '越权销号',
      });
      expect(close.status).toBe(404);
      const rows = await t.dataSource.query(
        `SELECT i.recorded_by_name, o.county_code, (SELECT count(*)::int FROM inspection_photo p WHERE p.inspection_id = i.id) AS photos
           FROM inspection i JOIN reduction_order o ON o.id = i.order_id WHERE i.findings = '复查已停产'`,
      );
      expect(rows).toEqual([{ recorded_by_name: 'shilou.officer', county_code: '141126', photos: 1 }]);
      expect(
        await t.dataSource.query(`SELECT count(*)::int AS n FROM inspection WHERE order_id = $1`, [
          s.orders.xiaoyi,
        ]),
      ).toEqual([{ n: 1 }]);

      // The warning page: the plan's 石楼县 pick and an inspection link on 石楼县's order; no draw form.
      const warning = await shilou.get(`/alerts/${s.alertId}`).expect(200);
      expect(warning.text).toContain(`/orders/${s.orders.shilou}/inspections`);
      expect(warning.text).not.toContain(`/orders/${s.orders.xiaoyi}/inspections`);
      expect(warning.text).toContain('其中本辖区 1 家');
      expect(warning.text).not.toContain('id="inspection-plan-form"');
      const asDuty = await s.agents.duty.get(`/alerts/${s.alertId}`).expect(200);
      expect(asDuty.text).toContain(`/orders/${s.orders.xiaoyi}/inspections`);
      expect(asDuty.text).toContain('id="inspection-plan-form"');
      const followUps = await shilou.get(`/orders/${s.orders.shilou}/follow-ups`).expect(200);
      expect(followUps.text).toContain(`href="/orders/${s.orders.shilou}/inspections"`);

      // The grade reviews of 石楼县, to read: no decision form.
      const reviews = await shilou.get('/grade-reviews').expect(200);
      expect(reviews.text).toContain('石楼范围甲焦化有限公司');
      expect(reviews.text).not.toContain('孝义范围乙焦化有限公司');
      expect(reviews.text).not.toContain('class="decide-form"');
    });
  });
});
