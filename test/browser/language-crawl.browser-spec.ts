/// <reference lib="dom" />
import { CRAWL_ROLES, startConsoleCrawl, type ConsoleCrawl } from '../support/console-crawl';
import { foreignWords } from '../support/language';

/**
 * Issue 16, "Chinese everywhere a person reads": every console page, as every role, in headless Chromium; the
 * visible text may hold no English words or internal codes outside the allow-list.
 */
describe('the console in Chinese: a crawl of every page as every role', () => {
  let crawl: ConsoleCrawl;
  const findings: string[] = [];

  beforeAll(async () => {
    crawl = await startConsoleCrawl();
  }, 120_000);

  afterAll(async () => {
    await crawl?.close();
  });

  it('finds no English word or code on any page', async () => {
    const { base, pages, usernames } = crawl;
    expect(pages.length).toBeGreaterThan(15);

    for (const role of CRAWL_ROLES) {
      const page = await crawl.signedIn(role);
      for (const path of pages) {
        const res = await page.goto(`${base}${path}`);
        if (!res || res.headers()['content-type']?.includes('text/html') !== true) continue;
        const words = foreignWords(await page.innerText('body'), usernames);
        if (words.length) findings.push(`${role} ${path}: ${words.join(' ')}`);
      }
      await page.context().close();
    }
    expect(findings).toEqual([]);
  }, 300_000);
});
