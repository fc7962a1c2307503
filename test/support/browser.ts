import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from './free-port';
import { createTestApp, TEST_PASSWORD, type TestApp } from './test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the browser tests (ignored by git). */
export const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

/** Debian's Chromium, headless; refuses clearly when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The whole app listening on a free port of 127.0.0.1 (APP_URL set to it), its clock at `now`. */
export async function servedTestApp(
  env: Record<string, string>,
  now: string,
): Promise<{ t: TestApp; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ env: { APP_URL: base, SESSION_TTL_HOURS: '720', ...env } });
  t.clock.set(now);
  await new Promise<void>((resolve) => t.app.getHttpServer().listen(port, '127.0.0.1', resolve));
  return { t, base };
}

/** A new browser context signed in through the login form as `username` (made with t.signIn beforehand). */
export async function signedInPage(
  browser: Browser,
  base: string,
  username: string,
  opts: { width?: number; hasTouch?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 },
    locale: 'zh-CN',
    hasTouch: opts.hasTouch ?? false,
  });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('#login-submit')]);
  return page;
}
