/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import type { TestApp } from '../support/test-app';

/**
 * Issue 16, "Look rather than read": the dashboard's map of Lüliang's 13 counties, coloured from a live warning,
 * with the county's warning and order progress on hover (mouse) or a first tap (touch), and a click through.
 */
describe('the county map on the dashboard, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let alertId: string;
  let scheduledId: string;

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    for (const n of [1, 2, 3]) {
      const e = await enterprises.create(
        enterpriseInput({ countyCode: '141181', name: `孝义地图测试焦化${n}号` }),
        SYSTEM_ACTOR,
      );
      await enterprises.putPlan(e.id, { measures: [measure({ level: 'ORANGE' })] }, SYSTEM_ACTOR);
    }
    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    const commander = await t.signIn(['COMMANDER'], 'zhihui');
    const draft = async (level: string, countyCodes: string[], effectiveAt: string) => {
      const { body } = await duty
        .post('/api/alerts')
        .send({ level, countyCodes, effectiveAt, reason: '会商研判,污染已较重' })
        .expect(201);
      await commander.post(`/api/alerts/${body.id}/approve`).send({}).expect(200);
      return body.id as string;
    };
    // ORANGE in force over 孝义市 now; YELLOW over 汾阳市 from 12-03 (scheduled).
    alertId = await draft('ORANGE', ['141181'], '2026-12-01T10:00:00+08:00');
    scheduledId = await draft('YELLOW', ['141182'], '2026-12-03T00:00:00+08:00');
    // One of the three confirms receipt.
    await t.dataSource.query(
      `UPDATE reduction_order SET received_at = now(), state = 'RECEIVED'
        WHERE id = (SELECT id FROM reduction_order WHERE alert_id = $1 ORDER BY id LIMIT 1)`,
      [alertId],
    );
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = (opts: { hasTouch?: boolean; width?: number } = {}): Promise<Page> =>
    signedInPage(browser, base, 'zhiban', opts);

  it('draws the 13 counties with their names, coloured by the level in force, the scheduled one outlined', async () => {
    const page = await signIn();
    const shapes = page.locator('#dashboard-map .county-shape');
    await expect(shapes.count()).resolves.toBe(13);
    await expect(page.locator('#dashboard-map .county-label').allTextContents()).resolves.toContain('石楼县');
    const xiaoyi = page.locator('#dashboard-map .county-shape[data-county="141181"] path');
    await expect(xiaoyi.getAttribute('fill')).resolves.toBe('#f08c00');
    const fenyang = page.locator('#dashboard-map .county-shape[data-county="141182"] path');
    await expect(fenyang.getAttribute('fill')).resolves.toBe('#fff3bf');
    // The scheduled level's dashed outline, as drawn (the stylesheet's white border does not win).
    await expect(fenyang.evaluate((el) => getComputedStyle(el).stroke)).resolves.toBe('rgb(245, 196, 0)');
    await expect(fenyang.evaluate((el) => getComputedStyle(el).strokeDasharray)).resolves.toBe('6px, 3px');
    // Every county is a real outline, not a box: paths of many points, inside the drawing.
    const box = await xiaoyi.boundingBox();
    expect(box!.width).toBeGreaterThan(20);
    expect((await xiaoyi.getAttribute('d'))!.split('L').length).toBeGreaterThan(50);
    await page.locator('#dashboard-map').screenshot({ path: path.join(ARTIFACTS, '10-county-map.png') });
  });

  it('says the county’s warning and progress on hover, and a click opens its warning', async () => {
    const page = await signIn();
    await page.hover('#dashboard-map .county-shape[data-county="141181"] path');
    await expect(page.locator('#dashboard-map .map-info').textContent()).resolves.toBe(
      '孝义市:橙色预警 2026-001。指令 3 条,已签收 1,已落实 0',
    );
    await page.hover('#dashboard-map .county-shape[data-county="141182"] path');
    await expect(page.locator('#dashboard-map .map-info').textContent()).resolves.toBe(
      '汾阳市:无预警,即将生效:黄色预警',
    );
    await Promise.all([
      page.waitForURL(`${base}/alerts/${alertId}`),
      page.click('#dashboard-map .county-shape[data-county="141181"] path'),
    ]);
    expect(scheduledId).toBeTruthy();
  });

  it('draws the same map on the warning page and the assessment, only the warning’s counties coloured', async () => {
    const page = await signIn();
    for (const [path, id] of [
      [`/alerts/${alertId}`, 'alert-map'],
      [`/alerts/${alertId}/assessment`, 'assessment-map'],
    ]) {
      await page.goto(`${base}${path}`);
      await expect(page.locator(`#${id} .county-shape`).count()).resolves.toBe(13);
      const fill = (code: string) =>
        page.locator(`#${id} .county-shape[data-county="${code}"] path`).getAttribute('fill');
      await expect(fill('141181')).resolves.toBe('#f08c00');
      await expect(fill('141182')).resolves.toBe('#e4e7eb'); // another warning's county: not this one's
      await page.hover(`#${id} .county-shape[data-county="141181"] path`);
      await expect(page.locator(`#${id} .map-info`).textContent()).resolves.toContain('指令 3 条,已签收 1');
    }
  });

  it('on a phone, a first tap shows the progress and a second one opens the warning', async () => {
    const page = await signIn({ hasTouch: true, width: 375 });
    const xiaoyi = page.locator('#dashboard-map .county-shape[data-county="141181"]');
    // A tap as the browser delivers it: a touch pointerdown, then the click on the link.
    const tap = () =>
      xiaoyi.evaluate((el) => {
        el.dispatchEvent(new PointerEvent('pointerdown', { pointerType: 'touch', bubbles: true }));
        el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      });
    await tap();
    await expect(page.locator('#dashboard-map .map-info').textContent()).resolves.toContain('已签收 1');
    expect(page.url()).toBe(`${base}/dashboard`);
    await Promise.all([page.waitForURL(`${base}/alerts/${alertId}`), tap()]);
  });
});
