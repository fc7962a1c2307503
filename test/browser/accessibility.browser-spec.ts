/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { ARTIFACTS } from '../support/browser';
import { CRAWL_ROLES, startConsoleCrawl, type ConsoleCrawl } from '../support/console-crawl';

/**
 * How wide the page is laid out, in CSS pixels (wider than the viewport: the page scrolls sideways), and the
 * innermost elements reaching past the viewport, to say what to fix.
 */
const pageWidth = (page: Page) =>
  page.evaluate(() => {
    const sticking = [...document.body.querySelectorAll('*')].filter(
      (el) =>
        el.getBoundingClientRect().right > window.innerWidth + 0.5 &&
        ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5),
    );
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    return {
      width: document.documentElement.scrollWidth,
      culprits: sticking
        .slice(0, 3)
        .map((el) => `${el.parentElement ? name(el.parentElement) : ''} > ${name(el)}`),
    };
  });

/**
 * Issue 16: every console page as every role, and the pages people reach without an account (login, the
 * enterprise's ack and print pages, a county bureau's page, the error pages), pass axe-core's WCAG 2 A/AA rules
 * with no serious or critical violation, and none of them scrolls sideways on a 375 px phone.
 */
describe('accessibility and 375 px: a crawl of every page', () => {
  let crawl: ConsoleCrawl;
  let anonymous: string[];

  beforeAll(async () => {
    crawl = await startConsoleCrawl();
    anonymous = [
      '/login',
      crawl.ackPath,
      `${crawl.ackPath}/print`,
      crawl.partyPath,
      '/ack/not-a-token', // the ack error page
      '/alerts/00000000-0000-4000-8000-000000000000', // the console error page (signed out: the login page)
    ];
  }, 120_000);

  afterAll(async () => {
    await crawl?.close();
  });

  /** Each page as each role (and the public pages signed out) at `width`, `check` collecting findings. */
  async function crawlAll(
    width: number,
    check: (page: Page, label: string) => Promise<string[]>,
  ): Promise<string[]> {
    const { base, pages } = crawl;
    const findings: string[] = [];
    const visit = async (page: Page, who: string, paths: string[]) => {
      for (const p of paths) {
        const res = await page.goto(`${base}${p}`);
        if (!res || res.headers()['content-type']?.includes('text/html') !== true) continue;
        findings.push(...(await check(page, `${who} ${p}`)));
      }
    };
    for (const role of CRAWL_ROLES) {
      const page = await crawl.signedIn(role, { width });
      await visit(page, role, [...pages, '/alerts/00000000-0000-4000-8000-000000000000', crawl.ackPath]);
      await page.context().close();
    }
    const context = await crawl.browser.newContext({
      viewport: { width, height: 900 },
      locale: 'zh-CN',
    });
    await visit(await context.newPage(), '(未登录)', anonymous);
    await context.close();
    return findings;
  }

  it('finds no serious or critical WCAG 2 A/AA violation on any page', async () => {
    expect(crawl.pages.length).toBeGreaterThan(15);
    const findings = await crawlAll(1280, axeViolations);
    expect(findings).toEqual([]);
  }, 600_000);

  it('lays every page out within 375 px (wide tables scroll inside their box)', async () => {
    let shot = false;
    const findings = await crawlAll(375, async (page, label) => {
      if (!shot && label.includes(`/alerts/${crawl.alertId}`)) {
        await page.screenshot({ path: path.join(ARTIFACTS, 'alert-375.png') });
        await page
          .locator('section', { has: page.locator('#orders') })
          .screenshot({ path: path.join(ARTIFACTS, 'alert-375-orders.png') });
        shot = true;
      }
      const { width, culprits } = await pageWidth(page);
      return width > 375 ? [`${label}: ${width}px (${culprits.join(', ')})`] : [];
    });
    expect(findings).toEqual([]);
  }, 600_000);
});
