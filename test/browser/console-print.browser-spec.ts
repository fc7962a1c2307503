/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from '../support/browser';
import { startConsoleCrawl, type ConsoleCrawl } from '../support/console-crawl';

/**
 * Issue 16: the warning page and its assessment print as documents: in print media the console's header, nav,
 * buttons and forms are gone and the content stays; the warning's PDF holds its number and none of the chrome.
 * Artifacts: test/artifacts/alert-print.pdf, alert-print.png, assessment-print.png.
 */
describe('printing the warning and its assessment', () => {
  let crawl: ConsoleCrawl;
  let page: Page;
  let code: string;

  beforeAll(async () => {
    crawl = await startConsoleCrawl();
    page = await crawl.signedIn('DUTY_OFFICER');
    const duty = await crawl.t.signIn(['DUTY_OFFICER']);
    code = (await duty.get(`/api/alerts/${crawl.alertId}`).expect(200)).body.code;
  }, 120_000);

  afterAll(async () => {
    await crawl?.close();
  });

  /** What is visible of the page on screen and in print, and how wide `content` is laid out against main. */
  async function printView(url: string, content: string, shot: string) {
    const visible = async () => ({
      header: await page.isVisible('header.topbar'),
      nav: await page.isVisible('nav.nav'),
      logout: await page.isVisible('#logout'),
      footer: await page.isVisible('footer.footer'),
      buttons: await page.locator('button:visible').count(),
      forms: await page.locator('form:visible').count(),
      title: await page.isVisible('main h1'),
      content: await page.isVisible(content),
    });
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${crawl.base}${url}`);
    const screen = await visible();
    await page.emulateMedia({ media: 'print' });
    const print = await visible();
    const [table, main] = await page.evaluate(
      (sel) => [
        document.querySelector(sel)!.getBoundingClientRect().width,
        document.querySelector('main')!.getBoundingClientRect().width,
      ],
      content,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, shot), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    return { screen, print, fullWidth: table >= main - 1 };
  }

  const ON_SCREEN = { header: true, nav: true, logout: true, footer: true, title: true, content: true };
  const IN_PRINT = {
    header: false,
    nav: false,
    logout: false,
    footer: false,
    buttons: 0,
    forms: 0,
    title: true,
    content: true,
  };

  it('prints the warning page without nav, buttons or forms, its orders full width', async () => {
    const view = await printView(`/alerts/${crawl.alertId}`, '#orders', 'alert-print.png');
    // On screen the chrome is there, so its absence in print means something.
    expect(view.screen).toMatchObject(ON_SCREEN);
    expect(view.screen.buttons).toBeGreaterThan(0);
    expect(view.print).toEqual(IN_PRINT);
    expect(view.fullWidth).toBe(true);
  });

  it('prints the assessment page the same way', async () => {
    const view = await printView(
      `/alerts/${crawl.alertId}/assessment`,
      '#assessment-timing',
      'assessment-print.png',
    );
    expect(view.screen).toMatchObject(ON_SCREEN);
    expect(view.print).toEqual(IN_PRINT);
    expect(view.fullWidth).toBe(true);
  });

  it('makes a PDF of the warning with its number and the enterprises, and no console chrome', async () => {
    await page.goto(`${crawl.base}/alerts/${crawl.alertId}`);
    await page.emulateMedia({ media: 'print' }); // what page.pdf() lays out by default, said once more
    const file = path.join(ARTIFACTS, 'alert-print.pdf');
    await page.pdf({ path: file, format: 'A4' });
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(code);
    // A name may wrap inside its narrow column: read the cells in order (-raw) and join the lines.
    const cells = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(cells).toContain('语言巡检焦化1号');
    for (const chrome of [
      '退出',
      '发件箱',
      '达标核算',
      '省级指令',
      '北京时间 · 吕梁市生态环境局',
      '提交调整',
      '筛选',
    ])
      expect([chrome, text.includes(chrome)]).toEqual([chrome, false]);
  });
});
