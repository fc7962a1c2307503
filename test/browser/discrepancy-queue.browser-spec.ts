/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { foreignWords } from '../support/language';
import { discrepancyWarning, SHILOU, type DiscrepancyWarning } from '../support/reconciliation-setup';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import type { TestApp } from '../support/test-app';

const USERNAMES = ['zhiban', 'zhihui', 'guanli', 'shilou'];

/**
 * Issue 17, "the console pages for county officers and the discrepancy queue, tested in Chromium": a duty officer
 * runs 立即核查 on the warning page and sees its figures per county; a 石楼县 officer opens 监测核查, sees only
 * 石楼县's findings (the one against the enterprise's own report marked 与自报不符), reviews one (an explanation
 * without a reason is refused with the reason why; a confirmation with a note is kept, the filters with it), and
 * cannot open a 孝义市 finding.
 */
describe('the discrepancy queue in Chromium', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let w: DiscrepancyWarning;

  const discrepancyOf = async (key: string) =>
    (
      await t.dataSource.query<
        Array<{ id: string; review_outcome: string | null; review_note: string | null }>
      >('SELECT id, review_outcome, review_note FROM telemetry_discrepancy WHERE enterprise_id = $1', [
        w.s.ids[key],
      ])
    )[0];
  /** The page in Chinese (issue 16's language rule) and without serious WCAG 2 A/AA violations (its axe rule). */
  const readable = async (page: Page) => {
    expect(foreignWords(await page.innerText('body'), USERNAMES)).toEqual([]);
    expect(await axeViolations(page, page.url())).toEqual([]);
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    ({ t, base } = await servedTestApp({ SMTP_URL: sink.url }, '2026-12-01T10:00:00+08:00'));
    const [duty, commander, admin] = [
      await t.signIn(['DUTY_OFFICER'], 'zhiban'),
      await t.signIn(['COMMANDER'], 'zhihui'),
      await t.signIn(['ADMIN'], 'guanli'),
    ];
    w = await discrepancyWarning(t, sink, { duty, commander, admin });
    await t.signIn(['COUNTY_OFFICER'], 'shilou', [SHILOU]);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  it('lets a duty officer run 立即核查 on the warning page and see the figures per county', async () => {
    const page = await signedInPage(browser, base, 'zhiban');
    await page.goto(`${base}/alerts/${w.s.alertId}`);
    expect(await page.locator('#reconciliation-none').innerText()).toBe('尚未核查。');
    await Promise.all([
      page.waitForURL(new RegExp(`/alerts/${w.s.alertId}\\?msg=reconciliation`)),
      page.click('#reconcile-now'),
    ]);
    expect(await page.locator('#flash').innerText()).toContain('监测核查已完成');
    const cells = (county: string) =>
      page.locator(`#reconciliation-counties tr[data-county-name="${county}"] td`).allInnerTexts();
    // 指令, 核查项, 未接入计量, 核查小时, 不合格小时, 超出允许值, 数据缺失, 与自报不符 (11:00–16:00 checked).
    expect(await cells('孝义市')).toEqual(['孝义市', '1', '1', '0', '5', '5', '1', '0', '1']);
    expect(await cells('石楼县')).toEqual(['石楼县', '2', '2', '0', '10', '7', '1', '1', '1']);
    expect(await cells('合计')).toEqual(['3', '3', '0', '15', '12', '2', '1', '2']);
    expect(await page.locator('#reconciliation-meta').innerText()).toContain('核查时长');
    await readable(page);
    await page
      .locator('#reconciliation')
      .screenshot({ path: path.join(ARTIFACTS, 'reconciliation-section.png') });

    await Promise.all([page.waitForURL(/\/discrepancies\?alert=/), page.click('#reconciliation-queue')]);
    expect(await page.locator('#discrepancy-list tr[data-discrepancy]').count()).toBe(3);
    expect(await page.locator('#discrepancy-list .self-reported').count()).toBe(2);
    await page.context().close();
  }, 60_000);

  it('shows a 石楼县 officer their findings only, and takes their review with the filters kept', async () => {
    const page = await signedInPage(browser, base, 'shilou');
    await Promise.all([page.waitForURL(`${base}/discrepancies`), page.click('nav a:has-text("监测核查")')]);
    const rows = page.locator('#discrepancy-list tr[data-discrepancy]');
    expect(await rows.count()).toBe(2);
    const list = await page.locator('#discrepancy-list').innerText();
    expect(list).toContain('石楼核查停产焦化有限公司');
    expect(list).toContain('石楼核查断数焦化有限公司');
    expect(list).not.toContain('孝义');
    // The county filter offers their county only.
    expect(await page.locator('select[name=county] option').allInnerTexts()).toEqual(['全部', '石楼县']);

    // The enterprise's report against the meter first, marked; the missing data not.
    const stop = rows.nth(0);
    expect(await stop.locator('td').first().innerText()).toContain('石楼核查停产焦化有限公司');
    expect(await stop.locator('.self-reported').innerText()).toBe('与自报不符');
    expect(await stop.locator('td').nth(2).innerText()).toBe('JL1 1号焦炉');
    expect(await stop.locator('td').nth(3).innerText()).toBe('停产');
    expect(await stop.locator('td').nth(4).innerText()).toBe('用电功率(kW)');
    expect(await stop.locator('td.span').innerText()).toBe('12月1日 11:00–16:00\n5 小时');
    expect(await stop.locator('td').nth(7).innerText()).toBe('≤ 100 kW');
    expect(await stop.locator('td.observed').innerText()).toBe('峰值 1000 kW\n均值 1000 kW');
    const gap = rows.nth(1);
    expect(await gap.locator('.self-reported').count()).toBe(0);
    expect(await gap.locator('td').nth(5).innerText()).toBe('数据缺失');
    expect(await gap.locator('td.span').innerText()).toBe('12月1日 13:00–15:00\n2 小时');
    expect(await gap.locator('td.observed').innerText()).toBe('无数据');
    await readable(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'discrepancy-queue.png'), fullPage: true });

    // Filter to what exceeded the order, waiting review: the URL carries the filters.
    await page.selectOption('select[name=kind]', 'EXCEEDED');
    await page.selectOption('select[name=reviewed]', 'false');
    await Promise.all([
      page.waitForURL(/\/discrepancies\?.*kind=EXCEEDED.*reviewed=false/),
      page.click('#discrepancy-filters button'),
    ]);
    expect(await rows.count()).toBe(1);
    const id = (await discrepancyOf('shilou')).id;
    const form = page.locator(`form[data-review="${id}"]`);

    // 已说明 without a reason: refused on the page with the field's message, nothing saved.
    await form.locator('select[name=outcome]').selectOption('EXPLAINED');
    await Promise.all([
      page.waitForURL(new RegExp(`/discrepancies/${id}/review`)),
      form.locator('button').click(),
    ]);
    expect(await page.locator(`form[data-review="${id}"] .review-error`).innerText()).toBe(
      '说明:认定为非违规时须写明原因',
    );
    expect(await page.locator(`form[data-review="${id}"] select[name=outcome]`).inputValue()).toBe(
      'EXPLAINED',
    );
    expect((await discrepancyOf('shilou')).review_outcome).toBeNull();
    await readable(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'discrepancy-review-refused.png'), fullPage: true });

    // 属实 with a note: kept, and back to the queue as it was filtered.
    const again = page.locator(`form[data-review="${id}"]`);
    await again.locator('select[name=outcome]').selectOption('CONFIRMED');
    await again.locator('textarea[name=note]').fill('现场核实焦炉未停产');
    await Promise.all([page.waitForURL(/msg=reviewed/), again.locator('button').click()]);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/discrepancies');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      kind: 'EXCEEDED',
      reviewed: 'false',
      msg: 'reviewed',
    });
    expect(await page.locator('#flash').innerText()).toBe('核实结果已保存。');
    // Reviewed now, it leaves the 待核实 filter.
    expect(await page.locator('#discrepancy-empty').count()).toBe(1);
    expect(await discrepancyOf('shilou')).toMatchObject({
      review_outcome: 'CONFIRMED',
      review_note: '现场核实焦炉未停产',
    });
    await page.goto(`${base}/discrepancies?reviewed=true`);
    expect(await page.locator(`#discrepancy-${id} .review-done`).innerText()).toContain(
      '属实(未落实措施):现场核实焦炉未停产',
    );
    await Promise.all([
      page.waitForURL(new RegExp(`/discrepancies/${id}\\?reviewed=true`)),
      page.click(`#discrepancy-${id} td.span a`),
    ]);
    expect(await page.locator('#discrepancy-facts').innerText()).toContain('12月1日 11:00–16:00(5 小时)');
    await readable(page);

    // The warning page: their county's figures only.
    await page.goto(`${base}/alerts/${w.s.alertId}`);
    expect(
      await page
        .locator('#reconciliation-counties tr[data-county-name]')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-county-name'))),
    ).toEqual(['石楼县']);
    expect(await page.locator('#reconcile-now').count()).toBe(0);

    // A 孝义市 finding: the not-found page.
    const xiaoyi = (await discrepancyOf('xiaoyi')).id;
    const res = await page.goto(`${base}/discrepancies/${xiaoyi}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toContain('页面不存在');
    expect(await page.locator('body').innerText()).not.toContain('孝义核查停产焦化有限公司');
    await page.context().close();
  }, 90_000);
});
