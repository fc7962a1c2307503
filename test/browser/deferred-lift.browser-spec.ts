/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import type { TestApp } from '../support/test-app';

/**
 * The deferred lift as the people in it see it: on 12-01 the duty officer proposes lifting a warning (in force
 * 12-02) from 12-06, a commander approves, and the enterprise, opening its link before 12-06, can still confirm
 * and reads when the lift comes; after 12-06 its order reads 已解除.
 */
describe('a lift approved for a later day, in Chromium', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let base: string;
  let alertId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    ({ t, base } = await servedTestApp({ SMTP_URL: sink.url }, '2026-12-01T10:00:00+08:00'));
    const enterprises = t.app.get(EnterprisesService);
    const e = await enterprises.create(
      enterpriseInput({
        countyCode: '141181',
        name: '孝义延后解除焦化',
        contacts: [{ name: '联系人', role: '环保负责人', email: 'lift@test.example', phone: '13800000000' }],
      }),
      SYSTEM_ACTOR,
    );
    await enterprises.putPlan(
      e.id,
      { measures: [measure({ level: 'ORANGE', description: '焦炉限产30%' })] },
      SYSTEM_ACTOR,
    );
    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    const commander = await t.signIn(['COMMANDER'], 'zhihui');
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-12-02T00:00:00+08:00',
        expectedEndAt: '2026-12-08T00:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    alertId = body.id;
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    await t.app.get(OutboxDispatcher).drain();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  const newPage = async (): Promise<Page> =>
    (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
  const signIn = (username: string): Promise<Page> => signedInPage(browser, base, username);
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const ackPath = () => {
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes('lift@test.example'))!;
    return new URL(/https?:\/\/\S+\/ack\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')![0]).pathname;
  };

  it('the duty officer proposes the lift from 12-06, and a commander approves it', async () => {
    const duty = await signIn('zhiban');
    await duty.goto(`${base}/alerts/${alertId}`);
    await duty.fill('#lift-form input[name=effectiveAt]', '2026-12-06T00:00');
    await duty.fill('#lift-form textarea[name=reason]', '预报好转,12月6日起解除');
    await Promise.all([duty.waitForURL(`${base}/alerts/${alertId}`), duty.click('#lift-form button')]);
    await expect(duty.locator('body').textContent()).resolves.toContain('预报好转');
    const commander = await signIn('zhihui');
    await commander.goto(`${base}/alerts/${alertId}`);
    // No consultation backs the lift: the approval card asks for the commander's written reason.
    await commander.fill('#override-reason', '现场核查确认空气质量好转');
    await Promise.all([commander.waitForURL(`${base}/alerts/${alertId}`), commander.click('#approve')]);
    await t.app.get(OutboxDispatcher).drain();
    await commander.reload();
    // The order is still in force; the end notice went out and is counted apart.
    await expect(commander.locator('#orders .order-state').first().textContent()).resolves.toBe('已送达');
    await expect(commander.locator('#end-notices').textContent()).resolves.toContain('已送达 1 份');
    await shot(commander, 'deferred-lift-01-approved');
  });

  it('before 12-06 the enterprise can still confirm, and reads when the lift comes', async () => {
    const page = await newPage();
    await page.goto(`${base}${ackPath()}`);
    await expect(page.locator('#upcoming').textContent()).resolves.toContain(
      '将于 2026年12月06日 00:00 解除',
    );
    await page.fill('input[name=signerName]', '王五');
    await page.fill('input[name=signerPhone]', '13900000000');
    await Promise.all([page.waitForURL(/done=receipt/), page.click('#confirm-receipt')]);
    await expect(page.locator('#state').textContent()).resolves.toContain('已签收');
    await shot(page, 'deferred-lift-02-enterprise-before');
  });

  it('after 12-06 the enterprise reads 已解除', async () => {
    t.clock.set('2026-12-06T00:00:30+08:00');
    await t.app.get(AlertTransitionsJob).run();
    const page = await newPage();
    await page.goto(`${base}${ackPath()}`);
    await expect(page.locator('#state').textContent()).resolves.toContain('已解除');
    await expect(page.locator('#confirm-receipt').count()).resolves.toBe(0);
    await shot(page, 'deferred-lift-03-enterprise-after');
  });
});
