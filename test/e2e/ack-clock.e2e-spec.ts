import { issueEnterpriseLink, type EnterpriseLink } from '../support/enterprise-link';
import { SIGNER } from '../support/signer';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

/** The enterprise's page reads Shanghai time from the service's clock, and reads the form's time as Shanghai time. */
describe('the acknowledgement page and the clock', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let link: EnterpriseLink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    link = await issueEnterpriseLink(t, sink);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it("fills the report's time with now on the injected clock, in Shanghai time", async () => {
    t.clock.set('2026-11-28T21:17:40+08:00');
    const page = await t.http().get(`/ack/${link.token}`).expect(200);
    expect(page.text).toContain('name="measuresInPlaceAt" value="2026-11-28T21:17"');
    t.clock.set('2026-11-29T00:03:00+08:00'); // past midnight in Shanghai, still the 28th in UTC
    expect((await t.http().get(`/ack/${link.token}`).expect(200)).text).toContain('value="2026-11-29T00:03"');
  });

  it('reads a reported time with seconds and no zone as Shanghai time', async () => {
    await t
      .http()
      .post(`/ack/${link.token}/report`)
      .type('form')
      .send({ ...SIGNER, measuresInPlaceAt: '2026-11-28T21:05:30', note: '已落实' })
      .expect(303);
    const [order] = await t.dataSource.query<Array<{ measures_in_place_at: Date }>>(
      'SELECT measures_in_place_at FROM reduction_order WHERE id = $1',
      [link.orderId],
    );
    expect(order.measures_in_place_at.toISOString()).toBe('2026-11-28T13:05:30.000Z');
  });
});
