/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../support/free-port';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

/**
 * The dashboard left open over plain http while its session ends (the clock passes SESSION_TTL, or another
 * request signs it out): the live poll's 401 turns into 登录已过期 with a link back to the page after signing in,
 * instead of bars that silently stop moving.
 */
describe('dashboard in Chromium when the session ends', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let alertId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { APP_URL: base, SESSION_TTL_HOURS: '1' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(port, '127.0.0.1', resolve));
    // A warning awaiting approval puts progress bars on the dashboard, and with them the poll.
    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '会商',
      })
      .expect(201);
    alertId = (body as { id: string }).id;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  const signIn = async (page: Page, path: string): Promise<void> => {
    await page.fill('input[name=username]', 'zhiban');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}${path}`), page.click('#login-submit')]);
  };

  /** The dashboard, signed in, once its poll has answered at least once. */
  const openDashboard = async (): Promise<{ page: Page; context: BrowserContext }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/dashboard`);
    await signIn(page, '/dashboard');
    await page.locator(`.progress[data-alert="${alertId}"][data-updated]`).waitFor();
    await expect(page.locator('#session-expired').count()).resolves.toBe(0);
    return { page, context };
  };

  const expectExpiredNotice = async (page: Page): Promise<void> => {
    const notice = page.locator('#session-expired');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('登录已过期');
    await expect(page.locator('#session-expired-login').getAttribute('href')).resolves.toBe(
      '/login?next=%2Fdashboard',
    );
  };

  it('says 登录已过期 once the clock passes SESSION_TTL, and its link signs in back to the dashboard', async () => {
    const { page } = await openDashboard();
    t.clock.advance(61 * 60_000);
    await expectExpiredNotice(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'session-expired-dashboard.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/login\?next=%2Fdashboard$/), page.click('#session-expired-login')]);
    await signIn(page, '/dashboard');
    await page.locator(`.progress[data-alert="${alertId}"][data-updated]`).waitFor();
    await expect(page.locator('#session-expired').count()).resolves.toBe(0);
  });

  it('says 登录已过期 once another request has signed the session out', async () => {
    const { page, context } = await openDashboard();
    const session = (await context.cookies(base)).find((c) => c.name === 'hz_session')!;
    await t.http().post('/api/auth/logout').set('Cookie', `hz_session=${session.value}`).send({}).expect(204);
    await expectExpiredNotice(page);
  });
});
