import { Alert } from '../../src/alerts/alert.entity';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AuditService } from '../../src/audit/audit.service';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { Consultation } from '../../src/consultations/consultation.entity';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { csrfOf, formToken, postForm } from '../support/console-forms';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';
import request from 'supertest';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

describe('console pages (server-rendered, zh-CN)', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let auditor: Agent;
  let admin: Agent;
  let enterpriseId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-console');
    commander = await t.signIn(['COMMANDER'], 'cmd-console');
    auditor = await t.signIn(['AUDITOR'], 'auditor-console');
    admin = await t.signIn(['ADMIN'], 'admin-console');
    const enterprises = t.app.get(EnterprisesService);
    const e = await enterprises.create(
      enterpriseInput({ countyCode: '141181', name: '<script>alert(1)</script>焦化' }),
      SYSTEM_ACTOR,
    );
    enterpriseId = e.id;
    await enterprises.putPlan(
      e.id,
      { measures: [measure({ level: 'ORANGE', description: '限产30%<b>' })] },
      SYSTEM_ACTOR,
    );
  });
  afterAll(() => t.close());

  describe('sign-in', () => {
    it('sends an anonymous visitor to the login form and back afterwards', async () => {
      const res = await t.http().get('/dashboard').expect(303);
      expect(res.headers.location).toBe('/login?next=%2Fdashboard');
      const agent = request.agent(t.app.getHttpServer());
      const form = await agent.get('/login?next=%2Faudit').expect(200);
      expect(form.text).toContain('用户名');
      const login = await agent
        .post('/login')
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          username: 'auditor-console',
          password: TEST_PASSWORD,
          next: '/audit',
        })
        .expect(303);
      expect(login.headers.location).toBe('/audit');
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).toMatch(/hz_session=[^;]+;.*HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const page = await agent.get('/audit').expect(200);
      expect(page.text).toContain('审计日志');
    });

    it('shows a wrong password in the form, not as JSON', async () => {
      const agent = request.agent(t.app.getHttpServer());
      const form = await agent.get('/login').expect(200);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(form.text), username: 'duty-console', password: 'wrong' })
        .expect(401);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('id="login-error"');
      expect(res.text).toContain('value="duty-console"');
    });

    it('refuses a login form without its CSRF token', async () => {
      const res = await t
        .http()
        .post('/login')
        .type('form')
        .send({ username: 'duty-console', password: TEST_PASSWORD })
        .expect(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('CSRF');
      expect(res.headers['set-cookie'] ?? []).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^hz_session=/)]),
      );
    });

    it('signs out through a form post', async () => {
      const agent = await t.signIn(['DUTY_OFFICER']);
      const res = await postForm(agent, '/logout', {});
      expect(res.status).toBe(303);
      await agent.get('/dashboard').expect(303);
    });
  });

  describe('pages by role', () => {
    const cases: Array<[string, string, number, string]> = [
      ['duty', '/dashboard', 200, '各区县预警级别'],
      ['duty', '/consultations/new', 200, '空气质量预报'],
      ['duty', '/alerts/new', 200, '起草预警'],
      ['duty', '/approvals', 403, '无权访问'],
      ['duty', '/audit', 403, '无权访问'],
      ['duty', '/enterprises/import', 403, '无权访问'],
      ['duty', '/outbox', 200, '发件箱'],
      ['commander', '/approvals', 200, '待审批'],
      ['commander', '/consultations/new', 403, '无权访问'],
      ['auditor', '/audit', 200, '审计日志'],
      ['auditor', '/audit/verify', 200, '哈希链完整'],
      ['auditor', '/enterprises', 200, '企业'],
      ['auditor', '/adequacy', 200, '达标核算'],
      ['admin', '/enterprises/import', 200, '导入减排清单'],
      ['admin', '/consultations', 200, '每日会商'],
      ['admin', '/alerts', 200, '预警'],
    ];
    const agents = () => ({ duty, commander, auditor, admin }) as Record<string, Agent>;
    it.each(cases)('%s GET %s → %d', async (who, path, status, text) => {
      const res = await agents()[who].get(path).expect(status);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain(text);
    });

    it('shows only the sections a role may open in the navigation', async () => {
      const dutyNav = (await duty.get('/dashboard')).text;
      expect(dutyNav).not.toContain('href="/approvals"');
      expect(dutyNav).not.toContain('href="/audit"');
      const cmdNav = (await commander.get('/dashboard')).text;
      expect(cmdNav).toContain('href="/approvals"');
    });

    it('serves its favicon from the app, linked from every page', async () => {
      const page = await t.http().get('/login').expect(200);
      expect(page.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
      const icon = await t.http().get('/assets/favicon.svg').expect(200);
      expect(icon.headers['content-type']).toContain('image/svg+xml');
    });

    it('answers an unknown page and an unknown record with an HTML 404', async () => {
      const a = await duty.get('/no-such-page').set('accept', 'text/html').expect(404);
      expect(a.text).toContain('页面不存在');
      const b = await duty.get('/alerts/00000000-0000-4000-8000-000000000000').expect(404);
      expect(b.text).toContain('预警不存在');
      expect(b.headers['content-type']).toMatch(/text\/html/);
    });
  });

  describe('escaping', () => {
    it('renders an enterprise named <script> as text everywhere', async () => {
      const list = await auditor.get('/enterprises?q=script').expect(200);
      expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;焦化');
      expect(list.text).not.toContain('<script>alert(1)</script>');
      const detail = await auditor.get(`/enterprises/${enterpriseId}`).expect(200);
      expect(detail.text).toContain('限产30%&lt;b&gt;');
      expect(detail.text).not.toContain('<script>alert(1)</script>');
    });
  });

  describe('a warning through the forms', () => {
    let consultationId: string;
    let alertId: string;

    it('refuses a form post without a token and writes nothing', async () => {
      const before = await t.dataSource.getRepository(Consultation).count();
      const res = await duty
        .post('/consultations')
        .type('form')
        .send({ heldAt: '2026-11-28T09:00', opinion: 'x', 'aqi.141181.0': '250', 'date.0': '2026-11-29' })
        .expect(403);
      expect(res.text).toContain('CSRF');
      expect(await t.dataSource.getRepository(Consultation).count()).toBe(before);
    });

    it('shows field errors next to the grid cell and keeps what was typed', async () => {
      const res = await postForm(duty, '/consultations', {
        heldAt: '2026-11-28T09:00',
        participants: '市生态环境局',
        opinion: '测试',
        'date.0': '2026-11-29',
        'aqi.141181.0': 'abc',
      });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(
        /<td class="has-error">\s*<input class="aqi" name="aqi\.141181\.0" value="abc"/,
      );
      expect(res.text).toContain('name="opinion"');
      expect(res.text).toContain('测试</textarea>');
    });

    it('records a consultation and shows the recommendation with a chart', async () => {
      const res = await postForm(duty, '/consultations', {
        heldAt: '2026-11-28T09:00',
        participants: '市生态环境局\n市气象局',
        opinion: '孝义市将出现重污染过程',
        'date.0': '2026-11-29',
        'date.1': '2026-11-30',
        'date.2': '2026-12-01',
        'aqi.141181.0': '230',
        'aqi.141181.1': '240',
        'aqi.141181.2': '150',
        'aqi.141102.0': '120',
      });
      expect(res.status).toBe(303);
      consultationId = res.headers.location.split('/').pop()!;
      const page = await duty.get(res.headers.location).expect(200);
      expect(page.text).toMatch(/data-county="141181"><td>孝义市<\/td><td><span class="level level-ORANGE">/);
      expect(page.text).toContain('<svg class="chart"');
      expect(page.text).toContain('<polyline');
      expect(page.text).toContain(`/alerts/new?consultationId=${consultationId}`);
    });

    it('shows the dry run of a draft before it is submitted, writing nothing', async () => {
      const before = await t.dataSource.getRepository(Alert).count();
      const fields = {
        consultationId,
        level: 'ORANGE',
        countyCodes: '141181',
        effectiveAt: '2026-11-29T00:00',
      };
      const res = await postForm(duty, '/alerts/preview', fields);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/id="preview-in-scope">1</);
      expect(res.text).toContain('value="141181" checked');
      const bad = await postForm(duty, '/alerts/preview', { ...fields, countyCodes: [] });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('请选择区县');
      expect(await t.dataSource.getRepository(Alert).count()).toBe(before);
    });

    it('prefills the draft from the recommendation and shows the dry run once submitted', async () => {
      const form = await duty.get(`/alerts/new?consultationId=${consultationId}`).expect(200);
      expect(form.text).toMatch(/<option value="ORANGE" selected>/);
      expect(form.text).toMatch(/value="141181" checked/);
      const res = await postForm(duty, '/alerts', {
        consultationId,
        level: 'ORANGE',
        countyCodes: '141181',
        effectiveAt: '2026-11-29T00:00',
        reason: '污染已较重,尽快启动', // sooner than the 24-hour lead time
      });
      expect(res.status).toBe(303);
      alertId = res.headers.location.split('/')[2].split('?')[0];
      const page = await duty.get(res.headers.location).expect(200);
      expect(page.text).toContain('预警草案已提交');
      expect(page.text).toContain('id="preview"');
      expect(page.text).toMatch(/id="preview-in-scope">1</);
      expect(page.text).not.toContain('id="approve"'); // the duty officer cannot approve
    });

    it('keeps the proposer from approving and lets a commander approve from the console', async () => {
      const approvals = await commander.get('/approvals').expect(200);
      expect(approvals.text).toContain(`/alerts/${alertId}`);
      const detail = await commander.get(`/alerts/${alertId}`).expect(200);
      expect(detail.text).toContain('id="approve"');
      const res = await postForm(commander, `/alerts/${alertId}/approve`, { comment: '同意' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/alerts/${alertId}?msg=approve`);
      const after = await commander.get(res.headers.location).expect(200);
      expect(after.text).toContain('已批准');
      // The commander's comment stays on the warning, with the revision it approved.
      expect(after.text).toContain('审批意见:<span class="approval-comment">同意</span>');
      expect(after.text).toMatch(/data-order="[^"]+" data-state="PENDING"/);
      expect(after.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;焦化');
      expect((await t.dataSource.getRepository(Alert).findOneByOrFail({ id: alertId })).status).toBe(
        'ISSUED',
      );
    });

    it('shows a conflict on the page when there is nothing left to approve', async () => {
      const res = await postForm(commander, `/alerts/${alertId}/approve`, {});
      expect(res.text.match(/id="action-error">([^<]*)/)?.[1]).toContain('没有待审批的变更');
      expect(res.status).toBe(409);
    });

    it('refuses an action for the wrong role with a 403 page', async () => {
      const res = await postForm(duty, `/alerts/${alertId}/approve`, {});
      expect(res.status).toBe(403);
      expect(res.text).toContain('无权');
    });

    it('filters the orders table by state, county and grade', async () => {
      const none = await duty.get(`/alerts/${alertId}?state=RECEIVED`).expect(200);
      expect(none.text).not.toContain('data-order=');
      const some = await duty.get(`/alerts/${alertId}?state=PENDING&countyCode=141181&grade=B`).expect(200);
      expect(some.text).toContain('data-order=');
      const otherGrade = await duty.get(`/alerts/${alertId}?grade=C`).expect(200);
      expect(otherGrade.text).not.toContain('data-order=');
    });

    it('reports progress as JSON for the live bars', async () => {
      const res = await duty.get('/dashboard/progress').expect(200);
      expect(res.body).toEqual([{ id: alertId, progress: expect.objectContaining({ total: 1, sent: 0 }) }]);
      const page = await duty.get('/dashboard').expect(200);
      expect(page.text).toContain(`data-alert="${alertId}"`);
    });

    it('shows the delivered mail in the demo outbox and re-queues a failed message from the console', async () => {
      await t.app.get(OutboxDispatcher).drain();
      const [order] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT m.id FROM outbox_message m WHERE m.alert_id = $1`,
        [alertId],
      );
      const list = await duty.get('/outbox').expect(200);
      expect(list.text).toContain(`/outbox/${order.id}`);
      const page = await duty.get(`/outbox/${order.id}`).expect(200);
      expect(page.text).toMatch(/id="mail-subject">[^<]*橙色/);
      expect(page.text).toContain('<iframe class="mail-frame" sandbox=""');
      expect(page.text).toContain('已发送');

      await t.dataSource.query(
        `UPDATE outbox_message SET state = 'FAILED', last_error = '550 mailbox unavailable' WHERE id = $1`,
        [order.id],
      );
      const detail = await duty.get(`/alerts/${alertId}`).expect(200);
      expect(detail.text).toContain(`action="/outbox/${order.id}/requeue"`);
      const res = await postForm(duty, `/outbox/${order.id}/requeue`, {});
      expect(res.status).toBe(303);
      const [{ state }] = await t.dataSource.query<Array<{ state: string }>>(
        'SELECT state FROM outbox_message WHERE id = $1',
        [order.id],
      );
      expect(state).toBe('QUEUED');
      const again = await postForm(duty, `/outbox/${order.id}/requeue`, {});
      expect(again.status).toBe(409);
      expect(again.text).toContain('只有发送失败的消息可以重新排队');
    });

    it('shows the post-event assessment with the silent enterprise named', async () => {
      const page = await duty.get(`/alerts/${alertId}/assessment`).expect(200);
      expect(page.text).toContain('<tr><th>指令</th><td>1(企业 1 家)</td></tr>');
      expect(page.text).toContain('<tr><th>签收</th><td>0(按时 0),签收率 0.0%</td></tr>');
      expect(page.text).toMatch(/id="never-responded">[\s\S]*&lt;script&gt;alert\(1\)&lt;\/script&gt;焦化/);
      const detail = await auditor.get(`/alerts/${alertId}`).expect(200);
      expect(detail.text).toContain(`/api/alerts/${alertId}/evidence`);
      expect((await duty.get(`/alerts/${alertId}`)).text).not.toContain('id="evidence-link"');
    });

    it('lists the warning on the audit page with its evidence link, and verifies the chain', async () => {
      const page = await auditor.get(`/audit?alertId=${alertId}`).expect(200);
      expect(page.text).toContain('alert.drafted');
      expect(page.text).toContain(`/api/alerts/${alertId}/evidence`);
      expect(page.text).toContain(`/api/audit/export?alertId&#x3D;${alertId}`); // '=' escaped, as Handlebars does
      const verify = await auditor.get('/audit/verify').expect(200);
      expect(verify.text).toMatch(/已校验 \d+ 条记录/);
    });

    it('shows the first 200 timeline events with 更多 leading to the rest, a page at a time', async () => {
      // A long warning: 250 more events, written as the services write them.
      await t.app.get(AuditService).recordEvent(
        Array.from({ length: 250 }, (_, i) => ({
          actor: SYSTEM_ACTOR,
          action: 'order.received',
          subjectType: 'reduction_order',
          subjectId: `filler-${i}`,
          alertId,
        })),
      );
      const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT (SELECT count(*) FROM audit_entry WHERE alert_id = $1)::int
              + (SELECT count(*) FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
                  WHERE m.alert_id = $1)::int AS n`,
        [alertId],
      );
      const events = (html: string) =>
        (/<ol class="timeline" id="timeline">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '').split('<li>').length -
        1;
      // Handlebars writes '=' in attributes as &#x3D;.
      const moreHref = (html: string) =>
        /<a href="([^"]+)" id="timeline-more"/.exec(html)?.[1].replace(/&#x3D;/g, '=');
      const detail = await duty.get(`/alerts/${alertId}`).expect(200);
      expect(detail.text).toContain(`另有 ${n - 200} 条记录未显示`);
      const seen = [events(detail.text)];
      let href = moreHref(detail.text);
      let last = '';
      while (href && seen.length < 10) {
        last = (await duty.get(href).expect(200)).text;
        expect(last).toContain(`共 ${n} 条`);
        seen.push(events(last));
        href = moreHref(last);
      }
      expect(last).toContain('已到最后一条');
      // 200 on the detail, then pages of 200 after its last event, the last one saying it is the end.
      const pages = Math.ceil(n / 200);
      expect(seen).toEqual(
        Array.from({ length: pages }, (_, i) => (i < pages - 1 ? 200 : n - 200 * (pages - 1))),
      );
    });
  });

  describe('enterprise pages', () => {
    it('saves a plan from the editor as a new version, and names a bad row', async () => {
      const token = await formToken(admin, `/enterprises/${enterpriseId}/plan`);
      const bad = await admin
        .post(`/enterprises/${enterpriseId}/plan`)
        .type('form')
        .send(
          new URLSearchParams({
            _csrf: token,
            rowCount: '2',
            'm.0.level': 'RED',
            'm.0.action': 'STOP',
            'm.0.description': '全厂停产',
            'm.0.so2': 'lots',
            'm.0.verification': 'CEMS',
          }).toString(),
        )
        .expect(422);
      expect(bad.text).toContain('class="has-error"');
      const ok = await postForm(
        admin,
        `/enterprises/${enterpriseId}/plan`,
        {
          rowCount: '1',
          'm.0.level': 'RED',
          'm.0.line': 'JL1',
          'm.0.action': 'STOP',
          'm.0.description': '全厂停产',
          'm.0.so2': '80',
          'm.0.nox': '150',
          'm.0.pm': '40',
          'm.0.vocs': '30',
          'm.0.verification': 'CEMS',
        },
        `/enterprises/${enterpriseId}/plan`,
      );
      expect(ok.status).toBe(303);
      const plan = await admin.get(`/api/enterprises/${enterpriseId}/plan`).expect(200);
      expect(plan.body.measures).toEqual([
        expect.objectContaining({ level: 'RED', description: '全厂停产' }),
      ]);
    });

    it('lists import row errors on the preview page and imports nothing', async () => {
      const token = await formToken(admin, '/enterprises/import');
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM enterprise');
      const res = await admin
        .post(`/enterprises/import?_csrf=${encodeURIComponent(token)}`)
        .attach('file', Buffer.from('统一社会信用代码,企业名称\nnot-a-code,某公司\n', 'utf8'), 'list.csv')
        .expect(422);
      expect(res.text).toContain('id="import-error"');
      expect(res.text).not.toContain('id="confirm-import"');
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM enterprise')).toEqual(before);
    });

    it('refuses an upload without the token', async () => {
      await admin.post('/enterprises/import').attach('file', Buffer.from('a,b\n'), 'list.csv').expect(403);
    });
  });

  describe('user administration page', () => {
    it('lets an administrator create an account, change its roles and reset its password', async () => {
      await duty.get('/users').expect(403);
      const created = await postForm(
        admin,
        '/users',
        { username: 'qian.cmd', displayName: '钱指挥', password: 'qian-password-1', roles: ['COMMANDER'] },
        '/users',
      );
      expect(created.status).toBe(303);
      const page = await admin.get('/users?msg=created').expect(200);
      expect(page.text).toContain('账号已创建');
      const id = /<tr data-user="qian.cmd">[\s\S]*?action="\/users\/([0-9a-f-]{36})"/.exec(page.text)![1];

      const changed = await postForm(
        admin,
        `/users/${id}`,
        { roles: ['COMMANDER', 'AUDITOR'], active: '1' },
        '/users',
      );
      expect(changed.status).toBe(303);
      const list = await admin.get('/api/users').expect(200);
      expect(list.body.find((u: { username: string }) => u.username === 'qian.cmd').roles).toEqual([
        'COMMANDER',
        'AUDITOR',
      ]);
      const reset = await postForm(admin, `/users/${id}`, { password: 'qian-password-2' }, '/users');
      expect(reset.status).toBe(303);
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'qian.cmd', password: 'qian-password-2' })
        .expect(200);

      const short = await postForm(
        admin,
        '/users',
        { username: 'x.y', password: 'short', roles: 'AUDITOR' },
        '/users',
      );
      expect(short.status).toBe(422);
      expect(short.text).toContain('密码至少10个字符');
      expect(short.text).toContain('value="x.y"');
    });
  });

  describe('provincial directives page (省级指令)', () => {
    const NUMBER = '晋气防办调〔2026〕7号';
    const fields = {
      issuer: '山西省大气污染防治工作领导小组办公室',
      kind: 'DISPATCH_ORDER',
      level: 'RED',
      countyCodes: ['141125'], // 柳林县: no warning of this file covers it
      startAt: '2026-11-29T00:00',
      receivedAt: '2026-11-28T09:00',
    };

    it('refuses a record without its 文号 on the page, keeping what was typed', async () => {
      const page = await duty.get('/directives').expect(200);
      expect(page.text).toContain('<h1>省级指令');
      expect(page.text).toContain('录入省级指令');
      expect(page.text).toContain('href="/directives"'); // in the navigation
      const res = await postForm(duty, '/directives', { ...fields, number: ' ' }, '/directives');
      expect(res.status).toBe(422);
      expect(res.text).toContain('请填写文号');
      expect(res.text).toContain('value="山西省大气污染防治工作领导小组办公室"');
      expect(await t.dataSource.query('SELECT id FROM directive')).toEqual([]);
    });

    it('records one from the form: listed with 需启动 in red, and on the dashboard', async () => {
      const res = await postForm(duty, '/directives', { ...fields, number: NUMBER }, '/directives');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/directives?msg=recorded');
      const page = (await duty.get('/directives?msg=recorded').expect(200)).text;
      expect(page).toContain('省级指令已录入。');
      expect(page).toContain(NUMBER);
      expect(page).toContain('<div class="needs-start">需启动:柳林县</div>');
      const [row] = await t.dataSource.query<Array<{ start_at: Date; level: string }>>(
        'SELECT start_at, level FROM directive WHERE number = $1',
        [NUMBER],
      );
      expect(row).toEqual({ start_at: new Date('2026-11-29T00:00:00+08:00'), level: 'RED' });
      const dashboard = (await duty.get('/dashboard').expect(200)).text;
      expect(dashboard).toContain('id="dashboard-directives"');
      expect(dashboard).toContain('<span class="needs-start">需启动:柳林县</span>');
      // Auditors read it, without the form or the 解除 button.
      const readOnly = (await auditor.get('/directives').expect(200)).text;
      expect(readOnly).toContain(NUMBER);
      expect(readOnly).not.toContain('id="directive-form"');
      expect(readOnly).not.toContain('/lift"');
    });

    it('lifts it with a reason through its 解除 button', async () => {
      const [{ id }] = await t.dataSource.query<Array<{ id: string }>>(
        'SELECT id FROM directive WHERE number = $1',
        [NUMBER],
      );
      const res = await postForm(duty, `/directives/${id}/lift`, { reason: '省厅通知解除' }, '/directives');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/directives?msg=lifted&p=0&s=0');
      const page = (await duty.get(res.headers.location).expect(200)).text;
      expect(page).toContain('省级指令已解除:已为 0 个预警提出解除');
      expect(page).toMatch(/data-status="LIFTED"/);
      expect(page).toContain('省厅通知解除');
      expect((await duty.get('/dashboard')).text).not.toContain('id="dashboard-directives"');
      const again = await postForm(duty, `/directives/${id}/lift`, {}, '/directives');
      expect(again.status).toBe(409);
      expect(again.text).toContain('已于');
    });
  });

  it('has every audit entry intact after all of the above', async () => {
    expect((await t.app.get(AuditService).verify()).ok).toBe(true);
  });
});
