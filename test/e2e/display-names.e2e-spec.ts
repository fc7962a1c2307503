import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { Role } from '../../src/auth/roles';
import { UsersService } from '../../src/auth/users.service';
import { scenario, type Agent, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

/**
 * Issue 16: wherever the console says who did something (the warning's drafter, approver and timeline, the
 * approvals list, consultations, a message's requeue), it names the person by display name, not the username.
 * The users page keeps the usernames: there they name the accounts.
 */
describe('people by display name in the console', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let s: Scenario;
  let agents: { admin: Agent; duty: Agent; commander: Agent };
  let pending: { id: string; code: string };

  async function person(username: string, displayName: string, roles: Role[]): Promise<Agent> {
    await t.app
      .get(UsersService)
      .create({ username, password: TEST_PASSWORD, roles, displayName }, SYSTEM_ACTOR);
    const agent = request.agent(t.app.getHttpServer());
    await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200);
    return agent;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T09:00:00+08:00');
    agents = {
      admin: await person('admin-zhang', '管理员张伟', ['ADMIN']),
      duty: await person('duty-wang', '值班员王芳', ['DUTY_OFFICER']),
      commander: await person('cmd-li', '指挥长李明', ['COMMANDER']),
    };
    s = await scenario(t, { sink, agents })
      .enterprises([{ key: 'jia', input: { name: '显示名称焦化厂', countyCode: '141181' } }])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], reason: '会商研判' })
      .approved()
      .delivered();
    pending = (
      await agents.duty
        .post('/api/alerts')
        .send({
          level: 'YELLOW',
          countyCodes: ['141182'],
          effectiveAt: '2026-11-29T20:00:00+08:00',
          reason: '待审批的预警',
        })
        .expect(201)
    ).body;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('the warning page: drafter, approver and the timeline by name', async () => {
    const page = (await agents.duty.get(`/alerts/${s.alertId}`).expect(200)).text;
    expect(page).toContain('<tr><th>起草人</th><td>值班员王芳</td></tr>');
    expect(page).toContain(' · 批准人 指挥长李明');
    const actors = [...page.matchAll(/<span class="actor">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(actors).toEqual(expect.arrayContaining(['值班员王芳', '指挥长李明', '系统']));
    for (const username of ['duty-wang', 'cmd-li']) expect(page).not.toContain(username);

    const timeline = (await agents.duty.get(`/alerts/${s.alertId}/timeline`).expect(200)).text;
    expect(timeline).toContain('<span class="actor">指挥长李明</span>');
    expect(timeline).not.toContain('cmd-li');
  });

  it('the approvals list and the pending warning: the proposer by name', async () => {
    const approvals = (await agents.commander.get('/approvals').expect(200)).text;
    expect(approvals).toContain(pending.code);
    expect(approvals).toContain('提出人 值班员王芳');
    expect(approvals).not.toContain('duty-wang');
    const page = (await agents.commander.get(`/alerts/${pending.id}`).expect(200)).text;
    expect(page).toContain('提出人 值班员王芳');
  });

  it('consultations: who recorded it, in the list and on its page', async () => {
    const { body } = await agents.duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T08:00:00+08:00',
        participants: ['市气象局'],
        opinion: '静稳天气',
        forecasts: [{ countyCode: '141181', date: '2026-11-29', aqi: 150, primaryPollutant: 'PM2.5' }],
      })
      .expect(201);
    const list = (await agents.duty.get('/consultations').expect(200)).text;
    expect(list).toContain('<td>值班员王芳</td>');
    expect(list).not.toContain('duty-wang');
    const page = (await agents.duty.get(`/consultations/${body.id}`).expect(200)).text;
    expect(page).toContain('<tr><th>录入人</th><td>值班员王芳</td></tr>');
  });

  it("a message's history: who requeued it, by name and in Chinese", async () => {
    const messageId = s.messages.jia;
    // The mailbox refused it for good (as the dispatcher leaves a dead letter).
    await t.dataSource.query(`UPDATE outbox_message SET state = 'FAILED' WHERE id = $1`, [messageId]);
    await agents.duty.post(`/api/outbox/${messageId}/requeue`).send({}).expect(200);
    await t.dataSource.query(`UPDATE outbox_message SET state = 'FAILED' WHERE id = $1`, [messageId]);
    await agents.duty.post(`/api/alerts/${s.alertId}/messages/requeue-failed`).send({}).expect(200);
    const page = (await agents.duty.get(`/outbox/${messageId}`).expect(200)).text;
    expect(page).toContain('<td>值班员王芳 重新发送</td>');
    expect(page).toContain('<td>值班员王芳 重新发送(本预警全部失败消息)</td>');
    expect(page).not.toContain('requeued');
  });

  it('the users page still names the accounts by username', async () => {
    const page = (await agents.admin.get('/users').expect(200)).text;
    expect(page).toContain('<tr data-user="duty-wang">');
    expect(page).toContain('值班员王芳');
  });
});
