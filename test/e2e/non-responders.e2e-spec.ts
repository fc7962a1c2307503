import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { postForm } from '../support/console-forms';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

/** Issue 16, "Non-responders": who has not confirmed, whom to call, and a reminder now (one email, audited). */
describe('non-responders on the warning page, and 立即提醒', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    s = await scenario(t, { sink })
      .enterprises([
        {
          key: 'jia',
          input: {
            name: '孝义甲焦化有限公司',
            contacts: [
              { name: '李环保', role: '环保负责人', email: 'jia@test.example', phone: '13912345678' },
            ],
          },
        },
        { key: 'yi', input: { name: '孝义乙焦化有限公司' } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], reason: '会商研判,污染已较重' })
      .approved()
      .delivered();
    await s.receipt('yi');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('lists the enterprises that have not confirmed, with their contacts to call', async () => {
    const page = await s.agents.duty.get(`/alerts/${s.alertId}`).expect(200);
    const section = /<section class="card" id="non-responders">[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(section).toContain('尚未签收的企业(1)');
    expect(section).toContain('孝义甲焦化有限公司');
    expect(section).not.toContain('孝义乙焦化有限公司');
    expect(section).toContain('李环保(环保负责人) <a href="tel:13912345678">13912345678</a>');
    expect(section).toContain(`action="/alerts/${s.alertId}/orders/${s.orders.jia}/remind"`);
  });

  it('sends one reminder now, through the outbox, audited; the enterprise receives it', async () => {
    const sent = sink.messages.length;
    const res = await s.agents.duty.post(`/api/orders/${s.orders.jia}/remind`).send({}).expect(200);
    expect(res.body).toMatchObject({ stage: 'receipt', messageId: expect.any(String) });
    const [entry] = await t.dataSource.getRepository(AuditEntry).findBy({ action: 'order.reminded' });
    expect(entry).toMatchObject({ subjectId: s.orders.jia, alertId: s.alertId });
    expect(entry.data).toMatchObject({ stage: 'receipt', messageId: res.body.messageId });
    await t.app.get(OutboxDispatcher).drain();
    const mail = sink.messages.slice(sent).find((m) => JSON.stringify(m.to).includes('jia@test.example'))!;
    expect(mail.subject).toMatch(/^【提醒】请确认收到橙色预警减排指令/);
    const page = await s.agents.duty.get(`/alerts/${s.alertId}`).expect(200);
    expect(page.text).toMatch(/id="non-responders"[\s\S]*2026年11月28日 10:00/); // 上次提醒
  });

  it('from the console too; refused for an order that owes nothing, and to those who may not', async () => {
    const res = await postForm(s.agents.duty, `/alerts/${s.alertId}/orders/${s.orders.jia}/remind`, {});
    expect([res.status, res.headers.location]).toEqual([303, `/alerts/${s.alertId}?msg=reminded`]);
    const received = await s.agents.duty.post(`/api/orders/${s.orders.yi}/remind`).send({}).expect(200);
    expect(received.body.stage).toBe('report'); // received: the reminder asks for the report
    await s.report('yi', '2026-11-28T10:00');
    const done = await s.agents.duty.post(`/api/orders/${s.orders.yi}/remind`).send({}).expect(409);
    expect(done.body.error.code).toBe('ORDER_NOT_REMINDABLE');
    await s.agents.commander.post(`/api/orders/${s.orders.jia}/remind`).send({}).expect(403);
    await s.agents.duty.post('/api/orders/not-an-id/remind').send({}).expect(404);
  });
});
