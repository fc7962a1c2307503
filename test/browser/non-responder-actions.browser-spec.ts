/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { ARTIFACTS, launchChromium, servedTestApp, signedInPage } from '../support/browser';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import type { TestApp } from '../support/test-app';

/**
 * Issues 16 and 17 in Chromium: the warning page's enterprises not yet confirmed, 立即提醒 (a mail the enterprise
 * receives), 记录电话 (a follow-up shown in the row), and the outbox's re-send of one warning's failed messages.
 */
describe('acting on non-responders and re-sending failed messages, in Chromium', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let s: Scenario;
  let page: Page;
  const refuse = new Set<string>(['bing@test.example']);

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRcpt: (a) => (refuse.has(a) ? 550 : undefined) });
    ({ t, base } = await servedTestApp({ SMTP_URL: sink.url }, '2026-12-01T10:00:00+08:00'));
    const duty = await t.signIn(['DUTY_OFFICER'], 'zhiban');
    s = await scenario(t, { sink, agents: { duty } })
      .enterprises([
        {
          key: 'jia',
          input: {
            name: '孝义提醒甲焦化有限公司',
            contacts: [{ name: '王某', role: '环保负责人', email: 'jia@test.example', phone: '13912345678' }],
          },
        },
        { key: 'yi', input: { name: '孝义提醒乙焦化有限公司' } },
        { key: 'bing', input: { name: '孝义提醒丙焦化有限公司' } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], effectiveAt: '2026-12-01T10:00:00+08:00' })
      .approved()
      .delivered();
    await s.receipt('yi');
    browser = await launchChromium();
    page = await signedInPage(browser, base, 'zhiban');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  const row = (key: string) => page.locator(`#non-responders tr[data-non-responder="${s.orders[key]}"]`);

  it('lists the enterprises not yet confirmed; 立即提醒 sends a reminder the enterprise receives', async () => {
    await page.goto(`${base}/alerts/${s.alertId}`);
    await expect(page.locator('#non-responders h2').innerText()).resolves.toBe('尚未签收的企业(2)');
    await expect(row('jia').innerText()).resolves.toContain('王某(环保负责人) 13912345678');
    await expect(row('yi').count()).resolves.toBe(0); // confirmed: not listed

    await Promise.all([page.waitForURL(/msg=reminded/), row('jia').locator('button.remind-now').click()]);
    await expect(page.locator('#flash').innerText()).resolves.toBe('提醒已排队发送给该企业。');
    const before = sink.received;
    await t.app.get(OutboxDispatcher).drain();
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('jia@test.example');
    expect(mail.subject).toMatch(/^【提醒】请确认收到橙色预警减排指令/);
    expect(mail.text).toContain('孝义提醒甲焦化有限公司');
  });

  it('记录电话 opens a small form; the call recorded shows in the enterprise’s row', async () => {
    await page.goto(`${base}/alerts/${s.alertId}`);
    await Promise.all([page.waitForURL(/\/follow-ups/), row('jia').locator('a.record-call').click()]);
    await expect(page.locator('#follow-up-kind').inputValue()).resolves.toBe('PHONE_CALL');
    await expect(page.locator('#follow-up-time').inputValue()).resolves.toBe('2026-12-01T10:00');
    await page.selectOption('#follow-up-outcome', 'REACHED');
    await page.fill('#follow-up-contact', '王某');
    await page.fill('#follow-up-note', '称正在落实,下午报告');
    await page.screenshot({ path: path.join(ARTIFACTS, 'follow-up-form.png'), fullPage: true });
    await Promise.all([page.waitForURL(/msg=followed-up/), page.click('#follow-up-submit')]);
    await expect(page.locator('#flash').innerText()).resolves.toBe('跟进情况已记录。');
    await expect(row('jia').locator('.latest-follow-up').innerText()).resolves.toBe(
      '12-01 10:00 电话 已接通 王某',
    );
    const [stored] = await t.dataSource.query<Array<{ kind: string; outcome: string; note: string }>>(
      'SELECT kind, outcome, note FROM order_follow_up WHERE order_id = $1',
      [s.orders.jia],
    );
    expect(stored).toEqual({ kind: 'PHONE_CALL', outcome: 'REACHED', note: '称正在落实,下午报告' });
    await page.locator('#non-responders').screenshot({ path: path.join(ARTIFACTS, 'non-responders.png') });
  });

  it('re-sends the warning’s failed messages from the outbox after a confirm; they are delivered', async () => {
    const code = s.alert.code;
    await page.goto(`${base}/outbox`);
    await page.fill('#outbox-filters input[name=q]', code);
    await page.selectOption('#outbox-filters select[name=state]', 'FAILED');
    await Promise.all([page.waitForURL(/state=FAILED/), page.click('#outbox-filters button[type=submit]')]);
    await expect(page.locator('#outbox-list tr[data-message]').count()).resolves.toBe(1);
    const button = page.locator('#bulk-resend');
    await expect(button.innerText()).resolves.toBe('重新发送本预警全部失败消息(1条)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'outbox-resend.png'), fullPage: true });

    // Declining the confirm sends nothing.
    page.once('dialog', (d) => void d.dismiss());
    await button.click();
    await expect(page.locator('#bulk-resend').count()).resolves.toBe(1);
    expect(new URL(page.url()).searchParams.get('msg')).toBeNull();
    const failed = () =>
      t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state = 'FAILED'`,
        [s.alertId],
      );
    await expect(failed()).resolves.toEqual([{ n: 1 }]);

    refuse.delete('bing@test.example'); // the address is fixed at the enterprise's end
    let question = '';
    page.once('dialog', (d) => {
      question = d.message();
      void d.accept();
    });
    await Promise.all([page.waitForURL(/msg=requeued-failed/), button.click()]);
    expect(question).toBe(`确定将预警 ${code} 的全部 1 条发送失败的消息重新排队发送吗?`);
    await expect(page.locator('#flash').innerText()).resolves.toBe('已重新排队 1 条');
    await expect(failed()).resolves.toEqual([{ n: 0 }]);
    const bing = page.locator('#outbox-list tr[data-message]', { hasText: '孝义提醒丙焦化有限公司' }).first();
    await expect(bing.locator('td').nth(5).innerText()).resolves.toBe('排队中');
    await page.screenshot({ path: path.join(ARTIFACTS, 'outbox-resend-done.png'), fullPage: true });

    const before = sink.received;
    await t.app.get(OutboxDispatcher).drain();
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('bing@test.example');
    await page.reload();
    await expect(bing.locator('td').nth(5).innerText()).resolves.toBe('已发送');
  });
});
