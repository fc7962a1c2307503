/// <reference lib="dom" />
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import type { TestApp } from '../support/test-app';

/** Issue 17: the enterprise page lists what its meters measure (lines' normal power, outlets' limits). */
describe('metering points on the enterprise page, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let withPoints: string;
  let without: string;

  beforeAll(async () => {
    ({ t, base } = await servedTestApp({}, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    withPoints = (await enterprises.create(enterpriseInput({ name: '计量点测试焦化' }), SYSTEM_ACTOR)).id;
    without = (await enterprises.create(enterpriseInput({ name: '未登记计量点焦化' }), SYSTEM_ACTOR)).id;
    const admin = await t.signIn(['ADMIN'], 'guanli');
    await admin
      .put(`/api/enterprises/${withPoints}/metering-points`)
      .send({
        points: [
          { kind: 'LINE_POWER', code: 'JL1', name: '1号焦炉总表', normalPowerKw: 1250 },
          { kind: 'OUTLET_CEMS', code: 'DA001', name: '焦炉烟囱', limits: { so2: 30, nox: 150 } },
        ],
      })
      .expect(200);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows each point with its kind, normal power or limits, and says when there are none', async () => {
    const page = await signedInPage(browser, base, 'guanli');
    await page.goto(`${base}/enterprises/${withPoints}`);
    const rows = await page.$$eval('#metering-points tr', (trs) =>
      trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );
    expect(rows).toEqual([
      ['JL1', '生产线用电', '1号焦炉总表', '1250', '— / — / — / —'],
      ['DA001', '排口在线监测', '焦炉烟囱', '—', '30 / 150 / — / —'],
    ]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'enterprise-metering-points.png'), fullPage: true });
    await page.goto(`${base}/enterprises/${without}`);
    await page.waitForSelector('#no-metering-points');
    await page.context().close();
  });
});
