/// <reference lib="dom" />
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import type { TestApp } from '../support/test-app';

/**
 * Issue 17, "County bureaus inside the system": a 石楼县 officer signs in to the dashboard, opens the warning and
 * the enterprises of 石楼县 only, and records a phone call on 石楼县's order through the follow-up form.
 */
describe('a county bureau officer in the console, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let alertId: string;

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    for (const [countyCode, name] of [
      ['141126', '石楼分局测试焦化1号'],
      ['141181', '孝义分局测试焦化2号'],
    ]) {
      const e = await enterprises.create(enterpriseInput({ countyCode, name }), SYSTEM_ACTOR);
      await enterprises.putPlan(e.id, { measures: [measure({ level: 'ORANGE' })] }, SYSTEM_ACTOR);
    }
    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    const commander = await t.signIn(['COMMANDER'], 'zhihui');
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141126', '141181'],
        effectiveAt: '2026-12-01T10:00:00+08:00',
        reason: '会商研判,污染已较重',
      })
      .expect(201);
    alertId = body.id as string;
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    await t.signIn(['COUNTY_OFFICER'], 'shilou', ['141126']);
    await t.signIn(['ADMIN'], 'guanli');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows 石楼县 only and records a phone call on its order', async () => {
    const page = await signedInPage(browser, base, 'shilou');
    // The sections a county bureau may open, nothing of the city's own work.
    expect(await page.locator('nav a').allInnerTexts()).toEqual(
      expect.arrayContaining(['总览', '预警', '企业']),
    );
    expect(await page.locator('nav a', { hasText: '会商' }).count()).toBe(0);
    await page.waitForSelector('#dashboard-map');
    await page.screenshot({ path: path.join(ARTIFACTS, 'county-officer-dashboard.png'), fullPage: true });

    await page.goto(`${base}/enterprises`);
    const names = await page.locator('#enterprise-list').innerText();
    expect(names).toContain('石楼分局测试焦化1号');
    expect(names).not.toContain('孝义分局测试焦化2号');
    await page.screenshot({ path: path.join(ARTIFACTS, 'county-officer-enterprises.png'), fullPage: true });

    await page.goto(`${base}/alerts/${alertId}`);
    const orders = await page.locator('#orders').innerText();
    expect(orders).toContain('石楼分局测试焦化1号');
    expect(orders).not.toContain('孝义分局测试焦化2号');
    await page.screenshot({ path: path.join(ARTIFACTS, 'county-officer-alert.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/orders\/[^/]+\/follow-ups/), page.click('a.record-call')]);
    await page.selectOption('#follow-up-outcome', 'REACHED');
    await page.fill('#follow-up-note', '已电话通知企业落实停产');
    await page.screenshot({ path: path.join(ARTIFACTS, 'county-officer-follow-up.png'), fullPage: true });
    await Promise.all([
      page.waitForURL(new RegExp(`/alerts/${alertId}\\?msg=followed-up`)),
      page.click('#follow-up-submit'),
    ]);
    const saved = await t.dataSource.query(
      `SELECT f.recorded_by_name, o.county_code FROM order_follow_up f JOIN reduction_order o ON o.id = f.order_id`,
    );
    expect(saved).toEqual([{ recorded_by_name: 'shilou', county_code: '141126' }]);
    await page.context().close();
  }, 60_000);

  it('creates a county officer on the users page, its county chosen', async () => {
    const page = await signedInPage(browser, base, 'guanli');
    await page.goto(`${base}/users`);
    await page.fill('#create-user input[name=username]', 'fenju.shilou');
    await page.fill('#create-user input[name=password]', 'a-long-password');
    await page.check('#create-user input[name=roles][value=COUNTY_OFFICER]');
    await page.selectOption('#create-user select[name=countyCodes]', ['141126']);
    await Promise.all([page.waitForURL(/\/users\?msg=created/), page.click('#submit-user')]);
    expect(await page.locator('tr[data-user="fenju.shilou"] select[name=countyCodes]').inputValue()).toBe(
      '141126',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'county-officer-users.png'), fullPage: true });
    await page.context().close();
  }, 60_000);
});
