import { SIGNER } from '../support/signer';
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const r = (so2: number, nox = so2, pm = so2, vocs = so2) => ({ so2, nox, pm, vocs });

describe('orders, email notices and acknowledgement', () => {
  let sink: SmtpSink;
  let port: number;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let admin: Agent;
  const refuse = new Map<string, number>(); // recipient → SMTP code to answer
  let alertId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRcpt: (a) => refuse.get(a) });
    port = sink.port;
    t = await createTestApp({
      env: {
        SMTP_URL: sink.url,
        MAIL_RETRY_BASE_MS: '1000',
        MAIL_MAX_ATTEMPTS: '4',
        SESSION_TTL_HOURS: '720',
        DUTY_OFFICE_PHONE: '0358-1234567',
      },
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [duty, commander, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['ADMIN']),
    ]);
    const create = async (
      key: string,
      over: Parameters<typeof enterpriseInput>[0],
      measures: ReturnType<typeof measure>[] | null,
    ) => {
      const { body } = await admin
        .post('/api/enterprises')
        .send(enterpriseInput({ countyCode: '141181', ...over }))
        .expect(201);
      ids[key] = body.id;
      if (measures) await admin.put(`/api/enterprises/${body.id}/plan`).send({ measures }).expect(200);
    };
    await create(
      'mandatory',
      { name: '甲焦化有限公司', grade: 'C', contacts: [{ name: '甲', email: 'jia@test.example' }] },
      [
        measure({ level: 'YELLOW', description: '停产50%炭化室', reduction: r(20) }),
        measure({ level: 'ORANGE', description: '停止装煤60%炭化室', reduction: r(30) }),
        measure({
          level: 'ORANGE',
          line: null,
          action: 'TRUCK_BAN_CN4',
          params: {},
          description: '禁用国四及以下重型货车',
          reduction: r(1),
        }),
        measure({ level: 'RED', action: 'STOP', params: {}, description: '全厂停产', reduction: r(39) }),
        measure({
          level: 'RED',
          line: null,
          action: 'TRUCK_BAN_CN4',
          params: {},
          description: '禁用国四及以下重型货车',
          reduction: r(1),
        }),
      ],
    );
    await create(
      'voluntary',
      {
        name: '乙水泥有限公司',
        grade: 'A',
        industry: 'CEMENT',
        contacts: [{ name: '乙', email: 'yi@test.example' }],
      },
      [
        measure({
          level: 'ORANGE',
          action: 'VOLUNTARY',
          params: {},
          description: '自主减排10%',
          reduction: r(4),
        }),
      ],
    );
    await create(
      'protected',
      {
        name: '丙热电有限公司',
        grade: 'B',
        protected: true,
        protectedReason: '城市集中供暖',
        protectedMaxLoad: 70,
        contacts: [{ name: '丙', email: 'bing@test.example' }],
      },
      [
        measure({
          level: 'ORANGE',
          description: '按核定负荷70%运行',
          params: { percent: 30 },
          reduction: r(12),
        }),
      ],
    );
    await create(
      'noPlan',
      {
        name: '丁铸造有限公司',
        grade: 'C',
        industry: 'CASTING',
        contacts: [{ name: '丁', email: 'ding@test.example' }],
      },
      null,
    );
    await create(
      'bounce',
      {
        name: '戊炭素有限公司',
        grade: 'C',
        industry: 'CARBON',
        contacts: [{ name: '戊', email: 'wu@test.example' }],
      },
      [measure({ level: 'ORANGE', reduction: r(5) })],
    );
    await create(
      'archived',
      { name: '己已关停有限公司', contacts: [{ name: '己', email: 'ji@test.example' }] },
      [measure({ level: 'ORANGE' })],
    );
    await admin.delete(`/api/enterprises/${ids.archived}`).expect(200);
    await create(
      'elsewhere',
      {
        name: '庚离石有限公司',
        countyCode: '141102',
        contacts: [{ name: '庚', email: 'geng@test.example' }],
      },
      [measure({ level: 'ORANGE' })],
    );
    refuse.set('wu@test.example', 550);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const drain = () => t.app.get(OutboxDispatcher).drain();
  const mailTo = (address: string): ParsedMail[] =>
    sink.messages.filter((m) => m.to && JSON.stringify(m.to).includes(address));
  const orderOf = async (key: string) =>
    (await duty.get(`/api/alerts/${alertId}/orders`).expect(200)).body.find(
      (o: { enterpriseId: string }) => o.enterpriseId === ids[key],
    );
  const ackLink = (mail: ParsedMail) =>
    new URL(/https?:\/\/\S+\/ack\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')![0]);

  it('creates one order per non-archived enterprise in scope, with its outbox message, when the warning is approved', async () => {
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    alertId = draft.body.id;
    expect((await duty.get(`/api/alerts/${alertId}/orders`).expect(200)).body).toEqual([]);
    await duty.get('/api/alerts/00000000-0000-4000-8000-000000000000/orders').expect(404);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    const orders = (await duty.get(`/api/alerts/${alertId}/orders`).expect(200)).body;
    expect(orders.map((o: { enterpriseName: string }) => o.enterpriseName).sort()).toEqual(
      ['丁铸造有限公司', '丙热电有限公司', '乙水泥有限公司', '戊炭素有限公司', '甲焦化有限公司'].sort(),
    );
    expect(await orderOf('voluntary')).toMatchObject({
      noticeType: 'VOLUNTARY',
      state: 'PENDING',
      deliveryState: 'QUEUED',
    });
    expect(await orderOf('protected')).toMatchObject({ noticeType: 'PROTECTED' });
    expect(await orderOf('noPlan')).toMatchObject({ noticeType: 'MANDATORY', problem: 'NO_PLAN' });
    const problems = (await duty.get(`/api/alerts/${alertId}/orders?problem=NO_PLAN`).expect(200)).body;
    expect(problems.map((o: { enterpriseId: string }) => o.enterpriseId)).toEqual([ids.noPlan]);
    expect(await orderOf('mandatory')).toMatchObject({
      receiptDueAt: '2026-11-28T12:00:00.000Z',
      reportDueAt: '2026-11-28T14:00:00.000Z',
    });
    const [audit] = await t.dataSource.query(
      "SELECT data FROM audit_entry WHERE alert_id = $1 AND action = 'orders.created'",
      [alertId],
    );
    const pairs = await t.dataSource.query(
      "SELECT id || ':' || enterprise_id AS p FROM reduction_order WHERE alert_id = $1",
      [alertId],
    );
    const digest = createHash('sha256')
      .update(
        pairs
          .map((x: { p: string }) => x.p)
          .sort()
          .join('\n'),
      )
      .digest('hex');
    expect(audit.data).toMatchObject({
      kind: 'ISSUE',
      orders: 5,
      noPlan: [ids.noPlan],
      noEmail: [],
      voluntary: 1,
      protected: 1,
      ordersSha256: digest,
    });
    expect(sink.received).toBe(0); // nothing is sent inside the request
  });

  it('sends each enterprise exactly one email with its own measures, in Chinese, with its Message-ID', async () => {
    const result = await drain();
    expect(result).toMatchObject({ claimed: 5, sent: 4, failed: 1 });
    expect(sink.received).toBe(4);
    const [jia] = mailTo('jia@test.example');
    expect(jia.subject).toBe(
      '【橙色预警】甲焦化有限公司减排指令(2026-001)'.replace('2026-001', jia.subject!.slice(-9, -1)),
    );
    expect(jia.subject).toContain('【橙色预警】甲焦化有限公司减排指令');
    expect(jia.text).toContain('停止装煤60%炭化室');
    expect(jia.text).toContain('禁用国四及以下重型货车');
    expect(jia.text).not.toContain('全厂停产');
    expect(jia.text).not.toContain('停产50%炭化室');
    expect(jia.text).toContain('2026年11月28日 20:00');
    expect(jia.text).toContain('0358-1234567');
    expect(jia.html).toContain('确认收到指令');
    const messages = (await duty.get(`/api/outbox?alertId=${alertId}`).expect(200)).body as Array<{
      id: string;
      orderId: string;
      state: string;
    }>;
    const jiaOrder = await orderOf('mandatory');
    const jiaMessage = messages.find((m) => m.orderId === jiaOrder.orderId)!;
    expect(jia.messageId).toBe(`<${jiaMessage.id}@localhost>`);
    expect(jiaOrder).toMatchObject({ state: 'SENT', deliveryState: 'SENT' });
    expect(mailTo('yi@test.example')[0].text).toContain('自主采取减排措施');
    expect(mailTo('bing@test.example')[0].text).toContain('核定最大负荷 70%');
    expect(mailTo('ding@test.example')[0].text).toContain('没有本级别措施');
    expect(mailTo('ji@test.example')).toEqual([]);
    expect(mailTo('geng@test.example')).toEqual([]);
    const history = (await duty.get(`/api/outbox/${jiaMessage.id}/history`).expect(200)).body;
    expect(history.map((h: { fromState: string; toState: string }) => [h.fromState, h.toState])).toEqual([
      ['QUEUED', 'SENDING'],
      ['SENDING', 'SENT'],
    ]);
    expect(await drain()).toMatchObject({ claimed: 0 });
    expect(sink.received).toBe(4);
    const { body: alert } = await duty.get(`/api/alerts/${alertId}`).expect(200);
    expect(alert.orderCounts).toEqual({
      total: 5,
      byState: { SENT: 4, PENDING: 1 },
      byDelivery: { SENT: 4, FAILED: 1 },
      received: 0,
      executed: 0,
      noEmail: 0,
      noPlan: 1,
      scheduled: { total: 0, byDelivery: {} },
      endNotices: { total: 0, byDelivery: {} },
    });
  });

  it('moves a permanent failure (550) to FAILED at once, and a duty officer can re-queue it', async () => {
    const failed = (await duty.get('/api/outbox?state=FAILED').expect(200)).body;
    expect(failed).toEqual([
      expect.objectContaining({
        recipients: ['wu@test.example'],
        attempts: 1,
        lastError: expect.stringContaining('550'),
      }),
    ]);
    await commander.post(`/api/outbox/${failed[0].id}/requeue`).expect(403);
    refuse.delete('wu@test.example');
    await duty.post(`/api/outbox/${failed[0].id}/requeue`).expect(200);
    const again = await duty.post(`/api/outbox/${failed[0].id}/requeue`).expect(409);
    expect(again.body.error.code).toBe('OUTBOX_NOT_FAILED');
    await drain();
    expect(mailTo('wu@test.example')).toHaveLength(1);
    expect((await orderOf('bounce')).deliveryState).toBe('SENT');
  });

  it('confirms receipt and the report through the signed link, once, and records who from where', async () => {
    const link = ackLink(mailTo('jia@test.example')[0]);
    const page = await t.http().get(link.pathname).expect(200);
    expect(page.text).toContain('甲焦化有限公司');
    expect(page.text).toContain('停止装煤60%炭化室');
    const token = link.pathname.split('/')[2];
    await t
      .http()
      .post(`/ack/${token}/receipt`)
      .type('form')
      .send(SIGNER)
      .expect(303)
      .expect('location', `/ack/${token}?done=receipt`);
    expect(await orderOf('mandatory')).toMatchObject({
      state: 'RECEIVED',
      receivedAt: '2026-11-28T02:00:00.000Z',
    });
    await t
      .http()
      .post(`/ack/${token}/receipt`)
      .type('form')
      .send(SIGNER)
      .expect(303)
      .expect('location', `/ack/${token}?done=already`);
    await t
      .http()
      .post(`/ack/${token}/report`)
      .type('form')
      .send({ ...SIGNER, measuresInPlaceAt: '2026-11-28T10:00', note: '已停止装煤' })
      .expect(303);
    expect(await orderOf('mandatory')).toMatchObject({ state: 'EXECUTED' });
    const audit = await t.dataSource.query(
      "SELECT actor_type, ip, data FROM audit_entry WHERE action = 'order.executed' ORDER BY id DESC LIMIT 1",
    );
    expect(audit[0]).toMatchObject({
      actor_type: 'ENTERPRISE',
      ip: expect.any(String),
      data: {
        state: ['RECEIVED', 'EXECUTED'],
        measuresInPlaceAt: '2026-11-28T02:00:00.000Z',
        note: '已停止装煤',
      },
    });
  });

  it('refuses forged and malformed links with an error page and changes nothing', async () => {
    const token = ackLink(mailTo('yi@test.example')[0]).pathname.split('/')[2];
    const forged = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    const res = await t.http().post(`/ack/${forged}/receipt`).type('form').send(SIGNER).expect(404);
    expect(res.text).toContain('链接无效');
    await t.http().get('/ack/not-a-token').expect(404);
    expect((await orderOf('voluntary')).state).toBe('SENT');
    const bad = await t
      .http()
      .post(`/ack/${token}/report`)
      .type('form')
      .send({ ...SIGNER, measuresInPlaceAt: '2099-01-01T00:00' })
      .expect(422);
    expect(bad.text).toContain('落实时间');
  });

  it('sends the delta on an upgrade approved ahead at once, and supersedes the old order at its effective time', async () => {
    const oldToken = ackLink(mailTo('bing@test.example')[0]).pathname.split('/')[2];
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'RED', effectiveAt: '2026-11-28T20:00:00+08:00', reason: '预报加重' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    await drain();
    const mails = mailTo('jia@test.example');
    expect(mails).toHaveLength(2);
    const delta = mails[1];
    expect(delta.subject).toContain('【预警升级为红色】甲焦化有限公司减排指令调整');
    const text = delta.text!;
    expect(text.indexOf('新增措施')).toBeLessThan(text.indexOf('全厂停产'));
    expect(text.indexOf('不再执行的措施')).toBeLessThan(text.indexOf('停止装煤60%炭化室'));
    expect(text.indexOf('继续执行的措施')).toBeLessThan(text.lastIndexOf('禁用国四及以下重型货车'));
    expect(mailTo('ding@test.example')).toHaveLength(2);
    const states = () =>
      t.dataSource.query(
        'SELECT state, count(*)::int AS n FROM reduction_order WHERE alert_id = $1 GROUP BY state ORDER BY state',
        [alertId],
      );
    // Until 20:00 the orange order is the one in force: it can still be received, and says what comes.
    expect(await states()).toEqual(expect.arrayContaining([{ state: 'SCHEDULED', n: 5 }]));
    expect((await states()).map((s: { state: string }) => s.state)).not.toContain('SUPERSEDED');
    await t.http().post(`/ack/${oldToken}/receipt`).type('form').send(SIGNER).expect(303);
    const before = await t.http().get(`/ack/${oldToken}`).expect(200);
    expect(before.text).toContain('2026年11月28日 20:00</strong> 起调整为红色预警措施');
    t.clock.set('2026-11-28T20:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run();
    const page = await t.http().post(`/ack/${oldToken}/receipt`).type('form').send(SIGNER).expect(409);
    expect(page.text).toContain('data-code="ORDER_SUPERSEDED"');
    expect(await states()).toEqual([
      { state: 'SENT', n: 5 },
      { state: 'SUPERSEDED', n: 5 },
    ]);
  });

  it('retries a transient 451 and delivers once the server accepts', async () => {
    refuse.set('jia@test.example', 451);
    await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-11-28T21:00:00+08:00', reason: '好转' })
      .expect(200);
    // No consultation to check the lift against: approved with a written reason.
    await commander.post(`/api/alerts/${alertId}/approve`).send({ overrideReason: '现场核实' }).expect(200);
    const first = await drain();
    expect(first).toMatchObject({ claimed: 5, sent: 4, retrying: 1 });
    refuse.delete('jia@test.example');
    expect(await drain()).toMatchObject({ claimed: 0 }); // not due yet: backoff
    t.clock.advance(2000);
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    const lifts = mailTo('jia@test.example').filter((m) => m.subject?.includes('预警解除'));
    expect(lifts).toHaveLength(1);
    expect(lifts[0].text).toContain('解除');
  });

  it('survives the SMTP server going away: messages wait and all arrive once it is back, none twice', async () => {
    const res = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141102'],
        effectiveAt: '2026-11-28T12:00:00+08:00',
        reason: '试验',
      })
      .expect(201);
    await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    await sink.close();
    expect(await drain()).toMatchObject({ claimed: 1, retrying: 1 });
    t.clock.advance(3000);
    expect(await drain()).toMatchObject({ claimed: 1, retrying: 1 });
    sink = await startSmtpSink({ port, rejectRcpt: (a) => refuse.get(a) });
    t.clock.advance(10_000);
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sink.messages.filter((m) => JSON.stringify(m.to).includes('geng@test.example'))).toHaveLength(1);
    expect(await drain()).toMatchObject({ claimed: 0 });
  });

  it('shows the whole warning as a timeline, in order, readable by a person', async () => {
    const {
      body: { items: body, nextAfter },
    } = await duty.get(`/api/alerts/${alertId}/timeline`).query({ limit: 1000 }).expect(200);
    expect(nextAfter).toBeNull();
    const actions = body.map((e: { action: string }) => e.action);
    const first = (a: string) => actions.indexOf(a);
    expect(first('alert.drafted')).toBe(0);
    expect(first('alert.drafted')).toBeLessThan(first('alert.approved'));
    expect(first('alert.approved')).toBeLessThan(first('orders.created'));
    expect(first('orders.created')).toBeLessThan(first('message.sent'));
    expect(actions).toEqual(
      expect.arrayContaining([
        'order.received',
        'order.executed',
        'message.failed',
        'message.requeued',
        'message.retrying',
        'alert.change.proposed',
      ]),
    );
    const times = body.map((e: { at: string }) => new Date(e.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(body.find((e: { action: string }) => e.action === 'message.failed').summary).toContain(
      'wu@test.example',
    );
    expect(body.find((e: { action: string }) => e.action === 'order.executed').summary).toBe(
      '企业报告措施落实',
    );
    // Labels from the audit catalog; an audited requeue reads as such, not as a delivery without recipients.
    const byAction = (a: string) => body.find((e: { action: string }) => e.action === a);
    expect(byAction('order.executed').label).toBe('企业报告措施落实');
    expect(byAction('message.requeued')).toMatchObject({
      kind: 'AUDIT',
      label: '重新发送',
      summary: '重新发送',
    });
    expect(byAction('message.retrying')).toMatchObject({ kind: 'DELIVERY', label: '发送失败,稍后重试' });
    await duty.get('/api/alerts/00000000-0000-0000-0000-000000000000/timeline').expect(404);
  });

  it("pages the timeline: limit events after the previous page's last one, each once, in order, to the end", async () => {
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT (SELECT count(*) FROM audit_entry WHERE alert_id = $1)::int
            + (SELECT count(*) FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
                WHERE m.alert_id = $1)::int AS n`,
      [alertId],
    );
    const pages: Array<{
      items: Array<{ id: string; at: string }>;
      nextAfter: string | null;
      total: number;
    }> = [];
    let after: string | undefined;
    do {
      const { body } = await duty
        .get(`/api/alerts/${alertId}/timeline`)
        .query({ limit: 7, ...(after ? { after } : {}) })
        .expect(200);
      pages.push(body);
      after = body.nextAfter ?? undefined;
    } while (after && pages.length < 100);
    const ids = pages.flatMap((p) => p.items.map((e) => e.id));
    const times = pages.flatMap((p) => p.items.map((e) => new Date(e.at).getTime()));
    expect({
      // More than one page of 7, every page full but the last, which says there is no next.
      pages: pages.length > 1,
      full: pages.slice(0, -1).every((p) => p.items.length === 7 && p.nextAfter === p.items[6].id),
      last: pages.at(-1)!.nextAfter,
      count: ids.length,
      distinct: new Set(ids).size,
      totals: [...new Set(pages.map((p) => p.total))],
      ordered: times.every((time, i) => i === 0 || times[i - 1] <= time),
      idShape: ids.every((id) => /^(audit|delivery):\d+$/.test(id)),
    }).toEqual({
      pages: true,
      full: true,
      last: null,
      count: n,
      distinct: n,
      totals: [n],
      ordered: true,
      idShape: true,
    });
    // Without a limit: the first 200 (this warning has fewer), the same order.
    const { body: first } = await duty.get(`/api/alerts/${alertId}/timeline`).expect(200);
    expect(first.items.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 200));
  });

  it('refuses a timeline limit past 1000, or a cursor that is no event of this warning, by name', async () => {
    const { body: other } = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141130'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '另一预警',
      })
      .expect(201);
    const { body: otherPage } = await duty.get(`/api/alerts/${other.id}/timeline`).expect(200);
    const url = `/api/alerts/${alertId}/timeline`;
    const refusals = await Promise.all([
      duty.get(url).query({ limit: 1001 }),
      duty.get(url).query({ limit: 0 }),
      duty.get(url).query({ after: 'yesterday' }),
      duty.get(url).query({ after: otherPage.items[0].id }),
    ]);
    expect(
      refusals.map((r) => [r.status, r.body.error?.fields?.map((f: { field: string }) => f.field)]),
    ).toEqual([
      [422, ['limit']],
      [422, ['limit']],
      [422, ['after']],
      [422, ['after']],
    ]);
  });
});
