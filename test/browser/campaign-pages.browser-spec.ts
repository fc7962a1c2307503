/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { EnterpriseInput } from '../../src/enterprises/enterprise.types';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { axeViolations } from '../support/axe';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { foreignWords } from '../support/language';
import type { TestApp } from '../support/test-app';

const XIAOYI = '141181'; // one of the 平川四县
const ZHONGYANG = '141129';
const SHILOU = '141126';
const USERNAMES = ['zhiban', 'zhihui', 'shilou'];

/**
 * Issue 18, "console pages for campaigns and an enterprise's controls over the year, in Chromium": a duty officer
 * opens 季节性管控 and sees a C in 孝义市 stopped for the 平川四县 where an equal C in 中阳县 staggers, narrows to the
 * enterprises held stricter, switches to 夏季臭氧污染应对 and finds the coating enterprise; a 石楼县 officer sees
 * 石楼县 only; the enterprise page's 全年管控 card gives the enterprise's treatment with its reasons and the warning
 * it got an order in. Then a campaign record: the duty officer drafts an autumn-winter campaign through the form (an
 * end outside the season refused beside its field first), a different commander approves it on its page, which then
 * shows it issued with its 文号 and its orders, and the enterprise page's card lists it.
 */
describe('the seasonal controls pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const ids: Record<string, string> = {};
  let alertId: string;
  let alertCode: string;

  /** The page in Chinese (issue 16's language rule) and without serious WCAG 2 A/AA violations. */
  const readable = async (page: Page) => {
    expect(foreignWords(await page.innerText('body'), USERNAMES)).toEqual([]);
    expect(await axeViolations(page, page.url())).toEqual([]);
  };
  const row = (page: Page, name: string) => page.locator('#campaign-list tr', { hasText: name });

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    const add = async (key: string, over: Partial<EnterpriseInput>) => {
      const e = await enterprises.create(enterpriseInput(over), SYSTEM_ACTOR);
      await enterprises.putPlan(e.id, { measures: [measure({ level: 'ORANGE' })] }, SYSTEM_ACTOR);
      ids[key] = e.id;
    };
    await add('xiaoyi', { name: '孝义C级铁合金', countyCode: XIAOYI, grade: 'C', industry: 'FERROALLOY' });
    await add('zhongyang', {
      name: '中阳C级铁合金',
      countyCode: ZHONGYANG,
      grade: 'C',
      industry: 'FERROALLOY',
    });
    await add('coating', {
      name: '中阳B级工业涂装',
      countyCode: ZHONGYANG,
      grade: 'B',
      industry: 'INDUSTRIAL_COATING',
    });
    await add('shilou', { name: '石楼C级铁合金', countyCode: SHILOU, grade: 'C', industry: 'FERROALLOY' });

    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
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
    alertId = body.id as string;
    alertCode = body.code as string;
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    await t.signIn(['COUNTY_OFFICER'], 'shilou', [SHILOU]);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a duty officer the 平川四县 C stopped where an equal C staggers, the stricter ones alone, then the ozone scope', async () => {
    const page = await signedInPage(browser, base, 'zhiban');
    await Promise.all([page.waitForURL(`${base}/campaigns`), page.click('nav a:text-is("季节性管控")')]);
    await expect(page.locator('#campaign-note').innerText()).resolves.toContain('不下达任何指令');
    await expect(page.locator('#campaign-records-empty').innerText()).resolves.toBe('尚未起草季节性管控。');
    await expect(page.locator('#campaign-date').inputValue()).resolves.toBe('2026-12-01');
    await expect(page.locator('#campaign-in-season').innerText()).resolves.toBe('在管控季内');
    await expect(page.locator('#campaign-escalations').innerText()).resolves.toContain(
      '位于平川四县(太原及周边“1+30”联防联控区):按低一级管控',
    );

    // 孝义市 and 中阳县 chosen: the filters go into the URL.
    await page.selectOption('#campaign-counties', [XIAOYI, ZHONGYANG]);
    await Promise.all([page.waitForURL(/counties=141181/), page.click('#campaign-submit')]);
    expect(page.url()).toContain(`counties=${ZHONGYANG}`);
    const xiaoyi = row(page, '孝义C级铁合金');
    await expect(xiaoyi.locator('.treatment').innerText()).resolves.toBe('停产');
    await expect(xiaoyi.locator('.lowered').innerText()).resolves.toBe('按D级执行');
    await expect(xiaoyi.locator('.reasons').innerText()).resolves.toContain(
      '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控',
    );
    await expect(xiaoyi.locator('a').getAttribute('href')).resolves.toBe(`/enterprises/${ids.xiaoyi}`);
    const zhongyang = row(page, '中阳C级铁合金');
    await expect(zhongyang.locator('.treatment').innerText()).resolves.toBe('错峰生产');
    await expect(zhongyang.locator('.measures').innerText()).resolves.toBe('错峰期间限产30%');
    expect(await row(page, '石楼C级铁合金').count()).toBe(0);
    // Counts by county and treatment (停产, 错峰生产, 按核定负荷生产, 不纳入错峰, 合计), with the total row.
    const cells = (county: string) =>
      page.locator(`#campaign-county-counts tr[data-county="${county}"] > *`).allInnerTexts();
    expect(await cells(XIAOYI)).toEqual(['孝义市', '1', '0', '0', '0', '1']);
    expect(await cells(ZHONGYANG)).toEqual(['中阳县', '0', '1', '0', '1', '2']);
    expect(await cells('total')).toEqual(['合计', '1', '1', '0', '1', '3']);
    await readable(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-autumn-winter.png'), fullPage: true });

    // 仅看从严管控: only the one the 平川四县 held stricter.
    await page.check('#campaign-escalated');
    await Promise.all([page.waitForURL(/escalated=1/), page.click('#campaign-submit')]);
    expect(await page.locator('#campaign-list tr[data-enterprise]').count()).toBe(1);
    await expect(row(page, '孝义C级铁合金').locator('.badge').innerText()).resolves.toBe('从严管控');

    // The other kind, its tab keeping the counties: the coating enterprise is in the ozone scope.
    await page.uncheck('#campaign-escalated');
    await Promise.all([page.waitForURL(/counties=/), page.click('#campaign-submit')]);
    await Promise.all([
      page.waitForURL(/kind=SUMMER_OZONE/),
      page.click('#campaign-tabs a:text-is("夏季臭氧污染应对")'),
    ]);
    expect(page.url()).toContain(`counties=${XIAOYI}`);
    await expect(page.locator('#campaign-in-season').innerText()).resolves.toBe('不在管控季内');
    await expect(page.locator('#campaign-window').innerText()).resolves.toContain('10:00–16:00');
    const coating = row(page, '中阳B级工业涂装');
    await expect(coating.locator('.treatment').innerText()).resolves.toBe('错时生产');
    await expect(coating.locator('.reasons').innerText()).resolves.toContain('涉VOCs排放行业');
    expect(await row(page, '中阳C级铁合金').count()).toBe(0);
    await readable(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-summer-ozone.png'), fullPage: true });
    await page.context().close();
  }, 90_000);

  it('shows a 石楼县 officer 石楼县 only, even when another county is asked for', async () => {
    const page = await signedInPage(browser, base, 'shilou');
    await page.goto(`${base}/campaigns`);
    await expect(page.locator('#campaign-counties option').allInnerTexts()).resolves.toEqual(['石楼县']);
    expect(await page.locator('#campaign-list tr[data-enterprise]').allInnerTexts()).toEqual([
      expect.stringContaining('石楼C级铁合金'),
    ]);
    expect(await page.locator('#campaign-county-counts tr[data-county]').count()).toBe(1);
    await readable(page);
    await page.goto(`${base}/campaigns?counties=${XIAOYI}`);
    expect(await page.locator('#campaign-list').innerText()).not.toContain('孝义');
    expect(await page.locator('#campaign-list tr[data-enterprise]').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-county-officer.png'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('gives the enterprise page’s 全年管控: its treatment and reasons, the ozone scope, and this year’s warning', async () => {
    const page = await signedInPage(browser, base, 'zhiban');
    await page.goto(`${base}/enterprises/${ids.xiaoyi}`);
    const card = page.locator('#year-controls');
    await expect(card.locator('h2').innerText()).resolves.toContain('全年管控');
    await expect(page.locator('#year-autumn-winter .treatment').innerText()).resolves.toBe(
      '停产 (按D级执行) 从严管控',
    );
    await expect(page.locator('#year-autumn-winter .reasons').innerText()).resolves.toContain(
      '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控',
    );
    await expect(page.locator('#year-summer-ozone .in-scope').innerText()).resolves.toBe('不纳入');
    await expect(page.locator('#year-summer-ozone .reasons').innerText()).resolves.toBe('不涉及VOCs排放工序');
    // The seeded rulesets escalate nothing in warnings.
    await expect(page.locator('#year-warning').innerText()).resolves.toBe(
      '无从严要求:预警期间执行本级预警的减排措施。',
    );
    const order = page.locator(`#year-orders tr[data-alert="${alertId}"]`);
    await expect(order.locator('a').innerText()).resolves.toBe(alertCode);
    await expect(order.locator('a').getAttribute('href')).resolves.toBe(`/alerts/${alertId}`);
    await expect(order.innerText()).resolves.toContain('橙色');
    await expect(order.innerText()).resolves.toContain('本级措施');
    // The standing conditions are a card of their own, linked from this one.
    await expect(page.locator('#year-standing-link').getAttribute('href')).resolves.toBe(
      '#standing-conditions',
    );
    expect(await page.locator('#standing-conditions').count()).toBe(1);
    await readable(page);
    await card.screenshot({ path: path.join(ARTIFACTS, 'enterprise-year-controls.png') });

    // An enterprise without orders this year says so; the coating one is in the ozone scope.
    await page.goto(`${base}/enterprises/${ids.coating}`);
    await expect(page.locator('#year-orders-empty').innerText()).resolves.toContain('暂无');
    await expect(page.locator('#year-summer-ozone .in-scope').innerText()).resolves.toContain(
      '纳入:臭氧污染应对日 10:00–16:00',
    );
    await expect(page.locator('#year-autumn-winter .treatment').innerText()).resolves.toBe('不纳入错峰');
    await readable(page);
    await page.context().close();
  }, 60_000);

  it('drafts an autumn-winter campaign through the form, a second person approves it, and the enterprise card lists it', async () => {
    const duty = await signedInPage(browser, base, 'zhiban');
    await duty.goto(`${base}/campaigns`);
    await Promise.all([duty.waitForURL(`${base}/campaigns/new`), duty.click('#draft-campaign')]);
    await expect(duty.locator('#kind-AUTUMN_WINTER').isChecked()).resolves.toBe(true);
    await readable(duty);
    await duty.check(`input[name=countyCodes][value="${XIAOYI}"]`);
    await duty.check(`input[name=countyCodes][value="${ZHONGYANG}"]`);
    await duty.fill('#effective-at', '2026-12-02T00:00');
    // An end past the season's 31 March: the service's 422, beside the field, the form kept.
    await duty.fill('#expected-end-at', '2027-04-15T00:00');
    await Promise.all([duty.waitForURL(`${base}/campaigns`), duty.click('#submit-campaign')]);
    await expect(duty.locator('#expectedEndAt-error').innerText()).resolves.toBe(
      '不在秋冬季错峰生产期(11-01至03-31)内',
    );
    await expect(duty.locator('#campaign-form-errors').innerText()).resolves.toContain('结束时间:');
    await expect(duty.locator(`input[name=countyCodes][value="${XIAOYI}"]`).isChecked()).resolves.toBe(true);
    await readable(duty);
    await duty.screenshot({ path: path.join(ARTIFACTS, 'campaign-form-error.png'), fullPage: true });
    await duty.fill('#expected-end-at', '2027-03-31T23:59');
    await Promise.all([
      duty.waitForURL(/\/campaigns\/records\/[0-9a-f-]{36}\?msg=drafted$/),
      duty.click('#submit-campaign'),
    ]);
    const record = duty.url().split('?')[0];
    const campaignId = record.split('/').pop()!;
    await expect(duty.locator('#campaign-status').innerText()).resolves.toBe('待审批');
    await expect(duty.locator('#campaign-counties').innerText()).resolves.toBe('中阳县、孝义市');
    await expect(duty.locator('#campaign-period').innerText()).resolves.toBe(
      '2026年12月02日 00:00 至 2027年03月31日 23:59',
    );
    // The proposer's page offers no approval.
    expect(await duty.locator('#approve-form').count()).toBe(0);
    await readable(duty);

    const commander = await signedInPage(browser, base, 'zhihui');
    // The commander finds it on 审批, named with its kind and code, and opens its record page from there.
    await commander.goto(`${base}/approvals`);
    const pendingCard = commander.locator(`.pending-campaign[data-campaign="${campaignId}"]`);
    await expect(pendingCard.locator('h3').innerText()).resolves.toMatch(
      /^2026—2027年秋冬季差异化错峰生产 · 秋冬季差异化错峰生产 · CW2026-\d{3} · 待审批:发布$/,
    );
    await readable(commander);
    await Promise.all([commander.waitForURL(record), pendingCard.locator('a.button').click()]);
    await commander.fill('#approve-form input[name=reason]', '同意按方案实施');
    await Promise.all([commander.waitForURL(/msg=approve$/), commander.click('#approve')]);
    await expect(commander.locator('#campaign-status').innerText()).resolves.toBe('已发布(未生效)');
    await expect(commander.locator('#campaign-revisions .document-number').innerText()).resolves.toBe(
      '吕错峰〔2026〕1号',
    );
    await expect(commander.locator('#campaign-revisions .approval-comment').innerText()).resolves.toBe(
      '同意按方案实施',
    );
    // 孝义C级铁合金 stops (held one grade lower) and 中阳C级铁合金 staggers; the B coating one is exempt.
    await expect(commander.locator('#campaign-order-counts [data-k="total"]').innerText()).resolves.toBe('2');
    await expect(commander.locator('#campaign-orders-link').getAttribute('href')).resolves.toBe(
      `/alerts/${campaignId}#orders`,
    );
    await readable(commander);
    await commander.screenshot({ path: path.join(ARTIFACTS, 'campaign-record.png'), fullPage: true });
    // The pages it links to are the warning pages, serving any alert: its orders one by one, its timeline.
    await Promise.all([commander.waitForURL(/#orders$/), commander.click('#campaign-orders-link')]);
    expect(await commander.locator('#orders tr[data-order]').count()).toBe(2);
    await readable(commander);
    await commander.goto(record);
    await Promise.all([commander.waitForURL(/\/timeline$/), commander.click('#campaign-timeline-link')]);
    await expect(commander.locator('#timeline').innerText()).resolves.toContain('吕错峰〔2026〕1号');
    await readable(commander);
    await commander.context().close();

    // The duty officer's list and the enterprise page's card.
    await duty.goto(`${base}/campaigns`);
    const listed = duty.locator(`#campaign-record-list tr[data-campaign="${campaignId}"]`);
    await expect(listed.locator('.document-number').innerText()).resolves.toBe('吕错峰〔2026〕1号');
    await expect(listed.locator('.enterprises').innerText()).resolves.toBe('2');
    await expect(listed.locator('.status-name').innerText()).resolves.toBe('已发布(未生效)');
    await readable(duty);
    await duty.goto(`${base}/enterprises/${ids.xiaoyi}`);
    const card = duty.locator(`#year-campaigns tr[data-campaign="${campaignId}"]`);
    await expect(card.locator('a').innerText()).resolves.toBe('2026—2027年秋冬季差异化错峰生产');
    await expect(card.locator('a').getAttribute('href')).resolves.toBe(`/campaigns/records/${campaignId}`);
    await expect(card.locator('.measures').innerText()).resolves.toBe('停产');
    await expect(card.locator('.reasons').innerText()).resolves.toContain(
      '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控',
    );
    // The warning it got an order in stays in its own table.
    expect(await duty.locator(`#year-orders tr[data-alert="${alertId}"]`).count()).toBe(1);
    await readable(duty);
    await duty
      .locator('#year-controls')
      .screenshot({ path: path.join(ARTIFACTS, 'enterprise-year-campaign.png') });
    await duty.context().close();
  }, 90_000);
});
