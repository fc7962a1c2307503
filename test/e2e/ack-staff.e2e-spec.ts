import { SIGNER } from '../support/signer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scenario } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Staff must never answer for an enterprise: in demo mail mode the console shows each notice, links and all. The
 * preview's links are dead, and a receipt or report that comes with a staff session is refused and recorded.
 */
describe('staff and the enterprise acknowledgement links', () => {
  let t: TestApp;
  let dataDir: string;
  let orderId: string;
  let messageId: string;
  let token: string;

  beforeAll(async () => {
    // Its own outbox directory: the demo file transport writes the notice there (no SMTP_URL).
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-ack-staff-'));
    t = await createTestApp({ env: { DATA_DIR: dataDir, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const s = await scenario(t)
      .enterprises([{ key: 'jia', input: { contacts: [{ name: '甲', email: 'jia@test.example' }] } }])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved()
      .delivered();
    [orderId, messageId, token] = [s.orders.jia, s.messages.jia, s.tokens.jia];
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const order = async () =>
    (
      await t.dataSource.query<Array<{ state: string; received_at: Date | null; executed_at: Date | null }>>(
        'SELECT state, received_at, executed_at FROM reduction_order WHERE id = $1',
        [orderId],
      )
    )[0];
  const auditOfOrder = () =>
    t.dataSource.query<Array<{ action: string; actor_type: string; actor_name: string | null }>>(
      `SELECT action, actor_type, actor_name FROM audit_entry WHERE subject_type = 'order' AND subject_id = $1 ORDER BY id`,
      [orderId],
    );

  it('shows staff the notice in the outbox with its links disabled and the link tokens hidden', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const page = await auditor.get(`/outbox/${messageId}`).expect(200);
    expect(page.text).toContain('工作人员预览:链接已停用');
    expect(page.text).toContain('<iframe class="mail-frame" sandbox=""');
    // The notice itself is there: its buttons' words, now without a target.
    expect(page.text).toContain('确认收到指令');
    expect(page.text).toContain('报告措施已落实');
    // The mail as the browser renders it inside the frame: the srcdoc attribute, unescaped.
    const srcdoc = /srcdoc="([^"]*)"/
      .exec(page.text)![1]
      .replace(
        /&(quot|amp|lt|gt|#x27|#x3D|#x60);/g,
        (_, e: string) =>
          ({ quot: '"', amp: '&', lt: '<', gt: '>', '#x27': "'", '#x3D': '=', '#x60': '`' })[e]!,
      );
    expect(srcdoc).toContain('<a ');
    expect(srcdoc.match(/aria-disabled="true"/g)).toHaveLength(2);
    // No live link to an acknowledgement page, in the frame or on the page around it.
    const liveAckHref = /href\s*=\s*["']?[^"'\s>]*\/ack\//i;
    expect(srcdoc).not.toMatch(liveAckHref);
    expect(page.text).not.toMatch(liveAckHref);
    expect(page.text).not.toContain(token);
    expect(page.text).toContain('/ack/(链接已停用)');
  });

  it('refuses a receipt or report posted with a staff session (403, in Chinese), records the refusal and changes nothing', async () => {
    const auditor = await t.signIn(['AUDITOR'], 'staff-auditor');
    const duty = await t.signIn(['DUTY_OFFICER'], 'staff-duty');
    const before = await order();
    expect(before).toEqual({ state: 'SENT', received_at: null, executed_at: null });

    const receipt = await auditor.post(`/ack/${token}/receipt`).type('form').send(SIGNER).expect(403);
    expect(receipt.headers['content-type']).toMatch(/text\/html/);
    expect(receipt.text).toContain('不能代企业签收或报告');
    expect(receipt.text).toContain('data-code="STAFF_CANNOT_ACK"');
    const report = await duty
      .post(`/ack/${token}/report`)
      .type('form')
      .send({ ...SIGNER, measuresInPlaceAt: '2026-11-28T10:00', note: '代为填报' })
      .expect(403);
    expect(report.text).toContain('不能代企业签收或报告');

    expect(await order()).toEqual(before);
    expect(await auditOfOrder()).toEqual([
      { action: 'order.ack.refused-staff', actor_type: 'USER', actor_name: 'staff-auditor' },
      { action: 'order.ack.refused-staff', actor_type: 'USER', actor_name: 'staff-duty' },
    ]);
  });

  it('opens the enterprise page for staff as a preview, without the forms', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    const page = await duty.get(`/ack/${token}`).expect(200);
    expect(page.text).toContain('id="staff-preview"');
    expect(page.text).not.toContain(`action="/ack/${token}`);
    const enterprise = await t.http().get(`/ack/${token}`).expect(200);
    expect(enterprise.text).not.toContain('id="staff-preview"');
    expect(enterprise.text).toContain(`action="/ack/${token}/receipt"`);
  });

  it('still lets the enterprise (no session) confirm as before', async () => {
    await t
      .http()
      .post(`/ack/${token}/receipt`)
      .type('form')
      .send(SIGNER)
      .expect(303)
      .expect('location', `/ack/${token}?done=receipt`);
    expect(await order()).toMatchObject({ state: 'RECEIVED' });
    expect((await auditOfOrder()).map((a) => [a.action, a.actor_type])).toEqual([
      ['order.ack.refused-staff', 'USER'],
      ['order.ack.refused-staff', 'USER'],
      ['order.received', 'ENTERPRISE'],
    ]);
  });
});
