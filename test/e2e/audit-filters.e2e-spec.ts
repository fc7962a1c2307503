import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { AuditService } from '../../src/audit/audit.service';
import type { Role } from '../../src/auth/roles';
import { UsersService } from '../../src/auth/users.service';
import { testCreditCode } from '../factories/enterprise.factory';
import { scenario, type Agent, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { testAction } from '../support/test-audit-action';

interface Item {
  id: string;
  action: string;
  actorName: string | null;
  actorType: string;
  alertId: string | null;
  subjectType: string | null;
  subjectId: string | null;
}

/**
 * Issue 16, "Audit log": the log newest first, and filtered in SQL by day (Beijing), actor (an account or a kind
 * of actor), action, warning (code, 文号 or id) and enterprise (name or credit code), on the API and the page,
 * with people named by their display names.
 */
describe('audit log filters and order', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let auditor: Agent;
  let s: Scenario;
  let second: { id: string; code: string };
  const creditB = testCreditCode('141182');

  /** An account with a display name, signed in. */
  async function person(username: string, displayName: string, roles: Role[]): Promise<Agent> {
    await t.app
      .get(UsersService)
      .create({ username, password: TEST_PASSWORD, roles, displayName }, SYSTEM_ACTOR);
    const agent = request.agent(t.app.getHttpServer());
    await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200);
    return agent;
  }

  const api = async (query: Record<string, string | number>): Promise<Item[]> =>
    (
      await auditor
        .get('/api/audit')
        .query({ limit: 1000, ...query })
        .expect(200)
    ).body.items;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T09:00:00+08:00');
    const agents = {
      admin: await person('admin-zhang', '管理员张伟', ['ADMIN']),
      duty: await person('duty-wang', '值班员王芳', ['DUTY_OFFICER']),
      commander: await person('cmd-li', '指挥长李明', ['COMMANDER']),
    };
    s = await scenario(t, { sink, agents })
      .enterprises([
        { key: 'jia', input: { name: '审计筛选焦化甲厂', countyCode: '141181' } },
        { key: 'yi', input: { name: '审计筛选钢铁乙厂', countyCode: '141182', creditCode: creditB } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], reason: '会商研判,污染加重' })
      .approved()
      .delivered();
    // A second warning, drafted only, over the other county.
    t.clock.set('2026-11-28T11:00:00+08:00');
    second = (
      await agents.duty
        .post('/api/alerts')
        .send({
          level: 'YELLOW',
          countyCodes: ['141182'],
          effectiveAt: '2026-11-29T20:00:00+08:00',
          reason: '另一预警',
        })
        .expect(201)
    ).body;
    t.clock.set('2026-11-29T10:00:00+08:00');
    await s.receipt('jia');
    auditor = await person('auditor-zhao', '审计员赵敏', ['AUDITOR']);
    // Entries either side of the Beijing day 2026-11-30.
    const audit = t.app.get(AuditService);
    for (const at of [
      '2026-11-29T23:59:59.999+08:00',
      '2026-11-30T00:00:00.000+08:00',
      '2026-11-30T23:59:59.999+08:00',
      '2026-12-01T00:00:00.000+08:00',
    ]) {
      t.clock.set(at);
      await audit.recordEvent({ actor: SYSTEM_ACTOR, action: testAction('test.probe'), data: { at } });
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('answers oldest first by default and newest first with order=desc, paging in that order', async () => {
    const asc = (await api({})).map((e) => Number(e.id));
    expect(asc.length).toBeGreaterThan(20);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = (await api({ order: 'desc' })).map((e) => Number(e.id));
    expect(desc).toEqual([...asc].reverse());

    // Pages of 7, newest first, continue below the last id and together make the whole log once.
    const paged: number[] = [];
    let after: string | null = null;
    do {
      const res: request.Response = await auditor
        .get('/api/audit')
        .query({ order: 'desc', limit: 7, ...(after ? { after } : {}) })
        .expect(200);
      paged.push(...res.body.items.map((e: Item) => Number(e.id)));
      after = res.body.nextAfter;
    } while (after);
    expect(paged).toEqual(desc);
  });

  it('filters by account and by kind of actor', async () => {
    const byDuty = await api({ actor: 'duty-wang' });
    expect(byDuty.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.login', 'alert.drafted']));
    expect(new Set(byDuty.map((e) => e.actorName))).toEqual(new Set(['duty-wang']));

    const bySystem = await api({ actorType: 'SYSTEM' });
    expect(bySystem.map((e) => e.action)).toEqual(expect.arrayContaining(['test.probe', 'user.created']));
    expect(new Set(bySystem.map((e) => e.actorType))).toEqual(new Set(['SYSTEM']));

    const byEnterprise = await api({ actorType: 'ENTERPRISE' });
    expect(byEnterprise.map((e) => [e.action, e.subjectId])).toEqual([['order.received', s.orders.jia]]);

    const bad = await auditor.get('/api/audit').query({ actorType: 'ROBOT' }).expect(422);
    expect(bad.body.error.fields[0].field).toBe('actorType');
    const badOrder = await auditor.get('/api/audit').query({ order: 'sideways' }).expect(422);
    expect(badOrder.body.error.fields[0].field).toBe('order');
  });

  it('filters by action', async () => {
    const approved = await api({ action: 'alert.approved' });
    expect(approved.map((e) => [e.actorName, e.alertId])).toEqual([['cmd-li', s.alertId]]);
  });

  it('filters by warning: its code, any part of its 文号, or its id', async () => {
    const [{ document_number: number }] = await t.dataSource.query<Array<{ document_number: string }>>(
      'SELECT document_number FROM alert_revision WHERE alert_id = $1',
      [s.alertId],
    );
    expect(number).toBeTruthy();
    const byCode = await api({ warning: s.alert.code });
    expect(byCode.map((e) => e.action)).toEqual(
      expect.arrayContaining(['alert.drafted', 'alert.approved', 'orders.created', 'order.received']),
    );
    expect(new Set(byCode.map((e) => e.alertId))).toEqual(new Set([s.alertId]));
    // The same entries by a part of the 文号 and by the id; the other warning's by its own code.
    expect(await api({ warning: number.slice(1, -1) })).toEqual(byCode);
    expect(await api({ warning: s.alertId })).toEqual(byCode);
    expect((await api({ warning: second.code })).map((e) => [e.action, e.alertId])).toEqual([
      ['alert.drafted', second.id],
    ]);
    expect(await api({ warning: '2099-999' })).toEqual([]);
  });

  it('filters by enterprise: any part of its name or its credit code, its orders included', async () => {
    const jia = await api({ enterprise: '焦化甲' });
    expect(jia.map((e) => [e.action, e.subjectType, e.subjectId])).toEqual([
      ['enterprise.created', 'enterprise', s.ids.jia],
      ['plan.replaced', 'enterprise', s.ids.jia],
      ['order.received', 'order', s.orders.jia],
    ]);
    const yi = await api({ enterprise: creditB.toLowerCase() });
    expect(yi.map((e) => [e.action, e.subjectId])).toEqual([
      ['enterprise.created', s.ids.yi],
      ['plan.replaced', s.ids.yi],
    ]);
    // A LIKE wildcard is a character like any other.
    expect(await api({ enterprise: '%' })).toEqual([]);
  });

  it('the page: newest first, Beijing days inclusive, and no more', async () => {
    const page = await auditor.get('/audit').query({ from: '2026-11-30', to: '2026-11-30' }).expect(200);
    const rows = [
      ...page.text.matchAll(/<tr data-id="(\d+)">.*?<details>.*?<code class="data">([^<]*)<\/code>/g),
    ];
    expect(rows.map((r) => JSON.parse(r[2].replace(/&quot;/g, '"')).at)).toEqual([
      '2026-11-30T23:59:59.999+08:00',
      '2026-11-30T00:00:00.000+08:00',
    ]);
    expect(page.text).toContain('<input type="date" name="from" value="2026-11-30">');
    const none = await auditor.get('/audit').query({ warning: '2099-999' }).expect(200);
    expect(none.text).toContain('<td colspan="7" class="muted" id="audit-empty">没有符合条件的记录。</td>');
  });

  it('the page: each filter from its form, rows in words with display names, the next page keeping them', async () => {
    const page = await auditor
      .get('/audit')
      .query({ actor: 'cmd-li', action: 'alert.approved', warning: s.alert.code })
      .expect(200);
    const [row] = [...page.text.matchAll(/<tr data-id="\d+">(.*?)<\/tr>/g)].map((m) => m[1]);
    expect(row).toContain('<td class="audit-actor">指挥长李明</td>');
    expect(row).not.toContain('cmd-li');
    expect(row).toContain(`预警 <strong class="subject-name">${s.alert.code}</strong>`);
    expect(row).toMatch(
      /<td class="audit-summary">发布 · 级别 橙色 · 生效 2026年11月28日 20:00 · 文号 [^<]+<\/td>/,
    );
    expect(row).toContain('<details><summary>展开记录</summary>');
    // The selects keep the choice and list people by display name, not username.
    expect(page.text).toContain('<option value="cmd-li" selected>指挥长李明</option>');
    expect(page.text).toContain('<option value="duty-wang">值班员王芳</option>');
    expect(page.text).toContain('<option value="@ENTERPRISE">企业</option>');
    expect(page.text).toContain('<option value="alert.approved" selected>审批通过</option>');

    // An enterprise's receipt: the enterprise by name as actor and subject, its warning beside.
    const receipt = await auditor
      .get('/audit')
      .query({ enterprise: '焦化甲', actor: '@ENTERPRISE' })
      .expect(200);
    const [cells] = [...receipt.text.matchAll(/<tr data-id="\d+">(.*?)<\/tr>/g)].map((m) => m[1]);
    expect(cells).toContain('<td class="audit-actor">审计筛选焦化甲厂</td>');
    expect(cells).toContain('减排指令 <strong class="subject-name">审计筛选焦化甲厂</strong>');
    expect(cells).toContain(`预警 <a href="/alerts/${s.alertId}">${s.alert.code}</a>`);
    expect(cells).toContain('状态 已送达→已签收 · 签收人');
  });

  it('the page: 100 rows a page, the next page keeping the filters and continuing below the last row', async () => {
    const audit = t.app.get(AuditService);
    t.clock.set('2026-12-02T09:00:00+08:00');
    await audit.recordEvent(
      Array.from({ length: 105 }, (_, i) => ({
        actor: SYSTEM_ACTOR,
        action: testAction('test.page'),
        data: { i },
      })),
    );
    const numbers = (text: string) =>
      [...text.matchAll(/<code class="data">([^<]*)<\/code>/g)].map(
        (m) => JSON.parse(m[1].replace(/&quot;/g, '"')).i,
      );
    const first = await auditor.get('/audit').query({ action: 'test.page', actor: '@SYSTEM' }).expect(200);
    expect(numbers(first.text)).toEqual(Array.from({ length: 100 }, (_, k) => 104 - k));
    // As a browser reads the attribute (Handlebars writes = as &#x3D;).
    const next = /<a href="([^"]+)" id="next-page">/
      .exec(first.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(next).toMatch(/^\/audit\?action=test\.page&actor=%40SYSTEM&after=\d+$/);
    const second = await auditor.get(next).expect(200);
    expect(numbers(second.text)).toEqual([4, 3, 2, 1, 0]);
    expect(second.text).not.toContain('id="next-page"');
    expect(second.text).toContain(
      '<a href="/audit?action&#x3D;test.page&amp;actor&#x3D;%40SYSTEM" id="first-page">回到最新</a>',
    );
  });
});
