import { SIGNER } from '../support/signer';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { OrderDeadlinesJob } from '../../src/scheduler/order-deadlines.job';
import { scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

describe('reminders, overdue orders and escalation to the county bureau', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let alertId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720', REMINDER_LEAD_MINUTES: '60' },
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const s = await scenario(t, { sink })
      .enterprises(
        (
          [
            ['slow', '慢回复焦化有限公司'],
            ['quick', '快回复水泥有限公司'],
          ] as const
        ).map(([key, name]) => ({ key, input: { name, countyCode: '141122' } })),
      )
      .warning({ level: 'YELLOW', countyCodes: ['141122'], effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved()
      .delivered();
    alertId = s.alertId;
    Object.assign(ids, s.ids);
    if (sink.received !== 2) throw new Error(`setup: expected 2 orders mailed, got ${sink.received}`);
    // The quick enterprise confirms at once.
    await s.receipt('quick');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const job = () => t.app.get(OrderDeadlinesJob);
  const state = async (key: string) =>
    (await t.dataSource.query('SELECT state FROM reduction_order WHERE enterprise_id = $1', [ids[key]]))[0]
      .state;

  it('does nothing while deadlines are far', async () => {
    expect(await job().run()).toEqual({
      acquired: true,
      result: { reminders: 0, overdue: 0, escalations: 0 },
    });
  });

  it('reminds only the enterprise that has not confirmed, once, before the receipt deadline', async () => {
    t.clock.set('2026-11-28T19:15:00+08:00');
    expect(await job().run()).toEqual({
      acquired: true,
      result: { reminders: 1, overdue: 0, escalations: 0 },
    });
    expect(await job().run()).toEqual({
      acquired: true,
      result: { reminders: 0, overdue: 0, escalations: 0 },
    });
    await t.app.get(OutboxDispatcher).drain();
    const reminder = sink.messages.at(-1)!;
    expect(JSON.stringify(reminder.to)).toContain('slow@test.example');
    expect(reminder.subject).toContain('【提醒】请确认收到黄色预警减排指令');
    expect(reminder.text).toContain('2026年11月28日 20:00');
  });

  it('marks overdue orders after the deadline and escalates them once to the county bureau', async () => {
    t.clock.set('2026-11-28T20:00:01+08:00');
    expect(await job().run()).toEqual({
      acquired: true,
      result: { reminders: 0, overdue: 1, escalations: 1 },
    });
    expect(await state('slow')).toBe('OVERDUE');
    expect(await state('quick')).toBe('RECEIVED');
    await t.app.get(OutboxDispatcher).drain();
    const escalation = sink.messages.at(-1)!;
    expect(JSON.stringify(escalation.to)).toContain('jiaocheng@sthj.lvliang.example');
    expect(escalation.subject).toContain('【逾期通报】交城县 1 家企业未按时响应黄色预警');
    expect(escalation.text).toContain('慢回复焦化有限公司');
    expect(escalation.text).not.toContain('快回复水泥有限公司');
    expect(await job().run()).toEqual({
      acquired: true,
      result: { reminders: 0, overdue: 0, escalations: 0 },
    });
    const audit = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM audit_entry WHERE alert_id = $1 AND action IN ('order.overdue', 'orders.escalated')",
      [alertId],
    );
    expect(audit[0].n).toBe(2);
  });

  it('still lets a late enterprise confirm and report', async () => {
    const link = /\/ack\/[A-Za-z0-9_.-]+/.exec(
      sink.messages.find((m) => JSON.stringify(m.to).includes('slow@') && m.subject?.includes('减排指令('))!
        .text!,
    )![0];
    await t.http().post(`${link}/receipt`).type('form').send(SIGNER).expect(303);
    expect(await state('slow')).toBe('RECEIVED');
  });
});
