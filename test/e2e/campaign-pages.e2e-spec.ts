import type { EnterpriseInput } from '../../src/enterprises/enterprise.types';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, type TestApp } from '../support/test-app';

const XIAOYI = '141181'; // one of the 平川四县
const SHILOU = '141126';

/**
 * Issue 18, the console's 季节性管控 page and the enterprise page's 全年管控 card through HTTP: every staff role opens
 * the page (ADMIN and AUDITOR included: it reads only); a county officer's page holds their counties whatever the URL
 * asks; filters it cannot read fall back to the defaults (a page, never a 422); a ruleset escalating the 平川四县 in
 * warnings shows on the enterprise page, and the order the warning gave it (its red measures for an orange warning).
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
});
