/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { Role } from '../../src/auth/roles';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { launchChromium, servedTestApp } from '../support/browser';
import { foreignWords } from '../support/language';
import { discoverRoutes } from '../support/routes';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { TEST_PASSWORD, type TestApp } from '../support/test-app';

/**
 * Issue 16, "Chinese everywhere a person reads": every console page, as every role, in headless Chromium; the
 * visible text may hold no English words or internal codes outside the allow-list.
 */
describe('the console in Chinese: a crawl of every page as every role', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let base: string;
  const findings: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    ({ t, base } = await servedTestApp({ SMTP_URL: sink.url }, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    for (const [n, countyCode, grade] of [
      [1, '141181', 'B'],
      [2, '141181', 'C'],
      [3, '141182', 'D'],
    ] as const) {
      const e = await enterprises.create(
        enterpriseInput({ countyCode, grade, name: `语言巡检焦化${n}号`, industry: 'COKING' }),
        SYSTEM_ACTOR,
      );
      await enterprises.putPlan(
        e.id,
        { measures: ['YELLOW', 'ORANGE', 'RED'].map((level) => measure({ level: level as 'YELLOW' })) },
        SYSTEM_ACTOR,
      );
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  it('finds no English word or code on any page', async () => {
    // Data for every page: a consultation, a warning approved and sent, a directive.
    const duty = await t.signIn(['DUTY_OFFICER'], 'crawl-duty');
    const commander = await t.signIn(['COMMANDER'], 'crawl-cmd');
    const consultation = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-12-01T09:00:00+08:00',
        participants: ['市气象局'],
        opinion: '静稳天气',
        forecasts: ['141181', '141182'].flatMap((countyCode) =>
          [210, 220, 150].map((aqi, i) => ({
            countyCode,
            date: `2026-12-0${i + 2}`,
            aqi,
            primaryPollutant: 'PM2.5',
          })),
        ),
      })
      .expect(201);
    const alert = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181', '141182'],
        effectiveAt: '2026-12-02T00:00:00+08:00',
        consultationId: consultation.body.id,
        reason: '按会商建议',
      })
      .expect(201);
    await commander.post(`/api/alerts/${alert.body.id}/approve`).send({}).expect(200);
    await t.app.get(OutboxDispatcher).drain();
    const [enterprise] = (await duty.get('/api/enterprises?pageSize=1').expect(200)).body.items;
    const [message] = (await duty.get(`/api/outbox?alertId=${alert.body.id}`).expect(200)).body;
    const [order] = (await duty.get(`/api/alerts/${alert.body.id}/orders`).expect(200)).body;
    const ids: Record<string, string> = {
      alerts: alert.body.id,
      consultations: consultation.body.id,
      enterprises: enterprise.id,
      outbox: message.id,
      orders: order.orderId,
    };
    const pages = discoverRoutes(t.app)
      .filter((r) => r.console && r.method === 'GET' && !r.path.startsWith('/ack') && r.path !== '/logout')
      .map((r) => r.path.replace(/:id/g, () => ids[r.path.split('/')[1]] ?? ''))
      .filter((p) => !p.includes(':') && !/\.(csv|xlsx|pdf|zip)$/.test(p));
    expect(pages.length).toBeGreaterThan(15);

    const roles: Role[] = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'];
    // Longest first, so crawl-duty-officer is not read as crawl-duty and "-officer".
    const usernames = [
      'crawl-duty',
      'crawl-cmd',
      ...roles.map((r) => `crawl-${r.toLowerCase().replace('_', '-')}`),
    ].sort((a, b) => b.length - a.length);
    for (const role of roles) {
      const username = `crawl-${role.toLowerCase().replace('_', '-')}`;
      await t.signIn([role], username);
      const page: Page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
      await page.goto(`${base}/login`);
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', TEST_PASSWORD);
      await Promise.all([page.waitForURL(/\/dashboard/), page.click('#login-submit')]);
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
