/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ParsedMail } from 'mailparser';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';
import { freePort } from '../support/free-port';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const ENTERPRISES = 24;

/**
 * The console in a real headless Chromium: a duty officer records a consultation and drafts an orange
 * warning, a commander approves it, the dashboard follows dispatch to the in-test SMTP server, an
 * enterprise confirms through its link, and an auditor verifies the log. Screenshots go to test/artifacts/.
 */
describe('console in Chromium', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let base: string;
  let alertPath: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // Slow acceptance keeps messages in flight long enough for the bars to move while the page watches.
    sink = await startSmtpSink({ delayMs: 60 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      env: {
        SCHEDULER_ENABLED: 'true',
        SMTP_URL: sink.url,
        SMTP_POOL_SIZE: '2',
        APP_URL: base,
        SESSION_TTL_HOURS: '720',
      },
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(port, '127.0.0.1', resolve));
    const enterprises = t.app.get(EnterprisesService);
    for (let i = 0; i < ENTERPRISES; i++) {
      const e = await enterprises.create(
        enterpriseInput({
          countyCode: '141181',
          name: `孝义测试焦化${i + 1}号`,
          contacts: [
            { name: '联系人', role: '环保负责人', email: `e${i + 1}@test.example`, phone: '13800000000' },
          ],
        }),
        SYSTEM_ACTOR,
      );
      await enterprises.putPlan(
        e.id,
        { measures: [measure({ level: 'ORANGE', description: `焦炉限产30%(${i + 1}号)` })] },
        SYSTEM_ACTOR,
      );
    }
    await t.signIn(['DUTY_OFFICER'], 'zhiban');
    await t.signIn(['COMMANDER'], 'zhihui');
    await t.signIn(['AUDITOR'], 'shenji');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  const contexts: BrowserContext[] = [];
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    return context.newPage();
  };
  const signIn = async (username: string): Promise<Page> => {
    const page = await newPage();
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('#login-submit')]);
    return page;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  let duty: Page;

  it('shows a wrong password in the login form', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'zhiban');
    await page.fill('input[name=password]', 'wrong');
    await page.click('#login-submit');
    await expect(page.locator('#login-error').textContent()).resolves.toContain('用户名或密码');
    await shot(page, '01-login-error');
  });

  it('lets a duty officer record a consultation and draft an orange warning from it', async () => {
    duty = await signIn('zhiban');
    await expect(duty.locator('#consultation-status').textContent()).resolves.toContain('今日尚未会商');
    await shot(duty, '02-dashboard-before');
    await duty.click('a[href="/consultations"]');
    await duty.click('#new-consultation');
    await duty.fill('textarea[name=opinion]', '受静稳天气影响,孝义市将出现重污染过程');
    await duty.fill('input[name="aqi.141181.0"]', '235');
    await duty.fill('input[name="aqi.141181.1"]', '245');
    await duty.fill('input[name="aqi.141181.2"]', '160');
    await duty.fill('input[name="aqi.141102.0"]', '120');
    await Promise.all([
      duty.waitForURL(/\/consultations\/[0-9a-f-]{36}$/),
      duty.click('#submit-consultation'),
    ]);
    await expect(duty.locator('#recommendations tr[data-county="141181"]').textContent()).resolves.toContain(
      '橙色',
    );
    await shot(duty, '03-consultation');

    await duty.click('#draft-ORANGE');
    await expect(duty.locator('#level').inputValue()).resolves.toBe('ORANGE');
    await expect(duty.locator('input[name=countyCodes][value="141181"]').isChecked()).resolves.toBe(true);
    // 试算 first: the same figures the commander will see, nothing saved yet.
    await Promise.all([duty.waitForURL(`${base}/alerts/preview`), duty.click('#preview-draft')]);
    await expect(duty.locator('#preview-in-scope').textContent()).resolves.toBe(String(ENTERPRISES));
    await shot(duty, '04a-draft-dry-run');
    await Promise.all([
      duty.waitForURL(/\/alerts\/[0-9a-f-]{36}\?msg=drafted$/),
      duty.click('#submit-draft'),
    ]);
    alertPath = new URL(duty.url()).pathname;
    await expect(duty.locator('#preview-in-scope').textContent()).resolves.toBe(String(ENTERPRISES));
    await expect(duty.locator('#alert-status').textContent()).resolves.toBe('待审批');
    await shot(duty, '04-draft-preview');
  });

  it('lets a commander approve it, and the dashboard follows the dispatch live', async () => {
    await duty.goto(`${base}/dashboard`);
    await duty.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const sentCell = duty.locator(`[data-alert="${alertPath.split('/')[2]}"] .bar-num[data-k="sent"]`);
    const before = await sentCell.textContent();

    const commander = await signIn('zhihui');
    await commander.click('a[href="/approvals"]');
    await shot(commander, '05-approvals');
    await commander.click(`a[data-review="${alertPath.split('/')[2]}"]`);
    await commander.fill('input[name=comment]', '同意发布');
    await Promise.all([commander.waitForURL(/msg=approve$/), commander.click('#approve')]);
    await expect(commander.locator('#flash').textContent()).resolves.toContain('已批准');

    // The dashboard was rendered before approval (0/0): its bars fill through polling alone, no reload.
    const seen: string[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = (await sentCell.textContent()) ?? '';
      if (seen[seen.length - 1] !== text) seen.push(text);
      if (text === `${ENTERPRISES}/${ENTERPRISES}` || Date.now() > deadline) break;
      await duty.waitForTimeout(100);
    }
    expect(before).toBe('0/0');
    expect(seen[seen.length - 1]).toBe(`${ENTERPRISES}/${ENTERPRISES}`);
    expect(await duty.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await sink.waitFor(ENTERPRISES);
    expect(new Set(sink.messages.map((m) => (m.to as { text: string }).text)).size).toBe(ENTERPRISES);
    await shot(duty, '06-dashboard-dispatched');
  });

  it('confirms receipt through the enterprise link, and the console shows RECEIVED', async () => {
    const mail: ParsedMail = sink.messages.find(
      (m) => (m.to as { text: string }).text === 'e1@test.example',
    )!;
    const link = /https?:\/\/\S+\/ack\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')![0];
    expect(link.startsWith(base)).toBe(true);
    const enterprise = await newPage();
    await enterprise.goto(link);
    await expect(enterprise.locator('h1').textContent()).resolves.toContain('孝义测试焦化1号');
    await shot(enterprise, '07-ack-page');
    await enterprise.fill('input[name=signerName]', '王五');
    await enterprise.fill('input[name=signerPhone]', '13900000000');
    await Promise.all([enterprise.waitForLoadState(), enterprise.click('#confirm-receipt')]);
    await expect(enterprise.locator('#receipt-record').textContent()).resolves.toContain('王五');
    await expect(enterprise.locator('.notice').textContent()).resolves.toContain('已确认收到');

    await duty.goto(`${base}${alertPath}?state=RECEIVED`);
    const rows = duty.locator('#orders tr[data-order]');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().locator('.order-state').textContent()).resolves.toBe('已签收');
    await expect(rows.first().textContent()).resolves.toContain('孝义测试焦化1号');
    await shot(duty, '08-alert-detail');
  });

  it('lets an auditor verify the log', async () => {
    const auditor = await signIn('shenji');
    await auditor.click('a[href="/audit"]');
    await expect(
      auditor.locator('#audit-log .action-label[data-action="order.received"]').first().textContent(),
    ).resolves.toBe('企业确认收到');
    await shot(auditor, '09-audit');
    await auditor.click('#verify-chain');
    await expect(auditor.locator('#verify-result').textContent()).resolves.toMatch(
      /哈希链完整:已校验 \d+ 条/,
    );
    await shot(auditor, '10-audit-verify');
  });

  it('fits a tablet screen without sideways scrolling', async () => {
    await duty.setViewportSize({ width: 820, height: 1180 });
    for (const page of ['/dashboard', '/consultations', '/alerts', '/enterprises', '/adequacy']) {
      await duty.goto(`${base}${page}`);
      const overflow = await duty.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ page, overflow }).toEqual({ page, overflow: 0 });
    }
    await duty.goto(`${base}/dashboard`);
    await shot(duty, '11-dashboard-tablet');
  });
});
