import { SIGNER } from '../support/signer';
import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const r = (v: number) => ({ so2: v, nox: v, pm: v, vocs: v });

/**
 * A warning's life in time: a change approved ahead of its effective time is told at approval and takes effect
 * at its time; an extension and an expiry tell every enterprise; the counts count orders, not notices.
 */
describe('changes take effect at their effective time', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let admin: Agent;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sink = await startSmtpSink();
    // The clock moves days ahead in this file: sessions must outlive it.
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
    [duty, commander, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['ADMIN']),
    ]);
    const create = async (key: string, countyCode: string, email: string) => {
      const { body } = await admin
        .post('/api/enterprises')
        .send(
          enterpriseInput({
            name: `${key}有限公司`,
            countyCode,
            grade: 'C',
            contacts: [{ name: key, email }],
          }),
        )
        .expect(201);
      ids[key] = body.id;
      await admin
        .put(`/api/enterprises/${body.id}/plan`)
        .send({
          measures: [
            measure({ level: 'ORANGE', description: '停产30%', reduction: r(10) }),
            measure({ level: 'RED', action: 'STOP', params: {}, description: '全厂停产', reduction: r(30) }),
          ],
        })
        .expect(200);
    };
    // 孝义市 for the lift story, 离石区 for the upgrade, 文水县 for extension and expiry.
    await create('甲焦化', '141181', 'jia@test.example');
    await create('乙焦化', '141181', 'yi@test.example');
    await create('丙钢铁', '141102', 'bing@test.example');
    await create('丁水泥', '141121', 'ding@test.example');
    await create('戊铸造', '141121', 'wu@test.example');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const drain = () => t.app.get(OutboxDispatcher).drain();
  const transitions = () => t.app.get(AlertTransitionsJob).run();
  const mailTo = (address: string): ParsedMail[] =>
    sink.messages.filter((m) => m.to && JSON.stringify(m.to).includes(address));
  const tokenIn = (mail: ParsedMail) => /\/ack\/([A-Za-z0-9_.-]+)/.exec(mail.text ?? '')![1];
  const orders = async (alertId: string, query = '') =>
    (await duty.get(`/api/alerts/${alertId}/orders${query}`).expect(200)).body as Array<{
      orderId: string;
      enterpriseId: string;
      state: string;
      noticeType: string;
      messageId: string | null;
      next: { state: string; noticeType: string; effectiveAt: string } | null;
    }>;
  const issue = async (countyCode: string, over: Record<string, unknown> = {}) => {
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [countyCode],
        effectiveAt: '2026-12-02T00:00:00+08:00',
        expectedEndAt: '2026-12-08T00:00:00+08:00',
        reason: '会商研判',
        ...over,
      })
      .expect(201);
    await commander.post(`/api/alerts/${body.id}/approve`).send({}).expect(200);
    await drain();
    return body.id as string;
  };

  describe('a lift approved on 12-01 for 12-06, on a warning that starts 12-02', () => {
    let alertId: string;
    let token: string;

    it('tells every enterprise of the lift at approval, and leaves its order in force', async () => {
      alertId = await issue('141181');
      token = tokenIn(mailTo('jia@test.example')[0]);
      await duty
        .post(`/api/alerts/${alertId}/lift`)
        .send({ effectiveAt: '2026-12-06T00:00:00+08:00', reason: '预报好转' })
        .expect(200);
      // No consultation backs the lift: the commander approves it with a written reason.
      await commander
        .post(`/api/alerts/${alertId}/approve`)
        .send({ overrideReason: '现场核查确认空气质量好转' })
        .expect(200);
      await drain();
      const lift = mailTo('jia@test.example').filter((m) => m.subject?.includes('预警解除'));
      expect(lift).toHaveLength(1);
      expect(lift[0].text).toContain('2026年12月06日 00:00 起解除');
      // The order stays in force: one row per enterprise, its latest notice the end notice.
      const rows = await orders(alertId);
      expect(rows.map((o) => [o.state, o.noticeType]).sort()).toEqual([
        ['SENT', 'MANDATORY'],
        ['SENT', 'MANDATORY'],
      ]);
      expect(rows[0].next).toMatchObject({ state: 'SCHEDULED', noticeType: 'LIFT' });
      const page = await t.http().get(`/ack/${token}`).expect(200);
      expect(page.text).toContain('本指令将于 <strong>2026年12月06日 00:00</strong> 解除');
      expect(page.text).not.toContain('此指令已不再有效');
    });

    it('takes receipt and report through the signed link until the lift takes effect', async () => {
      t.clock.set('2026-12-03T09:00:00+08:00');
      await transitions(); // the warning's own start (12-02) takes effect; the lift does not yet
      expect((await duty.get(`/api/alerts/${alertId}`).expect(200)).body.status).toBe('ACTIVE');
      await t
        .http()
        .post(`/ack/${token}/receipt`)
        .type('form')
        .send(SIGNER)
        .expect(303)
        .expect('location', `/ack/${token}?done=receipt`);
      await t
        .http()
        .post(`/ack/${token}/report`)
        .type('form')
        .send({ ...SIGNER, measuresInPlaceAt: '2026-12-02T00:00', note: '已停产30%' })
        .expect(303)
        .expect('location', `/ack/${token}?done=report`);
      const jia = (await orders(alertId)).find((o) => o.enterpriseId === ids['甲焦化'])!;
      expect(jia.state).toBe('EXECUTED');
    });

    it('ends the orders at the effective time, in one step, and counts orders, not notices', async () => {
      t.clock.set('2026-12-06T00:00:10+08:00');
      await transitions();
      const { body: alert } = await duty.get(`/api/alerts/${alertId}`).expect(200);
      expect(alert.status).toBe('LIFTED');
      const rows = await orders(alertId);
      expect(rows).toHaveLength(2); // one row per enterprise, not one more per end notice
      expect(rows.map((o) => o.state)).toEqual(['LIFTED', 'LIFTED']);
      expect(rows.every((o) => o.next === null)).toBe(true);
      expect(alert.orderCounts).toMatchObject({
        total: 2,
        byState: { LIFTED: 2 },
        byDelivery: { SENT: 2 },
        received: 1,
        executed: 1,
        scheduled: { total: 0 },
        endNotices: { total: 2, byDelivery: { SENT: 2 } },
      });
      const page = await t.http().get(`/ack/${token}`).expect(200);
      expect(page.text).toContain('已解除');
      expect(page.text).not.toContain('confirm-receipt');
      const late = await t.http().post(`/ack/${token}/receipt`).type('form').send(SIGNER).expect(409);
      expect(late.text).toContain('data-code="ORDER_ENDED"');
      const [ended] = await t.dataSource.query(
        "SELECT data FROM audit_entry WHERE alert_id = $1 AND action = 'orders.ended'",
        [alertId],
      );
      expect(ended.data).toMatchObject({ kind: 'LIFT', ended: 2, endNotices: 2 });
    });

    it('keeps the progress the orders reached when they end, with the end notices apart', async () => {
      const yi = tokenIn(mailTo('yi@test.example')[0]);
      // The lifted order refuses a late receipt: the count is of what happened while it was in force.
      await t.http().post(`/ack/${yi}/receipt`).type('form').send(SIGNER).expect(409);
      const page = await duty.get(`/alerts/${alertId}`).expect(200);
      expect(page.text).toContain('1/2');
      expect(page.text).toContain('解除/撤销通知:2 份,已送达 2 份');
    });
  });

  describe('an upgrade approved ahead', () => {
    let alertId: string;

    it('shows both orders, current and scheduled, and sends the delta at approval', async () => {
      t.clock.set('2026-12-06T10:00:00+08:00');
      alertId = await issue('141102', {
        effectiveAt: '2026-12-06T12:00:00+08:00',
        expectedEndAt: '2026-12-12T00:00:00+08:00',
      });
      await duty
        .post(`/api/alerts/${alertId}/adjust`)
        .send({ level: 'RED', effectiveAt: '2026-12-07T00:00:00+08:00', reason: '预报加重' })
        .expect(200);
      await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
      await drain();
      const mails = mailTo('bing@test.example');
      expect(mails).toHaveLength(2);
      expect(mails[1].subject).toContain('预警升级为红色');
      expect(mails[1].text).toContain('全厂停产');
      const [current] = await orders(alertId);
      expect(current).toMatchObject({
        state: 'SENT',
        noticeType: 'MANDATORY',
        next: { state: 'SCHEDULED', effectiveAt: '2026-12-06T16:00:00.000Z' },
      });
      const [scheduled] = await orders(alertId, '?state=SCHEDULED');
      expect(scheduled).toMatchObject({ state: 'SCHEDULED' });
      const { body: alert } = await duty.get(`/api/alerts/${alertId}`).expect(200);
      expect(alert.orderCounts).toMatchObject({ total: 1, scheduled: { total: 1, byDelivery: { SENT: 1 } } });
      // The current order links to the next; the next says it is not in force yet and takes receipt only.
      const oldToken = tokenIn(mails[0]);
      const page = await t.http().get(`/ack/${oldToken}`).expect(200);
      expect(page.text).toContain('起调整为红色预警措施');
      const nextPath = /href="(\/ack\/[^"]+)" id="next-order"/.exec(page.text)![1];
      expect(nextPath).toBe(`/ack/${tokenIn(mails[1])}`);
      const next = await t.http().get(nextPath).expect(200);
      expect(next.text).toContain('此指令尚未生效');
      expect(next.text).not.toContain('submit-report');
      await t.http().post(`${nextPath}/receipt`).type('form').send(SIGNER).expect(303);
      await t
        .http()
        .post(`${nextPath}/report`)
        .type('form')
        .send({ ...SIGNER, measuresInPlaceAt: '2026-12-06T10:00', note: '提前' })
        .expect(409)
        .expect((r) => expect(r.text).toContain('data-code="ORDER_NOT_YET_IN_FORCE"'));
      expect((await orders(alertId, '?state=SCHEDULED'))[0].state).toBe('SCHEDULED');
    });

    it('switches at the effective time: the old order superseded, the new one current and received', async () => {
      t.clock.set('2026-12-06T12:00:00+08:00');
      await transitions(); // the issue takes effect, the upgrade not yet
      expect((await orders(alertId))[0]).toMatchObject({ noticeType: 'MANDATORY', state: 'SENT' });
      t.clock.set('2026-12-07T00:00:05+08:00');
      await transitions();
      const rows = await orders(alertId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ state: 'RECEIVED', next: null });
      const superseded = await t.dataSource.query(
        "SELECT level FROM reduction_order WHERE alert_id = $1 AND state = 'SUPERSEDED'",
        [alertId],
      );
      expect(superseded).toEqual([{ level: 'ORANGE' }]);
      expect(await orders(alertId, '?state=SCHEDULED')).toEqual([]);
      const { body: alert } = await duty.get(`/api/alerts/${alertId}`).expect(200);
      expect(alert).toMatchObject({ level: 'RED', orderCounts: { total: 1, received: 1 } });
    });
  });

  describe('extension and expiry', () => {
    let alertId: string;

    it('sends every enterprise in scope an extension notice with the new expected end', async () => {
      t.clock.set('2026-12-07T10:00:00+08:00');
      alertId = await issue('141121', {
        effectiveAt: '2026-12-07T10:00:00+08:00',
        expectedEndAt: '2026-12-09T00:00:00+08:00',
      });
      await duty
        .post(`/api/alerts/${alertId}/extend`)
        .send({ expectedEndAt: '2026-12-10T00:00:00+08:00', reason: '持续静稳' })
        .expect(200);
      await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
      await drain();
      for (const address of ['ding@test.example', 'wu@test.example']) {
        const extended = mailTo(address).filter((m) => m.subject?.includes('预警延长'));
        expect(extended).toHaveLength(1);
        expect(extended[0].subject).toContain('预计持续至 2026年12月10日 00:00');
        expect(extended[0].text).toContain('继续执行现行减排指令');
      }
      // A notice of the order, not an order: the counts are unchanged.
      const { body: alert } = await duty.get(`/api/alerts/${alertId}`).expect(200);
      expect(alert.orderCounts).toMatchObject({ total: 2, byDelivery: { SENT: 2 } });
    });

    it('ends the orders at expiry and sends each enterprise an end notice', async () => {
      t.clock.set('2026-12-10T00:00:05+08:00');
      await transitions();
      await drain();
      const { body: alert } = await duty.get(`/api/alerts/${alertId}`).expect(200);
      expect(alert.status).toBe('EXPIRED');
      expect((await orders(alertId)).map((o) => o.state)).toEqual(['LIFTED', 'LIFTED']);
      expect(alert.orderCounts).toMatchObject({
        total: 2,
        endNotices: { total: 2, byDelivery: { SENT: 2 } },
      });
      for (const address of ['ding@test.example', 'wu@test.example']) {
        const end = mailTo(address).filter((m) => m.subject?.includes('预警到期解除'));
        expect(end).toHaveLength(1);
        expect(end[0].text).toContain('已于 2026年12月10日 00:00 到期结束');
      }
      await t
        .http()
        .post(`/ack/${tokenIn(mailTo('ding@test.example')[0])}/receipt`)
        .type('form')
        .send(SIGNER)
        .expect(409);
    });
  });
});
