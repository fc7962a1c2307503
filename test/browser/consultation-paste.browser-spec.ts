/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import type { TestApp } from '../support/test-app';

/** Lüliang's counties in the grid's order, with the forecast each row of the pasted sheet gives. */
const SHEET: Array<[string, string[]]> = [
  ['离石区', ['320 沙尘', '330/沙尘', '100', '90', '80', '70', '60']],
  ['文水', ['120', '130', '110', '100', '90', '80', '70']],
  ['交城县', ['120', '130', '110', '100', '90', '80', '70']],
  ['兴县', ['90', '80', '70', '60', '50', '60', '70']],
  ['临县', ['90', '80', '70', '60', '50', '60', '70']],
  ['柳林县', ['140', '150', '120', '100', '90', '80', '70']],
  ['石楼县', ['90', '80', '70', '60', '50', '60', '70']],
  ['岚县', ['90', '80', '70', '60', '50', '60', '70']],
  ['方山县', ['90', '80', '70', '60', '50', '60', '70']],
  ['中阳县', ['90', '80', '70', '60', '50', '60', '70']],
  ['交口县', ['90', '80', '70', '60', '50', '60', '70']],
  // docs/recommendation.md's example under MEE-2024: episodes YELLOW then ORANGE → ORANGE.
  ['孝义市', ['310', '80', '60', '50', '210', '220', '230']],
  ['汾阳', ['160 臭氧', '160 O₃', '100', '90', '80', '70', '60']],
];
const HEADER = ['区县', '12月1日', '12月2日', '12月3日', '12月4日', '12月5日', '12月6日', '12月7日'];
const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\r\n');

/**
 * Issue 16, "The daily work made short → Consultation": the forecast pasted from a spreadsheet, the recommended
 * level shown while the grid is typed, and 复制上次会商, in Chromium.
 */
