/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import type { TestApp } from '../support/test-app';

/** A 1×1 PNG: the server knows it by its bytes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Issue 17, "Inspections and consequences", in Chromium: the duty officer draws the warning's inspection plan on
 * its page, opens a pick's inspection form, records a violation with a photo and a rectification, closes the
 * rectification; the administrator downgrades the enterprise from the grade-review list.
 */
describe('the inspection plan, the inspection form with a photo, and the grade review, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let alertId: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'hz-inspection-browser-'));
    ({ t, base } = await servedTestApp({ DATA_DIR: dataDir }, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    for (const [n, grade] of [
      [1, 'D'],
      [2, 'B'],
    ] as const) {
      const e = await enterprises.create(
        enterpriseInput({ countyCode: '141181', name: `孝义检查测试焦化${n}号`, grade }),
        SYSTEM_ACTOR,
      );
      await enterprises.putPlan(e.id, { measures: [measure({ level: 'ORANGE' })] }, SYSTEM_ACTOR);
    }
    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    const commander = await t.signIn(['COMMANDER'], 'zhihui');
    await t.signIn(['ADMIN'], 'guanli');
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-12-01T10:00:00+08:00',
        reason: '会商研判,污染已较重',
      })
      .expect(201);
    alertId = body.id;
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    // Before the receipt deadline (12:00): nobody is a non-responder yet.
    t.clock.set('2026-12-01T11:30:00+08:00');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('draws the plan on the warning page, records an inspection with a photo and closes its rectification', async () => {
    const page = await signedInPage(browser, base, 'zhiban');
    await page.goto(`${base}/alerts/${alertId}`);
    await expect(page.locator('#inspection-plan-empty').textContent()).resolves.toBe(
      '尚未抽取现场检查名单。',
    );
    await page.fill('#plan-size', '2');
    await page.fill('#plan-seed', '42');
    await Promise.all([page.waitForURL(/msg=plan-drawn/), page.click('#plan-draw')]);
    const rows = page.locator('#inspection-plan-items tr[data-plan-item]');
    await expect(rows.count()).resolves.toBe(2);
    const reasons = await page.locator('#inspection-plan-items .plan-reasons').allTextContents();
    expect(reasons.sort()).toEqual(['绩效等级D', '随机抽取']);
    await expect(page.locator('#inspection-plan-meta').textContent()).resolves.toContain('随机种子 42');
    await page
      .locator('#inspection-plan')
      .screenshot({ path: path.join(ARTIFACTS, '17-inspection-plan.png') });

    // The D-grade pick's form.
    const dRow = rows.filter({ hasText: '孝义检查测试焦化1号' });
    await Promise.all([
      page.waitForURL(/\/orders\/[^/]+\/inspections$/),
      dRow.locator('.inspect-link').click(),
    ]);
    await page.fill('#inspection-time', '2026-12-01T11:00');
    await page.fill('#inspection-inspectors', '张三\n李四');
    await page.fill('#inspection-findings', '1号焦炉未按要求停产');
    await page.selectOption('#inspection-result', 'VIOLATION');
    await page.check('#rectification-required');
    await page.fill('#rectification-deadline', '2026-12-02T18:00');
    await page.setInputFiles('#inspection-photos', { name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForURL(/msg=recorded/), page.click('#inspection-submit')]);
    await expect(page.locator('#inspection-flash').textContent()).resolves.toBe('检查记录已保存。');
    const record = page.locator('article.inspection').first();
    await expect(record.locator('.inspection-result').textContent()).resolves.toBe('存在违规');
    await expect(record.locator('.inspection-rectification').textContent()).resolves.toContain('尚未销号');
    // The photo is served back and drawn: the browser decoded the real image.
    const photo = record.locator('img.inspection-photo');
    await expect(photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(
      1,
    );
    await expect(record.locator('a[href^="/grade-reviews"]').textContent()).resolves.toBe(
      '已列入绩效分级复核',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, '17-inspection-form.png'), fullPage: true });

    // A photo that is not an image: the record stands, the photo is refused with the reason.
    await page.fill('#inspection-time', '2026-12-01T11:10');
    await page.fill('#inspection-inspectors', '王五');
    await page.fill('#inspection-findings', '复查');
    await page.selectOption('#inspection-result', 'COMPLIANT');
    await page.setInputFiles('#inspection-photos', {
      name: 'fake.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('%PDF-1.7 not a photo'),
    });
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 422),
      page.click('#inspection-submit'),
    ]);
    await expect(page.locator('#photo-error').textContent()).resolves.toContain(
      '照片须为 JPG、PNG 或 WebP 格式',
    );

    // Closing the violation's rectification.
    await page.goto(`${base}/orders/${new URL(page.url()).pathname.split('/')[2]}/inspections`);
    const open = page.locator('article.inspection', { hasText: '1号焦炉未按要求停产' });
    await open.locator('input[name=closedAt]').fill('2026-12-01T11:20');
    await open.locator('input[name=note]').fill('复查:已停产');
    await Promise.all([page.waitForURL(/msg=closed/), open.locator('button[type=submit]').click()]);
    await expect(
      page
        .locator('article.inspection', { hasText: '1号焦炉未按要求停产' })
        .locator('.inspection-rectification')
        .textContent(),
    ).resolves.toContain('销号(复查:已停产)');
    await page.context().close();
  });

  it('lets the administrator downgrade the enterprise from the grade-review list', async () => {
    const page = await signedInPage(browser, base, 'guanli');
    await page.goto(`${base}/grade-reviews`);
    const review = page.locator('article.review', { hasText: '孝义检查测试焦化1号' });
    await expect(review.locator('h3').textContent()).resolves.toContain('现等级 D级');
    await page.screenshot({ path: path.join(ARTIFACTS, '17-grade-reviews.png'), fullPage: true });
    // D is the lowest: a downgrade has nowhere to go, so the administrator keeps it, with a reason.
    await review.locator('select[name=decision]').selectOption('KEEP');
    await review.locator('input[name=reason]').fill('已为最低等级');
    await Promise.all([page.waitForURL(/msg=decided/), review.locator('button[type=submit]').click()]);
    await expect(page.locator('#review-flash').textContent()).resolves.toBe('复核决定已记录。');
    await expect(page.locator('#decided-reviews tr[data-review]').textContent()).resolves.toContain(
      '维持原级',
    );
    await page.context().close();
  });
});
