import { randomUUID } from 'node:crypto';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { postForm } from '../support/console-forms';
import { scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** A warning's failed messages are re-sent in one action, from the API or the warning's console page. */
describe("re-queueing a warning's failed messages", () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let auditor: Agent;
  const refuse = new Set<string>(); // recipients the SMTP server answers with 550
  let alertId: string;
  let otherAlertId: string;

  const issue = async (countyCode: string, emails: string[]): Promise<string> => {
    const s = await scenario(t, { agents: { duty, commander } })
      .enterprises(emails.map((email) => ({ key: email, email, input: { countyCode } })))
      .warning({ level: 'ORANGE', countyCodes: [countyCode], effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved();
    return s.alertId;
  };
  const messages = (id: string) =>
    t.dataSource.query<Array<{ id: string; state: string; recipients: string[] }>>(
      'SELECT id, state, recipients FROM outbox_message WHERE alert_id = $1 ORDER BY id',
      [id],
    );
  const failedIds = async (id: string) =>
    (await messages(id)).filter((m) => m.state === 'FAILED').map((m) => m.id);
  const requeueAudit = () =>
    t.dataSource.query<Array<{ actor_name: string; subject_id: string; alert_id: string; data: unknown }>>(
      `SELECT actor_name, subject_id, alert_id, data FROM audit_entry WHERE action = 'messages.requeued-failed' ORDER BY id`,
    );

  const perMessageAudit = (ids: string[]) =>
    t.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT actor_name, subject_type, subject_id, alert_id, data FROM audit_entry
        WHERE action = 'message.requeued' AND subject_id = ANY($1) ORDER BY subject_id`,
      [ids],
    );

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRcpt: (a) => (refuse.has(a) ? 550 : undefined) });
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'requeue-duty');
    commander = await t.signIn(['COMMANDER']);
    auditor = await t.signIn(['AUDITOR']);
    ['b@test.example', 'd@test.example', 'f@test.example'].forEach((a) => refuse.add(a));
    alertId = await issue(
      '141181',
      ['a', 'b', 'c', 'd', 'e'].map((x) => `${x}@test.example`),
    );
    otherAlertId = await issue('141102', ['f@test.example', 'g@test.example']);
    await t.app.get(OutboxDispatcher).drain();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('shows on the warning page how many messages failed, with the re-send button for duty officers only', async () => {
    expect(await failedIds(alertId)).toHaveLength(2);
    const page = await duty.get(`/alerts/${alertId}`).expect(200);
    expect(page.text).toContain('<strong id="failed-count">2</strong>');
    expect(page.text).toContain(`action="/alerts/${alertId}/messages/requeue-failed"`);
    expect(page.text).toContain('重发全部失败消息(2 条)');
    const readOnly = await auditor.get(`/alerts/${alertId}`).expect(200);
    expect(readOnly.text).toContain('<strong id="failed-count">2</strong>');
    expect(readOnly.text).not.toContain('/messages/requeue-failed');
  });

  it('is refused to other roles, and 404 for an unknown warning', async () => {
    const path = `/api/alerts/${alertId}/messages/requeue-failed`;
    const forbidden = await auditor.post(path).send({}).expect(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    await commander.post(path).send({}).expect(403);
    await t.http().post(path).send({}).expect(401);
    const unknown = await duty
      .post(`/api/alerts/${randomUUID()}/messages/requeue-failed`)
      .send({})
      .expect(404);
    expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', message: '预警不存在' });
    await duty.post('/api/alerts/not-a-uuid/messages/requeue-failed').send({}).expect(404);
    expect(await failedIds(alertId)).toHaveLength(2);
    expect(await requeueAudit()).toEqual([]);
  });

  it("re-queues exactly the warning's failed messages in one action, audited once with the count and ids", async () => {
    const failed = await failedIds(alertId);
    const otherFailed = await failedIds(otherAlertId);
    expect(otherFailed).toHaveLength(1);
    refuse.delete('b@test.example');
    refuse.delete('d@test.example');

    const res = await duty.post(`/api/alerts/${alertId}/messages/requeue-failed`).send({}).expect(200);
    expect(res.body).toEqual({ requeued: 2 });

    const after = await messages(alertId);
    expect(after.filter((m) => failed.includes(m.id)).map((m) => m.state)).toEqual(['QUEUED', 'QUEUED']);
    expect(after.filter((m) => !failed.includes(m.id)).map((m) => m.state)).toEqual(['SENT', 'SENT', 'SENT']);
    expect(await failedIds(otherAlertId)).toEqual(otherFailed); // another warning's dead letter is left alone
    const history = await t.dataSource.query<
      Array<{ message_id: string; from_state: string; to_state: string }>
    >(
      `SELECT message_id, from_state, to_state FROM outbox_message_history
        WHERE message_id = ANY($1) AND to_state = 'QUEUED' AND from_state = 'FAILED' ORDER BY message_id`,
      [failed],
    );
    expect(history.map((h) => h.message_id)).toEqual(failed);
    expect(await requeueAudit()).toEqual([
      {
        actor_name: 'requeue-duty',
        subject_id: alertId,
        alert_id: alertId,
        data: { count: 2, messageIds: failed },
      },
    ]);
    // And each message re-queued has its own entry, as when it is re-sent alone.
    expect(await perMessageAudit(failed)).toEqual(
      failed.map((id) => ({
        actor_name: 'requeue-duty',
        subject_type: 'outbox_message',
        subject_id: id,
        alert_id: alertId,
        data: { lastError: expect.stringContaining('550'), withWarning: true },
      })),
    );

    await t.app.get(OutboxDispatcher).drain();
    expect((await messages(alertId)).map((m) => m.state)).toEqual(Array(5).fill('SENT'));
    const delivered = sink.messages.flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to!]).map((a) => a.text));
    expect(delivered.filter((a) => a === 'b@test.example' || a === 'd@test.example').sort()).toEqual([
      'b@test.example',
      'd@test.example',
    ]);

    // Nothing left to re-send: nothing changes, and the (empty) action is still on record.
    const again = await duty.post(`/api/alerts/${alertId}/messages/requeue-failed`).send({}).expect(200);
    expect(again.body).toEqual({ requeued: 0 });
    expect((await requeueAudit()).map((a) => a.data)).toEqual([
      { count: 2, messageIds: failed },
      { count: 0, messageIds: [] },
    ]);
    expect((await duty.get(`/alerts/${alertId}`).expect(200)).text).not.toContain('id="failed-messages"');
  });

  it('re-queues them from the console button and says how many', async () => {
    const [failed] = await failedIds(otherAlertId);
    const res = await postForm(duty, `/alerts/${otherAlertId}/messages/requeue-failed`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/alerts/${otherAlertId}?msg=requeued-failed&n=1`);
    const page = await duty.get(res.headers.location).expect(200);
    expect(page.text).toContain('已将 1 条发送失败的消息重新排队发送。');
    const [state] = (await messages(otherAlertId)).filter((m) => m.id === failed).map((m) => m.state);
    expect(state).toBe('QUEUED');
    expect((await requeueAudit()).at(-1)).toMatchObject({ subject_id: otherAlertId, data: { count: 1 } });
    const refused = await postForm(auditor, `/alerts/${otherAlertId}/messages/requeue-failed`, {});
    expect(refused.status).toBe(403);
  });

  it('re-sends one warning’s failed messages from the outbox page, with the count, audited per message', async () => {
    refuse.add('h@test.example');
    refuse.add('i@test.example');
    const s = await scenario(t, { agents: { duty, commander } })
      .enterprises(
        ['h', 'i', 'j'].map((x) => ({ key: x, email: `${x}@test.example`, input: { countyCode: '141182' } })),
      )
      .warning({ level: 'ORANGE', countyCodes: ['141182'], effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved();
    await t.app.get(OutboxDispatcher).drain();
    const failed = await failedIds(s.alertId);
    expect(failed).toHaveLength(2);
    const code = s.alert.code;

    // Filtered to the warning (by its code) and to 发送失败: the button, with the count; not without the filter.
    const filtered = await duty.get(`/outbox?state=FAILED&q=${encodeURIComponent(code)}`).expect(200);
    expect(filtered.text).toContain(`action="/outbox/alerts/${s.alertId}/requeue-failed"`);
    expect(filtered.text).toContain('重新发送本预警全部失败消息(2条)');
    expect(filtered.text).toContain('data-confirm="确定将预警');
    expect((await duty.get(`/outbox?q=${encodeURIComponent(code)}`).expect(200)).text).not.toContain(
      'id="bulk-resend"',
    );
    expect(
      (await auditor.get(`/outbox?state=FAILED&q=${encodeURIComponent(code)}`).expect(200)).text,
    ).not.toContain('id="bulk-resend"');

    refuse.delete('h@test.example');
    refuse.delete('i@test.example');
    const res = await postForm(duty, `/outbox/alerts/${s.alertId}/requeue-failed`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/outbox?q=${encodeURIComponent(code)}&msg=requeued-failed&n=2`);
    const page = await duty.get(res.headers.location).expect(200);
    expect(page.text).toContain('<p class="notice" id="flash">已重新排队 2 条</p>');
    expect((await perMessageAudit(failed)).map((a) => a.subject_id)).toEqual(failed);
    expect((await requeueAudit()).at(-1)).toMatchObject({ subject_id: s.alertId, data: { count: 2 } });
    await t.app.get(OutboxDispatcher).drain();
    expect((await messages(s.alertId)).map((m) => m.state)).toEqual(Array(3).fill('SENT'));

    expect((await postForm(auditor, `/outbox/alerts/${s.alertId}/requeue-failed`, {})).status).toBe(403);
    expect((await postForm(duty, `/outbox/alerts/${randomUUID()}/requeue-failed`, {})).status).toBe(404);
  });
});