describe('the consultation form made short, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-11-30T10:00:00+08:00'));
    await t.signIn(['DUTY_OFFICER'], 'zhiban');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  // Under the test's own timeout, so a wait that fails says which.
  const signIn = async (): Promise<Page> => {
    const page = await signedInPage(browser, base, 'zhiban');
    page.setDefaultTimeout(10_000);
    return page;
  };
  const value = (page: Page, name: string) => page.locator(`[name="${name}"]`).inputValue();
  const badge = (page: Page, code: string) => page.locator(`#rec-${code}`);

  it('fills the grid from a pasted sheet, shows the level as it is typed, and records the same levels', async () => {
    t.clock.set('2026-11-30T10:00:00+08:00');
    const page = await signIn();
    await page.goto(`${base}/consultations/new`);
    // Nothing recorded yet: nothing to copy.
    await expect(page.locator('#copy-latest').count()).resolves.toBe(0);
    await page.click('#paste-box summary');
    await page.fill('#paste-text', tsv([HEADER, ...SHEET.map(([name, cells]) => [name, ...cells])]));
    await Promise.all([page.waitForURL(`${base}/consultations/paste`), page.click('#paste-fill')]);

    await expect(page.locator('#paste-result').textContent()).resolves.toContain(
      '已填入13个区县×7天,日期按表头设为2026-12-01起7天',
    );
    await expect(page.locator('#paste-problems').count()).resolves.toBe(0);
    await expect(value(page, 'date.0')).resolves.toBe('2026-12-01');
    await expect(value(page, 'date.6')).resolves.toBe('2026-12-07');
    await expect(value(page, 'aqi.141181.0')).resolves.toBe('310');
    await expect(value(page, 'aqi.141181.6')).resolves.toBe('230');
    await expect(value(page, 'aqi.141181.7')).resolves.toBe('');
    await expect(value(page, 'aqi.141102.1')).resolves.toBe('330');
    await expect(value(page, 'pollutant.141102.1')).resolves.toBe('DUST');
    await expect(value(page, 'pollutant.141182.1')).resolves.toBe('O3');
    await expect(value(page, 'pollutant.141181.0')).resolves.toBe('PM2.5');

    // The recommendation appears beside each county, by the rule that runs on submit.
    await page.waitForSelector('#rec-141181 .level.level-ORANGE');
    await expect(badge(page, '141181').textContent()).resolves.toBe('橙色');
    await expect(badge(page, '141182').textContent()).resolves.toBe('臭氧污染应对');
    await expect(badge(page, '141102').textContent()).resolves.toBe('健康防护提示');
    await expect(badge(page, '141123').textContent()).resolves.toBe('不启动');
    await expect(badge(page, '141181').getAttribute('title')).resolves.toContain('→ 橙色(MEE-2024)');
    await expect(page.locator('#live-rec-status').textContent()).resolves.toContain('规则集 MEE-2024');

    // Typed: 孝义市's episode of 12-05..07 falls to 120, and the badge follows to the 310 day's YELLOW.
    const answered = () =>
      page.waitForResponse(
        (r) => r.url().endsWith('/api/consultations/recommendation') && r.status() === 200,
      );
    for (const day of [4, 5, 6]) {
      const done = answered();
      await page.fill('[name="aqi.141181.' + day + '"]', '120');
      if (day === 6) await done;
    }
    await page.waitForSelector('#rec-141181 .level.level-YELLOW');
    // A cell the rule refuses: said beside the grid, the cell marked, the badges kept but faded.
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/api/consultations/recommendation') && r.status() === 422,
    );
    await page.fill('[name="aqi.141181.6"]', '600');
    await refused;
    await page.waitForSelector('#rec-141181.stale');
    await expect(page.locator('#live-rec-status').textContent()).resolves.toBe(
      '预报有误,建议级别暂停更新:孝义市 2026-12-07:AQI 应为0-500之间的整数',
    );
    await expect(page.locator('td.live-error [name="aqi.141181.6"]').count()).resolves.toBe(1);
    const back = answered();
    await page.fill('[name="aqi.141181.6"]', '230');
    await back;
    await page.waitForSelector('#rec-141181:not(.stale) .level.level-YELLOW');
    await expect(page.locator('td.live-error').count()).resolves.toBe(0);
    // The grid scrolled to its start (typing the last day scrolled it), so the county column shows.
    await page.locator('.table-wrap').evaluate((el) => {
      (document.activeElement as HTMLElement | null)?.blur();
      el.scrollLeft = 0;
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'consultation-paste.png'), fullPage: true });

    const shown: Record<string, string> = {};
    for (const code of ['141102', '141181', '141182', '141123'])
      shown[code] = (await badge(page, code).textContent())!;
    await page.fill('textarea[name=opinion]', '受静稳天气影响,孝义市将出现重污染过程');
    await Promise.all([
      page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/),
      page.click('#submit-consultation'),
    ]);
    const recorded = async (code: string) =>
      (
        await page.locator(`#recommendations tr[data-county="${code}"] td:nth-child(2)`).textContent()
      )?.trim();
    await expect(recorded('141181')).resolves.toBe('黄色');
    await expect(recorded('141182')).resolves.toBe('臭氧污染应对');
    await expect(recorded('141102')).resolves.toBe('健康防护提示');
    await expect(recorded('141123')).resolves.toBe('不启动');
    expect(shown).toEqual({
      '141102': '健康防护提示',
      '141181': '黄色',
      '141182': '臭氧污染应对',
      '141123': '不启动',
    });
  });

  it('copies the last consultation the next day: its second day becomes the first, the last left blank', async () => {
    t.clock.set('2026-12-01T09:00:00+08:00');
    const page = await signIn();
    await page.goto(`${base}/consultations/new`);
    await Promise.all([page.waitForURL(`${base}/consultations/new?copy=latest`), page.click('#copy-latest')]);
    await expect(page.locator('#copy-result').textContent()).resolves.toBe(
      '已复制2026年11月30日 10:00会商的预报(13个区县×6天,按日期对齐到本次各天,其后留空)和参会单位;请核对预报并填写本次会商意见。',
    );
    await expect(value(page, 'date.0')).resolves.toBe('2026-12-02');
    // Yesterday's 12-02..12-07 (as recorded: 孝义市 80, 60, 50, 120, 120, 230) on today's days 1-6.
    await expect(
      Promise.all([0, 1, 2, 3, 4, 5, 6].map((d) => value(page, `aqi.141181.${d}`))),
    ).resolves.toEqual(['80', '60', '50', '120', '120', '230', '']);
    await expect(value(page, 'aqi.141102.0')).resolves.toBe('330');
    await expect(value(page, 'pollutant.141102.0')).resolves.toBe('DUST');
    await expect(value(page, 'pollutant.141182.0')).resolves.toBe('O3');
    await expect(page.locator('textarea[name=participants]').inputValue()).resolves.toBe(
      '市生态环境局\n市气象局',
    );
    await expect(page.locator('textarea[name=opinion]').inputValue()).resolves.toBe('');
    // The copied forecast is judged at once: 孝义市's 230 on 12-07 alone is YELLOW.
    await page.waitForSelector('#rec-141181 .level.level-YELLOW');
    await page.screenshot({ path: path.join(ARTIFACTS, 'consultation-copy.png'), fullPage: true });
  });

  it('takes a block pasted straight into a grid cell at that cell, and names what it could not read', async () => {
    t.clock.set('2026-12-01T09:00:00+08:00');
    const page = await signIn();
    await page.goto(`${base}/consultations/new`);
    const cell = page.locator('[name="aqi.141181.2"]');
    // As the browser delivers a paste of cells copied from a sheet: text with tabs and line breaks.
    await Promise.all([
      page.waitForURL(`${base}/consultations/paste`),
      cell.evaluate((el) => {
        const data = new DataTransfer();
        data.setData('text/plain', '210\t220 PM10\tabc\r\n150\t160\r\n');
        el.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      }),
    ]);
    await expect(page.locator('#paste-result strong').textContent()).resolves.toBe('已填入2个区县×2天');
    await expect(page.locator('#paste-problems li').allTextContents()).resolves.toEqual([
      '第1行 第3列:无法识别“abc”',
    ]);
    await expect(value(page, 'aqi.141181.2')).resolves.toBe('210');
    await expect(value(page, 'aqi.141181.3')).resolves.toBe('220');
    await expect(value(page, 'pollutant.141181.3')).resolves.toBe('PM10');
    await expect(value(page, 'aqi.141182.2')).resolves.toBe('150');
    await expect(value(page, 'aqi.141182.3')).resolves.toBe('160');
    await expect(value(page, 'aqi.141181.1')).resolves.toBe('');
    // The dates were not in the paste: the grid's own stay.
    await expect(value(page, 'date.0')).resolves.toBe('2026-12-02');
    await page.waitForSelector('#rec-141181 .level');
    await page.screenshot({ path: path.join(ARTIFACTS, 'consultation-paste-cell.png'), fullPage: true });
  });
});
