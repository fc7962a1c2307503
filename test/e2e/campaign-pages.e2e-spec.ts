import type { EnterpriseInput } from '../../src/enterprises/enterprise.types';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { postForm } from '../support/console-forms';
import { createTestApp, type TestApp } from '../support/test-app';

const XIAOYI = '141181'; // one of the 平川四县
const SHILOU = '141126';

/**
 * Issue 18, the console's 季节性管控 page and the enterprise page's 全年管控 card through HTTP: every staff role opens
 * the page (ADMIN and AUDITOR included: it reads only); a county officer's page holds their counties whatever the URL
 * asks; filters it cannot read fall back to the defaults (a page, never a 422); a ruleset escalating the 平川四县 in
 * warnings shows on the enterprise page, and the order the warning gave it (its red measures for an orange warning).
 * The campaign records: the draft form shows the API's field errors beside the fields; every staff role reads a
 * record, only a commander other than the proposer sees the approval forms (the proposer is refused with the
 * service's message), a duty officer ends it; a warning's id is no record; its orders are on the warning pages' list.
 */
describe('the seasonal controls pages', () => {
  let t: TestApp;
  type Agent = Awaited<ReturnType<TestApp['signIn']>>;
  let admin: Agent;
  let duty: Agent;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
    admin = await t.signIn(['ADMIN'], 'guanli');
    duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    const add = async (key: string, over: Partial<EnterpriseInput>) => {
      const { body } = await admin.post('/api/enterprises').send(enterpriseInput(over)).expect(201);
      ids[key] = body.id as string;
      await admin
        .put(`/api/enterprises/${body.id}/plan`)
        .send({
          measures: [
            measure({ level: 'ORANGE' }),
            measure({ level: 'RED', action: 'STOP', params: {}, description: '全厂停产' }),
          ],
        })
        .expect(200);
    };
    await add('xiaoyi', { name: '孝义C级铁合金', countyCode: XIAOYI, grade: 'C', industry: 'FERROALLOY' });
    await add('shilou', { name: '石楼C级铁合金', countyCode: SHILOU, grade: 'C', industry: 'FERROALLOY' });
  });
  afterAll(() => t.close());

  it('opens for every staff role, and for no one signed out', async () => {
    for (const role of ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'] as const) {
      const agent = await t.signIn([role], `campaign-${role.toLowerCase()}`);
      const page = await agent.get('/campaigns').expect(200);
      expect(page.text).toContain('孝义C级铁合金');
    }
    const anonymous = await t.http().get('/campaigns').redirects(0);
    expect([anonymous.status, anonymous.headers.location]).toEqual([303, '/login?next=%2Fcampaigns']);
  });

  it('keeps a county officer to their counties whatever the URL asks', async () => {
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou', [SHILOU]);
    for (const url of [
      '/campaigns',
      `/campaigns?counties=${XIAOYI}`,
      `/campaigns?counties=${XIAOYI},${SHILOU}`,
    ]) {
      const page = await officer.get(url).expect(200);
      expect(page.text).toContain('石楼C级铁合金');
      expect(page.text).not.toContain('孝义');
    }
    // 孝义市's enterprise page is not theirs.
    await officer.get(`/enterprises/${ids.xiaoyi}`).expect(404);
  });

  it('shows a page with the defaults for filters it cannot read', async () => {
    const page = await duty.get('/campaigns?kind=WINTER&date=2026-02-30&counties=abc&page=x').expect(200);
    expect(page.text).toContain('value="2026-12-01"');
    expect(page.text).toMatch(/class="tab active"[^>]*data-kind="AUTUMN_WINTER"/);
    expect(page.text).toContain('孝义C级铁合金');
    // A page past the last is an empty list, not an error.
    const past = await duty.get('/campaigns?page=9').expect(200);
    expect(past.text).toContain('暂无有管控措施的企业');
  });

  it('shows on the enterprise page a ruleset escalating the 平川四县 in warnings, and the raised measures of the order', async () => {
    await admin
      .post('/api/rulesets')
      .send({
        id: 'LVLIANG-CPAGES',
        name: '吕梁市从严管控规则',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2026-11-01',
        escalations: { JOINT_CONTROL_AREA: 'NEXT_LEVEL' },
      })
      .expect(201);
    const commander = await t.signIn(['COMMANDER'], 'zhihui');
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [XIAOYI],
        effectiveAt: '2026-12-01T10:00:00+08:00',
        reason: '会商研判,污染已较重',
      })
      .expect(201);
    await commander.post(`/api/alerts/${body.id}/approve`).send({}).expect(200);
    const page = await duty.get(`/enterprises/${ids.xiaoyi}`).expect(200);
    expect(page.text).toContain(
      '位于平川四县(太原及周边“1+30”联防联控区),预警期间从严管控:执行高一级预警的减排措施',
    );
    const row = new RegExp(`<tr data-alert="${body.id}">.*?</tr>`, 's').exec(page.text)?.[0] ?? '';
    expect(row).toContain(`>${body.code}</a>`);
    expect(row).toContain('红色预警措施');
    // The other county's enterprise is not held stricter, and has no order this year.
    const other = await duty.get(`/enterprises/${ids.shilou}`).expect(200);
    expect(other.text).toContain('无从严要求:预警期间执行本级预警的减排措施。');
    expect(other.text).toContain('id="year-orders-empty"');
  });

  describe('campaign records', () => {
    let campaignId: string;
    let commander: Agent;
    let officer: Agent;
    const AUTUMN = {
      kind: 'AUTUMN_WINTER',
      countyCodes: XIAOYI,
      effectiveAt: '2026-12-02T00:00',
      expectedEndAt: '2027-03-31T23:59',
    };
    const text = (html: string) => html.replace(/<[^>]+>/g, ' ');
    const has = (html: string, id: string) => html.includes(`id="${id}"`);

    beforeAll(async () => {
      commander = await t.signIn(['COMMANDER'], 'campaign-zhihui');
      officer = await t.signIn(['COUNTY_OFFICER'], 'campaign-shilou', [SHILOU]);
    });

    it('shows the API’s field errors beside the draft form’s fields, in Chinese, and drafts', async () => {
      const form = await duty.get('/campaigns/new').expect(200);
      expect(form.text).toContain('value="2026-12-02T00:00"');
      expect(form.text).toContain('value="2027-03-31T23:59"');
      const outside = await postForm(duty, '/campaigns', { ...AUTUMN, expectedEndAt: '2027-04-15T00:00' });
      expect(outside.status).toBe(422);
      expect(outside.text).toMatch(/id="expectedEndAt-error">不在秋冬季错峰生产期\(11-01至03-31\)内</);
      expect(text(outside.text)).toContain('结束时间:不在秋冬季错峰生产期');
      expect(text(outside.text)).not.toContain('expectedEndAt');
      expect(outside.text).toContain('value="2027-04-15T00:00"');
      const ozone = await postForm(duty, '/campaigns', { kind: 'SUMMER_OZONE', countyCodes: XIAOYI });
      expect(ozone.status).toBe(422);
      expect(ozone.text).toContain('id="day-error">臭氧污染应对须填写应对日<');
      const nothing = await postForm(duty, '/campaigns', { kind: 'AUTUMN_WINTER' });
      expect(nothing.text).toContain('id="countyCodes-error">');
      const drafted = await postForm(duty, '/campaigns', AUTUMN);
      expect(drafted.status).toBe(303);
      const m = /^\/campaigns\/records\/([0-9a-f-]{36})\?msg=drafted$/.exec(drafted.headers.location);
      expect(m).not.toBeNull();
      campaignId = m![1];
      // Only a duty officer drafts.
      await commander.get('/campaigns/new').expect(403);
      expect((await postForm(commander, '/campaigns', AUTUMN)).status).toBe(403);
    });

    it('opens the record for every staff role, the approval forms for a commander only', async () => {
      const page = await commander.get(`/campaigns/records/${campaignId}`).expect(200);
      expect(page.text).toContain('2026—2027年秋冬季差异化错峰生产');
      expect(page.text).toContain('id="campaign-counties">孝义市<');
      expect(page.text).toContain('2026年12月02日 00:00 至 2027年03月31日 23:59');
      expect(page.text).toContain('吕梁市从严管控规则');
      expect(has(page.text, 'approve-form') && has(page.text, 'reject-form')).toBe(true);
      for (const [who, agent] of [
        ['county officer', officer],
        ['duty officer', duty],
        ['admin', admin],
      ] as const) {
        const res = await agent.get(`/campaigns/records/${campaignId}`);
        expect([who, res.status]).toEqual([who, 200]);
        expect([who, has(res.text, 'approve-form'), has(res.text, 'reject-form')]).toEqual([
          who,
          false,
          false,
        ]);
        expect(res.text).toContain('待审批');
      }
      const auditor = await t.signIn(['AUDITOR'], 'campaign-records-auditor');
      await auditor.get(`/campaigns/records/${campaignId}`).expect(200);
      // A duty officer cannot approve by posting the form anyway: the API's role.
      const posted = await postForm(duty, `/campaigns/${campaignId}/approve`, {});
      expect(posted.status).toBe(403);
      expect(posted.text).toContain('当前角色无权执行此操作');
      const anonymous = await t.http().get(`/campaigns/records/${campaignId}`).redirects(0);
      expect([anonymous.status, anonymous.headers.location]).toEqual([
        303,
        `/login?next=${encodeURIComponent(`/campaigns/records/${campaignId}`)}`,
      ]);
    });

    it('lists the pending campaign on a commander’s /approvals, named, with its code, linking to its record', async () => {
      const page = await commander.get('/approvals').expect(200);
      const card =
        new RegExp(
          `<section class="card pending-card pending-campaign" data-campaign="${campaignId}">.*?</section>`,
          's',
        ).exec(page.text)?.[0] ?? '';
      const { body } = await commander.get(`/api/campaigns/${campaignId}`).expect(200);
      expect(card).toContain(
        `<a href="/campaigns/records/${campaignId}">2026—2027年秋冬季差异化错峰生产</a> · 秋冬季差异化错峰生产 · <span class="campaign-code">${body.code}</span> · 待审批:发布`,
      );
      expect(card).toContain('管控时段 2026年12月02日 00:00 至 2027年03月31日 23:59');
      expect(card).toContain(`href="/campaigns/records/${campaignId}" data-review-campaign="${campaignId}"`);
      expect(card).not.toContain('own-proposal');
      expect(page.text).not.toContain('id="no-pending-campaigns"');
      // Still commanders only.
      await duty.get('/approvals').expect(403);
    });

    it('is no record for a warning’s id or an unknown one', async () => {
      const [warning] = await t.dataSource.query("SELECT id FROM alert WHERE kind = 'WARNING' LIMIT 1");
      for (const url of [
        `/campaigns/records/${warning.id}`,
        '/campaigns/records/00000000-0000-4000-8000-000000000000',
        '/campaigns/records/x',
      ]) {
        const res = await commander.get(url);
        expect([url, res.status]).toEqual([url, 404]);
        expect(res.text).toContain('季节性管控');
      }
      expect((await postForm(commander, `/campaigns/${warning.id}/approve`, {})).status).toBe(404);
    });

    it('refuses the proposer’s own approval with the service’s message, and a second commander rejects it', async () => {
      const both = await t.signIn(['DUTY_OFFICER', 'COMMANDER'], 'campaign-both');
      const drafted = await postForm(both, '/campaigns', { ...AUTUMN, countyCodes: SHILOU });
      expect(drafted.status).toBe(303);
      const own = drafted.headers.location.split('?')[0];
      const page = await both.get(own).expect(200);
      expect(has(page.text, 'approve-form')).toBe(false);
      expect(page.text).toContain('您是该变更的提议人');
      // On /approvals the proposer (a commander too) sees it with the same note, as for a warning of their own.
      const ownId = own.split('/').pop();
      const approvals = await both.get('/approvals').expect(200);
      const ownCard =
        new RegExp(
          `<section class="card pending-card pending-campaign" data-campaign="${ownId}">.*?</section>`,
          's',
        ).exec(approvals.text)?.[0] ?? '';
      expect(ownCard).toContain('您是该变更的提议人,须由其他指挥部成员审批或退回。');
      const refused = await postForm(both, `${own.replace('/records', '')}/approve`, {});
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('不能审批自己提出的变更(两人审批制)');
      const empty = await postForm(commander, `${own.replace('/records', '')}/reject`, {});
      expect(empty.status).toBe(422);
      expect(empty.text).toContain('请填写驳回理由');
      const rejected = await postForm(commander, `${own.replace('/records', '')}/reject`, {
        reason: '范围待定',
      });
      expect([rejected.status, rejected.headers.location]).toEqual([303, `${own}?msg=reject`]);
      expect((await both.get(own).expect(200)).text).toContain('id="campaign-status">未批准<');
      // Decided: off the approvals list.
      expect((await commander.get('/approvals').expect(200)).text).not.toContain(`data-campaign="${ownId}"`);
    });

    it('is approved by a commander on the page: issued with its 文号 and orders, listed, ended by a duty officer', async () => {
      const approved = await postForm(commander, `/campaigns/${campaignId}/approve`, { reason: '同意' });
      expect([approved.status, approved.headers.location]).toEqual([
        303,
        `/campaigns/records/${campaignId}?msg=approve`,
      ]);
      const page = await duty.get(`/campaigns/records/${campaignId}`).expect(200);
      expect(page.text).toContain('id="campaign-status">已发布(未生效)<');
      expect(page.text).toContain('<span class="document-number">吕错峰〔2026〕1号</span>');
      // 孝义C级铁合金 is the one enterprise of 孝义市: a C held one grade lower, it stops.
      expect(page.text).toContain('<td data-k="total">1</td>');
      expect(page.text).toContain(`href="/alerts/${campaignId}#orders"`);
      expect(has(page.text, 'lift-form')).toBe(true);
      expect(has((await officer.get(`/campaigns/records/${campaignId}`).expect(200)).text, 'lift-form')).toBe(
        false,
      );
      // The order list it links to is the warning page's, serving any alert; the timeline too.
      const orders = await duty.get(`/alerts/${campaignId}`).expect(200);
      expect(orders.text).toMatch(
        new RegExp(
          `<tr data-order="[0-9a-f-]{36}" data-state="PENDING">\\s*<td><a href="/enterprises/${ids.xiaoyi}">孝义C级铁合金</a>`,
        ),
      );
      await duty.get(`/alerts/${campaignId}/timeline`).expect(200);
      const list = await officer.get('/campaigns').expect(200);
      const row = new RegExp(`<tr data-campaign="${campaignId}">.*?</tr>`, 's').exec(list.text)?.[0] ?? '';
      expect(row).toContain(`href="/campaigns/records/${campaignId}"`);
      expect(row).toContain('<td class="document-number">吕错峰〔2026〕1号</td>');
      expect(row).toContain('<td class="enterprises">1</td>');
      expect(row).toContain('已发布(未生效)');
      // The enterprise page's 全年管控 lists it, linking back.
      const enterprise = await duty.get(`/enterprises/${ids.xiaoyi}`).expect(200);
      const card =
        new RegExp(`<tr data-campaign="${campaignId}">.*?</tr>`, 's').exec(enterprise.text)?.[0] ?? '';
      expect(card).toContain(
        `<a href="/campaigns/records/${campaignId}">2026—2027年秋冬季差异化错峰生产</a>`,
      );
      expect(card).toContain('<td class="measures">停产</td>');
      // 结束管控: a duty officer proposes the end, awaiting a commander.
      const lifted = await postForm(duty, `/campaigns/${campaignId}/lift`, {
        effectiveAt: '2027-01-15T00:00',
        reason: '空气质量持续改善',
      });
      expect([lifted.status, lifted.headers.location]).toEqual([
        303,
        `/campaigns/records/${campaignId}?msg=lift`,
      ]);
      const pending = await commander.get(`/campaigns/records/${campaignId}`).expect(200);
      expect(pending.text).toContain('待审批:解除');
      // The proposed end is on /approvals too, and the approved issue no longer is.
      const approvals = await commander.get('/approvals').expect(200);
      expect(approvals.text.match(new RegExp(`data-campaign="${campaignId}"`, 'g'))).toHaveLength(1);
      expect(approvals.text).toContain('· 待审批:解除</h3>');
      expect(has(pending.text, 'approve-form')).toBe(true);
      // The order list's page names the campaign and sends its decisions to the record page.
      const listPage = await commander.get(`/alerts/${campaignId}`).expect(200);
      expect(listPage.text).toContain(`<a href="/campaigns/records/${campaignId}">管控记录页</a>`);
      expect(has(listPage.text, 'pending') || has(listPage.text, 'adjust-form')).toBe(false);
      expect(text(listPage.text)).not.toMatch(/\bNONE\b/);
    });
  });
});
