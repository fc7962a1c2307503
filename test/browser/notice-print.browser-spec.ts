/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp } from '../support/browser';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import type { TestApp } from '../support/test-app';

/**
 * The printable notice as a person sees it: the enterprise opens the print page from its link, the browser lays it
 * out on A4 with the print CSS (no buttons, no console chrome); the PDF's first page is drawn as a picture.
 * Screenshots: test/artifacts/notice-print.png, notice-print-a4.pdf, notice-pdf-1.png.
 */
describe('the printable notice and its PDF, in Chromium', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let base: string;
  let token: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    ({ t, base } = await servedTestApp({ SMTP_URL: sink.url }, '2026-11-28T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    const e = await enterprises.create(
      enterpriseInput({
        countyCode: '141181',
        name: '山西孝义示例焦化有限公司',
        contacts: [{ name: '联系人', email: 'print@test.example' }],
      }),
      SYSTEM_ACTOR,
    );
    await enterprises.putPlan(
      e.id,
      {
        measures: [
          measure({
            level: 'ORANGE',
            action: 'LIMIT_PERCENT',
            params: { percent: 30 },
            description: '5.5米焦炉限产30%',
          }),
          measure({
            level: 'ORANGE',
            action: 'CONCENTRATION_CAP',
            params: { pm: 5, so2: 15, nox: 50 },
            description: '焦炉烟囱排放浓度不超过限值',
            verification: 'CEMS',
          }),
          measure({
            level: 'ORANGE',
            line: null,
            action: 'TRUCK_BAN_CN4',
            params: {},
            description: '停止使用国四及以下重型货车运输',
            verification: 'GATE_CAMERA',
          }),
        ],
      },
      SYSTEM_ACTOR,
    );
    const duty = await t.signIn(['DUTY_OFFICER']);
    const commander = await t.signIn(['COMMANDER']);
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市气象局'],
        opinion: '未来三天静稳,扩散条件差',
        forecasts: [230, 240, 220].map((aqi, i) => ({
          countyCode: '141181',
          date: `2026-11-${28 + i}`,
          aqi,
          primaryPollutant: 'PM2.5',
        })),
      })
      .expect(201);
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        expectedEndAt: '2026-11-30T20:00:00+08:00',
        reason: '会商研判',
        consultationId: c.body.id,
      })
      .expect(201);
    await commander.post(`/api/alerts/${body.id}/approve`).send({}).expect(200);
    await t.app.get(OutboxDispatcher).drain();
    await sink.waitFor(1);
    token = /\/ack\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(sink.messages[0].text ?? '')![1];
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  it('lays the notice out for A4 with the print CSS: the hint hidden, the document whole', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 900, height: 1200 }, locale: 'zh-CN' })
    ).newPage();
    await page.goto(`${base}/ack/${token}/print`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#document-number').innerText()).toBe('吕重污应急〔2026〕1号');
    expect(await page.locator('.print-actions').isVisible()).toBe(false);
    expect(await page.locator('.notice-title').innerText()).toBe(
      '关于启动重污染天气橙色预警（Ⅱ级应急响应）的通知',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'notice-print.png'), fullPage: true });
    // Chromium's own print: the @page rule gives A4 (595 × 842 pt).
    const printed = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'notice-print-a4.pdf'), printed);
    const info = execFileSync('pdfinfo', [path.join(ARTIFACTS, 'notice-print-a4.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:.*\(A4\)/);
  });

  it('draws the PDF’s first page with the Chinese text (a picture of it for the note)', async () => {
    const r = await fetch(`${base}/ack/${token}/notice.pdf`);
    expect(r.status).toBe(200);
    const file = path.join(ARTIFACTS, 'notice.pdf');
    fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      path.join(ARTIFACTS, 'notice-pdf-1'),
    ]);
    expect(fs.statSync(path.join(ARTIFACTS, 'notice-pdf-1.png')).size).toBeGreaterThan(10_000);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansSC.*yes\s+yes\s+yes/); // embedded, subset, with a Unicode map
  });
});
