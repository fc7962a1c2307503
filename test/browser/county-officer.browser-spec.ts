/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import type { TestApp } from '../support/test-app';

/** A 1×1 PNG: the server knows it by its bytes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Issue 17, "County bureaus inside the system": a 石楼县 officer signs in to the dashboard, opens the warning and
 * the enterprises of 石楼县 only, records a phone call on 石楼县's order through the follow-up form, and an
 * inspection with a photo through the inspection form; 孝义市's order is a not-found page.
 */
describe('a county bureau officer in the console, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let alertId: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'hz-county-browser-'));
    ({ t, base } = await servedTestApp({ DATA_DIR: dataDir }, '2026-12-01T10:00:00+08:00'));
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
    rmSync(dataDir, { recursive: true, force: true });
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

  it('records an inspection with a photo on 石楼县’s order, and gets the not-found page for 孝义市’s', async () => {
    t.clock.set('2026-12-01T11:00:00+08:00');
    const page = await signedInPage(browser, base, 'shilou');
    await page.goto(`${base}/alerts/${alertId}`);
    // The inspection link is offered on the order the officer may inspect (their county's only are listed).
    const links = page.locator('#orders a.inspect-order');
    await expect(links.count()).resolves.toBe(1);
    await Promise.all([page.waitForURL(/\/orders\/[^/]+\/inspections$/), links.first().click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('现场检查 · 石楼分局测试焦化1号');
    await page.fill('#inspection-time', '2026-12-01T10:30');
    await page.fill('#inspection-inspectors', '石楼分局 张三\n石楼分局 李四');
    await page.fill('#inspection-findings', '焦炉已按要求停产');
    await page.selectOption('#inspection-result', 'COMPLIANT');
    await page.setInputFiles('#inspection-photos', { name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForURL(/msg=recorded/), page.click('#inspection-submit')]);
    await expect(page.locator('#inspection-flash').textContent()).resolves.toBe('检查记录已保存。');
    const record = page.locator('article.inspection').first();
    await expect(record.locator('.inspection-result').textContent()).resolves.toBe('措施落实');
    // The photo is served back to the officer and drawn: the browser decoded the real image.
    await expect(
      record
        .locator('img.inspection-photo')
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'county-officer-inspection.png'), fullPage: true });
    const saved = await t.dataSource.query(
      `SELECT i.recorded_by_name, o.county_code, (SELECT count(*)::int FROM inspection_photo p WHERE p.inspection_id = i.id) AS photos
         FROM inspection i JOIN reduction_order o ON o.id = i.order_id`,
    );
    expect(saved).toEqual([{ recorded_by_name: 'shilou', county_code: '141126', photos: 1 }]);

    const [xiaoyi] = await t.dataSource.query<Array<{ id: string }>>(
      `SELECT o.id FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id WHERE e.name = '孝义分局测试焦化2号'`,
    );
    const res = await page.goto(`${base}/orders/${xiaoyi.id}/inspections`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('#error-status').getAttribute('data-code')).resolves.toBe('NOT_FOUND');
    await expect(page.locator('#error-message').textContent()).resolves.toBe('指令不存在');
    expect(await page.locator('#inspection-form').count()).toBe(0);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'county-officer-inspection-not-found.png'),
      fullPage: true,
    });
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
