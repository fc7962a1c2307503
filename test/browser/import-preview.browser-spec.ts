import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { foreignWords } from '../support/language';
import type { TestApp } from '../support/test-app';

/** Issue 16, "Import": upload, read the preview (新增 / 更新 / 未变 and what changes), confirm, see the result. */
describe('the import preview in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let csv: Buffer;
  const same = enterpriseInput({ name: '预览原样焦化有限公司' });
  const changed = enterpriseInput({ name: '预览变更焦化有限公司', countyCode: '141181' });
  const fresh = enterpriseInput({ name: '预览新增水泥有限公司', industry: 'CEMENT', countyCode: '141102' });

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-01-10T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    for (const e of [same, changed]) {
      const created = await enterprises.create(e, SYSTEM_ACTOR);
      await enterprises.putPlan(created.id, { season: '2025-2026', measures: [measure()] }, SYSTEM_ACTOR);
    }
    csv = await toBuffer('csv', [
      ...toRows(same, '2025-2026', [measure()]),
      ...toRows({ ...changed, grade: 'C' }, '2025-2026', [measure(), measure({ level: 'RED' })]),
      ...toRows(fresh, '2025-2026', [measure()]),
    ]);
    await t.signIn(['ADMIN'], 'daoru');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function uploaded(
    page: Page,
    file: { name: string; mimeType: string; buffer: Buffer },
  ): Promise<void> {
    await page.goto(`${base}/enterprises/import`);
    await page.setInputFiles('#import-form input[type=file]', file);
    await Promise.all([page.waitForNavigation(), page.click('#submit-import')]);
  }

  /**
   * The language crawl visits GET pages only: these pages answer a POST, so they are checked here (the account
   * name is the person's own word).
   */
  const englishOn = async (page: Page): Promise<string[]> =>
    foreignWords(await page.locator('body').innerText(), ['daoru']);

  it('previews 1 new, 1 updated, 1 unchanged with the changes, and imports them on 确认导入', async () => {
    const page = await signedInPage(browser, base, 'daoru');
    await uploaded(page, { name: '清单.csv', mimeType: 'text/csv', buffer: csv });
    await expect(page.locator('h1').textContent()).resolves.toContain('导入预览');
    await expect(page.locator('#count-added').textContent()).resolves.toBe('1');
    await expect(page.locator('#count-updated').textContent()).resolves.toBe('1');
    await expect(page.locator('#count-unchanged').textContent()).resolves.toBe('1');
    await expect(page.locator('#rows-added').textContent()).resolves.toContain('预览新增水泥有限公司');
    const updatedRow = page.locator(`#rows-updated tr[data-credit-code="${changed.creditCode}"]`);
    await expect(updatedRow.textContent()).resolves.toContain('孝义市');
    await expect(updatedRow.textContent()).resolves.toContain('绩效等级:B级 → C级');
    await expect(updatedRow.textContent()).resolves.toContain('红色预警措施:新增1条');
    await expect(page.locator('#rows-unchanged').textContent()).resolves.toContain('预览原样焦化有限公司');
    // Nothing written yet.
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM enterprise');
    expect(before[0].n).toBe(2);
    await expect(englishOn(page)).resolves.toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'import-preview.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/enterprises\/import\?importId=/), page.click('#confirm-import')]);
    await expect(page.locator('#import-done').textContent()).resolves.toContain(
      '新增 1 家,更新 1 家,未变 1 家',
    );
    const after = await t.dataSource.query('SELECT count(*)::int AS n FROM enterprise');
    expect(after[0].n).toBe(3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'import-preview-done.png'), fullPage: true });

    // The same file again: all unchanged; confirming writes nothing and says so.
    await uploaded(page, { name: '清单.csv', mimeType: 'text/csv', buffer: csv });
    await expect(page.locator('#count-unchanged').textContent()).resolves.toBe('3');
    await expect(page.locator('#import-nothing').isVisible()).resolves.toBe(true);
    await Promise.all([page.waitForURL(/\/enterprises\/import\?unchanged=3/), page.click('#confirm-import')]);
    await expect(page.locator('#import-done').textContent()).resolves.toContain('未写入任何数据');
  });

  it('refuses 确认导入 when the data changed after the preview, and shows the new preview', async () => {
    const page = await signedInPage(browser, base, 'daoru');
    await uploaded(page, { name: '清单.csv', mimeType: 'text/csv', buffer: csv });
    await expect(page.locator('#count-unchanged').textContent()).resolves.toBe('3');
    await t.dataSource.query("UPDATE enterprise SET name = '他人修改焦化有限公司' WHERE credit_code = $1", [
      same.creditCode,
    ]);
    await Promise.all([page.waitForNavigation(), page.click('#confirm-import')]);
    await expect(page.locator('#import-stale').textContent()).resolves.toContain('预览之后数据已有变化');
    await expect(englishOn(page)).resolves.toEqual([]);
    await expect(page.locator('#count-updated').textContent()).resolves.toBe('1');
    await expect(
      page.locator(`#rows-updated tr[data-credit-code="${same.creditCode}"]`).textContent(),
    ).resolves.toContain('企业名称:他人修改焦化有限公司 → 预览原样焦化有限公司');
    const name = await t.dataSource.query('SELECT name FROM enterprise WHERE credit_code = $1', [
      same.creditCode,
    ]);
    expect(name[0].name).toBe('他人修改焦化有限公司');
  });

  it('says in Chinese that a PNG is not a sheet', async () => {
    const page = await signedInPage(browser, base, 'daoru');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    await uploaded(page, { name: '截图.png', mimeType: 'image/png', buffer: png });
    await expect(page.locator('#import-error').textContent()).resolves.toContain(
      '文件不是有效的 XLSX 或 CSV 表格:内容是图片',
    );
    await expect(englishOn(page)).resolves.toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'import-preview-png.png'), fullPage: true });
  });
});
