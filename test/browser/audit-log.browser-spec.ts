/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { Role } from '../../src/auth/roles';
import { UsersService } from '../../src/auth/users.service';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { TEST_PASSWORD, type TestApp } from '../support/test-app';
import request from 'supertest';

/**
 * Issue 16, "Audit log": an auditor filters the log by action and by enterprise in Chromium, reads the rows newest
 * first with people by display name, opens a row's raw record; the time column never wraps.
 */
describe('the audit log page, in Chromium', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let base: string;
  let s: Scenario;

  async function person(username: string, displayName: string, roles: Role[]) {
    await t.app
      .get(UsersService)
      .create({ username, password: TEST_PASSWORD, roles, displayName }, SYSTEM_ACTOR);
    const agent = request.agent(t.app.getHttpServer());
    await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200);
    return agent;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    ({ t, base } = await servedTestApp({ SMTP_URL: sink.url }, '2026-11-28T09:00:00+08:00'));
    const agents = {
      admin: await person('admin-zhang', '管理员张伟', ['ADMIN']),
      duty: await person('duty-wang', '值班员王芳', ['DUTY_OFFICER']),
      commander: await person('cmd-li', '指挥长李明', ['COMMANDER']),
    };
    s = await scenario(t, { sink, agents })
      .enterprises([
        { key: 'jia', input: { name: '页面筛选焦化甲厂', countyCode: '141181' } },
        { key: 'yi', input: { name: '页面筛选焦化乙厂', countyCode: '141181' } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], reason: '会商研判,污染加重' })
      .approved()
      .delivered();
    // 甲 confirms first, 乙 an hour later: newest first puts 乙 on top.
    t.clock.set('2026-11-28T10:00:00+08:00');
    await s.receipt('jia');
    t.clock.set('2026-11-28T11:00:00+08:00');
    await s.receipt('yi');
    await person('auditor-zhao', '审计员赵敏', ['AUDITOR']);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  const rows = (page: Page) => page.locator('#audit-log tr[data-id]');
  const submit = (page: Page) =>
    Promise.all([page.waitForURL(/\/audit\?/), page.click('#audit-filters button[type=submit]')]);

  it('filters by action and by enterprise, newest first, with names, and opens a record', async () => {
    // Narrow enough that a wrapping time column would wrap.
    const page = await signedInPage(browser, base, 'auditor-zhao', { width: 900 });
    await page.goto(`${base}/audit`);

    await page.selectOption('select[name=action]', { label: '企业确认收到' });
    await submit(page);
    expect(new URL(page.url()).searchParams.get('action')).toBe('order.received');
    await expect(rows(page).locator('.action-label').allTextContents()).resolves.toEqual([
      '企业确认收到',
      '企业确认收到',
    ]);
    await expect(rows(page).locator('.subject-name').allTextContents()).resolves.toEqual([
      '页面筛选焦化乙厂',
      '页面筛选焦化甲厂',
    ]);
    await expect(rows(page).locator('.audit-time').allTextContents()).resolves.toEqual([
      '2026年11月28日 11:00',
      '2026年11月28日 10:00',
    ]);
    // The choice stays in the form.
    await expect(page.locator('select[name=action] option:checked').textContent()).resolves.toBe(
      '企业确认收到',
    );

    await page.fill('input[name=enterprise]', '焦化甲');
    await submit(page);
    await expect(rows(page).locator('.subject-name').allTextContents()).resolves.toEqual([
      '页面筛选焦化甲厂',
    ]);
    await expect(rows(page).locator('.audit-actor').allTextContents()).resolves.toEqual(['页面筛选焦化甲厂']);

    // The raw record is folded until asked for.
    const record = rows(page).first().locator('code.data');
    await expect(record.isVisible()).resolves.toBe(false);
    await rows(page).first().locator('summary').click();
    await expect(record.isVisible()).resolves.toBe(true);
    await expect(record.textContent()).resolves.toContain('"RECEIVED"');

    // The time stays on one line.
    const time = rows(page).first().locator('.audit-time');
    await expect(time.evaluate((el) => getComputedStyle(el).whiteSpace)).resolves.toBe('nowrap');
    await expect(
      time.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    ).resolves.toBe(1);
  });

  it('names the people by display name, never by username, and says when nothing matches', async () => {
    const page = await signedInPage(browser, base, 'auditor-zhao');
    await page.goto(`${base}/audit`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-log.png'), fullPage: true });
    await page.selectOption('select[name=actor]', { label: '指挥长李明' });
    await page.selectOption('select[name=action]', { label: '审批通过' });
    await submit(page);
    await expect(rows(page).locator('.audit-actor').allTextContents()).resolves.toEqual(['指挥长李明']);
    await expect(rows(page).locator('.audit-summary').textContent()).resolves.toMatch(
      /^发布 · 级别 橙色 · 生效 2026年11月28日 20:00 · 文号 /,
    );
    const table = await page.locator('#audit-log').innerText();
    for (const username of ['cmd-li', 'duty-wang', 'admin-zhang']) expect(table).not.toContain(username);

    await page.fill('input[name=warning]', '2099-999');
    await submit(page);
    await expect(page.locator('#audit-empty').textContent()).resolves.toBe('没有符合条件的记录。');
  });
});
