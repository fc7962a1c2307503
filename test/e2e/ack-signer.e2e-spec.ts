import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { issueEnterpriseLink, type EnterpriseLink } from '../support/enterprise-link';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

/** Receipts and reports name a person (签收人, 联系电话): validated on the page, stored, audited, shown back. */
describe('receipts that name a person', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let link: EnterpriseLink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, DUTY_OFFICE_PHONE: '0358-8221234' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    link = await issueEnterpriseLink(t, sink);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const order = async () =>
    (
      await t.dataSource.query<Array<Record<string, unknown>>>(
        `SELECT state, received_at, received_by_name, received_by_phone, reported_by_name, reported_by_phone
           FROM reduction_order WHERE id = $1`,
        [link.orderId],
      )
    )[0];
  const post = (path: string, body: Record<string, string>) =>
    t.http().post(`/ack/${link.token}/${path}`).type('form').send(body);

  it('asks for the signer: the form has the fields', async () => {
    const page = await t.http().get(`/ack/${link.token}`).expect(200);
    expect(page.text).toContain('签收人 <input name="signerName"');
    expect(page.text).toContain('联系电话 <input name="signerPhone"');
  });

  it('refuses a receipt without a valid signer on the page itself, errors beside the fields, writing nothing', async () => {
    const res = await post('receipt', { signerName: ' ', signerPhone: '12ab' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      '<span class="field-error" id="receipt-signerName-error">请填写签收人姓名</span>',
    );
    expect(res.text).toContain(
      '<span class="field-error" id="receipt-signerPhone-error">联系电话应为7至20位数字(手机或带区号的固定电话,可含 +、-、空格、括号和分机号)</span>',
    );
    expect(res.text).toContain('如有疑问请联系吕梁市重污染天气应急指挥部办公室,电话 0358-8221234。');
    // What was typed stays in the form.
    expect(res.text).toContain('name="signerPhone" value="12ab"');
    expect(await order()).toMatchObject({ received_at: null, received_by_name: null });
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'order.received' })).toBe(0);
  });

  it('a post without any body is an empty form (422 on the page), not a crash', async () => {
    const res = await t.http().post(`/ack/${link.token}/receipt`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('请填写签收人姓名');
  });

  it('records the signer with the receipt, audits it, and shows the record instead of the form', async () => {
    await post('receipt', { signerName: ' 王五 ', signerPhone: '139 0000 0000' })
      .expect(303)
      .expect('location', `/ack/${link.token}?done=receipt`);
    expect(await order()).toMatchObject({
      state: 'RECEIVED',
      received_by_name: '王五',
      received_by_phone: '139 0000 0000',
    });
    const [entry] = await t.dataSource.getRepository(AuditEntry).findBy({ action: 'order.received' });
    expect(entry.data).toMatchObject({ signer: { name: '王五', phone: '139 0000 0000' } });
    const page = await t.http().get(`/ack/${link.token}?done=receipt`).expect(200);
    expect(page.text).toMatch(
      /<section class="card" id="receipt-record"><h2>签收记录<\/h2>[\s\S]*王五[\s\S]*139 0000 0000/,
    );
    expect(page.text).not.toContain('id="confirm-receipt"');
    // The report form starts with the signer's name and phone.
    expect(page.text).toContain('name="signerName" value="王五"');
  });

  it('a second confirmation changes nothing and needs no signer', async () => {
    await post('receipt', {}).expect(303).expect('location', `/ack/${link.token}?done=already`);
    expect(await order()).toMatchObject({ received_by_name: '王五' });
  });

  it('a report names its reporter; the orders list and the page show both', async () => {
    t.clock.set('2026-11-28T11:00:00+08:00');
    const refused = await post('report', {
      measuresInPlaceAt: '2026-11-28T10:30',
      note: '已停产',
      signerName: '赵六',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      '<span class="field-error" id="report-signerPhone-error">请填写联系电话</span>',
    );
    expect(refused.text).toContain('>已停产</textarea>');
    await post('report', {
      measuresInPlaceAt: '2026-11-28T10:30',
      note: '已停产',
      signerName: '赵六',
      signerPhone: '0358-7654321',
    }).expect(303);
    expect(await order()).toMatchObject({
      state: 'EXECUTED',
      received_by_name: '王五',
      reported_by_name: '赵六',
      reported_by_phone: '0358-7654321',
    });
    const duty = await t.signIn(['DUTY_OFFICER']);
    const list = await duty.get(`/api/alerts/${link.alertId}/orders`).expect(200);
    expect(list.body[0]).toMatchObject({
      receivedBy: { name: '王五', phone: '139 0000 0000' },
      reportedBy: { name: '赵六', phone: '0358-7654321' },
    });
    const page = await t.http().get(`/ack/${link.token}`).expect(200);
    expect(page.text).toMatch(/id="report-record"[\s\S]*赵六[\s\S]*0358-7654321[\s\S]*已停产/);
    expect(page.text).not.toContain('id="submit-report"');
    const assessment = await duty.get(`/api/alerts/${link.alertId}/assessment`).expect(200);
    expect(assessment.body.acknowledgements).toEqual([
      expect.objectContaining({
        receivedBy: { name: '王五', phone: '139 0000 0000' },
        reportedBy: { name: '赵六', phone: '0358-7654321' },
      }),
    ]);
    const csv = await duty.get(`/api/alerts/${link.alertId}/assessment.csv`).expect(200);
    expect(csv.text).toContain('【签收与落实报告】');
    expect(csv.text).toMatch(/王五,139 0000 0000,[^,]*,赵六,0358-7654321/);
    const console = await duty.get(`/alerts/${link.alertId}`).expect(200);
    expect(console.text).toContain('王五 139 0000 0000');
    expect(console.text).toContain('赵六 0358-7654321');
  });
});
