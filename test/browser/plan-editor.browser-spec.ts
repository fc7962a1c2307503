/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { foreignWords } from '../support/language';
import { TEST_PASSWORD, type TestApp } from '../support/test-app';

/**
 * Issue 16, "Plan editor": the inputs follow the chosen action, measures are added and removed in place, saving
 * says which version it made, and two versions are compared field by field.
 */
describe('the plan editor and the version diff, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let id: string;

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-12-01T10:00:00+08:00'));
    id = (
      await t.app
        .get(EnterprisesService)
        .create(enterpriseInput({ name: '方案编辑焦化有限公司' }), SYSTEM_ACTOR)
    ).id;
    await t.signIn(['ADMIN'], 'bianji');
    await t.dataSource.query(`UPDATE app_user SET display_name = '李编辑' WHERE username = 'bianji'`);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const row = (page: Page, index: number) => page.locator(`.measure-row[data-row="${index}"]`);
  const param = (page: Page, index: number, key: string) =>
    row(page, index).locator(`label[data-param="${key}"]`);

  const save = async (page: Page, version: number) => {
    await Promise.all([
      page.waitForURL(`${base}/enterprises/${id}?saved=${version}`),
      page.click('#save-plan'),
    ]);
    await expect(page.locator('#plan-saved').innerText()).resolves.toBe(`已保存为第${version}版`);
  };

  it('shows the inputs of the chosen action only, adds and removes measures, and says the version saved', async () => {
    const page = await signedInPage(browser, base, 'bianji');
    await page.goto(`${base}/enterprises/${id}/plan`);
    // No action chosen yet: no parameter inputs.
    await expect(param(page, 0, 'percent').isVisible()).resolves.toBe(false);
    await row(page, 0).locator('select[name="m.0.action"]').selectOption('LIMIT_PERCENT');
    await expect(param(page, 0, 'percent').isVisible()).resolves.toBe(true);
    await expect(param(page, 0, 'pm').isVisible()).resolves.toBe(false);
    await expect(param(page, 0, 'hours').isVisible()).resolves.toBe(false);
    await row(page, 0).locator('select[name="m.0.action"]').selectOption('CONCENTRATION_CAP');
    await expect(param(page, 0, 'pm').isVisible()).resolves.toBe(true);
    await expect(param(page, 0, 'percent').isVisible()).resolves.toBe(false);
    await row(page, 0).locator('select[name="m.0.action"]').selectOption('LIMIT_PERCENT');

    await page.selectOption('select[name="m.0.level"]', 'YELLOW');
    await page.fill('input[name="m.0.line"]', 'JL1');
    await page.fill('input[name="m.0.p.percent"]', '20');
    await page.fill('input[name="m.0.description"]', '限产20%');
    await page.fill('input[name="m.0.so2"]', '20');
    await page.selectOption('select[name="m.0.verification"]', 'POWER_SUBMETER');

    // Three rows to start with; one more, then the second one removed: the rest are numbered again.
    await expect(page.locator('.measure-row').count()).resolves.toBe(3);
    await page.click('#add-measure');
    await expect(page.locator('.measure-row').count()).resolves.toBe(4);
    await expect(row(page, 3).locator('.measure-number').innerText()).resolves.toBe('第4条措施');
    await row(page, 1).locator('.remove-measure').click();
    await expect(page.locator('.measure-row').count()).resolves.toBe(3);
    await expect(row(page, 3).locator('.measure-number').innerText()).resolves.toBe('第3条措施');
    await page.selectOption('select[name="m.3.level"]', 'RED');
    await page.selectOption('select[name="m.3.action"]', 'STOP');
    await expect(param(page, 3, 'percent').isVisible()).resolves.toBe(false);
    await page.fill('input[name="m.3.description"]', '全厂停产');
    await page.fill('input[name="m.3.so2"]', '80');
    await page.selectOption('select[name="m.3.verification"]', 'CEMS');
    await page.screenshot({ path: path.join(ARTIFACTS, 'plan-editor.png'), fullPage: true });
    await save(page, 1);
    await expect(page.locator('#plan-versions tr[data-version="1"]').innerText()).resolves.toContain(
      '李编辑',
    );

    // Again: the stored measure opens with its action's inputs only; a new percent makes version 2.
    await page.goto(`${base}/enterprises/${id}/plan`);
    await expect(param(page, 0, 'percent').locator('input').inputValue()).resolves.toBe('20');
    await expect(param(page, 0, 'percent').isVisible()).resolves.toBe(true);
    await expect(param(page, 0, 'so2').isVisible()).resolves.toBe(false);
    await expect(row(page, 1).locator('select[name="m.1.action"]').inputValue()).resolves.toBe('STOP');
    await page.fill('input[name="m.0.p.percent"]', '30');
    await save(page, 2);
    const plan = await t.app.get(EnterprisesService).getPlan(id);
    expect(plan.measures.map((m) => [m.level, m.action, m.params])).toEqual([
      ['YELLOW', 'LIMIT_PERCENT', { percent: 30 }],
      ['RED', 'STOP', {}],
    ]);

    await page.locator('#plan-versions').screenshot({ path: path.join(ARTIFACTS, 'plan-versions.png') });
    expect(foreignWords(await page.innerText('body'), ['bianji'])).toEqual([]);
    // Versions 1 ↔ 2 (the page picks the current one and the one before).
    await expect(page.locator('input[name="from"][value="1"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('input[name="to"][value="2"]').isChecked()).resolves.toBe(true);
    await Promise.all([
      page.waitForURL(
        (url) =>
          url.pathname === `/enterprises/${id}/plan/diff` &&
          url.searchParams.get('from') === '1' &&
          url.searchParams.get('to') === '2',
      ),
      page.click('#plan-diff-submit'),
    ]);
    const change = page.locator('.diff-level[data-level="YELLOW"] li[data-field="params.percent"]');
    await expect(change.innerText()).resolves.toBe('限产比例:20 % → 30 %');
    await expect(change.locator('.diff-old').innerText()).resolves.toBe('20 %');
    await expect(change.locator('.diff-new').innerText()).resolves.toBe('30 %');
    await expect(page.locator('#plan-diff-summary').innerText()).resolves.toContain('修改 1 条');
    await page.screenshot({ path: path.join(ARTIFACTS, 'plan-diff.png'), fullPage: true });
    expect(foreignWords(await page.innerText('body'), ['bianji'])).toEqual([]);
  }, 60_000);

  it('names every error at once by measure and field, keeping the values and the action’s inputs', async () => {
    const page = await signedInPage(browser, base, 'bianji');
    await page.goto(`${base}/enterprises/${id}/plan`);
    await page.fill('input[name="m.0.p.percent"]', '');
    await page.fill('input[name="m.0.description"]', '');
    await page.fill('input[name="m.0.nox"]', '多');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 422),
      page.click('#save-plan'),
    ]);
    const errors = await page.locator('#plan-errors li').allInnerTexts();
    expect(errors).toEqual([
      '第1条措施 限产比例：请填写',
      '第1条措施 NOₓ减排量：应为数字(kg/d),填写的是“多”',
      '第1条措施 措施说明：措施描述不能为空',
    ]);
    await expect(param(page, 0, 'percent').getAttribute('class')).resolves.toContain('has-error');
    await expect(param(page, 0, 'percent').isVisible()).resolves.toBe(true);
    await expect(param(page, 0, 'pm').isVisible()).resolves.toBe(false);
    await expect(page.locator('input[name="m.0.nox"]').inputValue()).resolves.toBe('多');
    expect(foreignWords(await page.innerText('body'), ['bianji'])).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'plan-editor-errors.png'), fullPage: true });
  }, 60_000);

  it('shows every input without the script, and the server reads only those the action needs', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'bianji');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('#login-submit')]);
    await page.goto(`${base}/enterprises/${id}/plan`);
    await expect(param(page, 0, 'percent').isVisible()).resolves.toBe(true);
    await expect(param(page, 0, 'pm').isVisible()).resolves.toBe(true);
    await expect(page.locator('#add-measure').isVisible()).resolves.toBe(false);
    // A cap value typed into the LIMIT_PERCENT measure is ignored; the second measure is removed by its box.
    await page.fill('input[name="m.0.p.pm"]', '10');
    await page.fill('input[name="m.0.p.percent"]', '40');
    await page.check('input[name="m.1.remove"]');
    await Promise.all([page.waitForURL(`${base}/enterprises/${id}?saved=3`), page.click('#save-plan')]);
    const plan = await t.app.get(EnterprisesService).getPlan(id);
    expect(plan.measures.map((m) => [m.action, m.params])).toEqual([['LIMIT_PERCENT', { percent: 40 }]]);
    await context.close();
  }, 60_000);
});
