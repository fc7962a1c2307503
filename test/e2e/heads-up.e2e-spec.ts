import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { enterpriseInput } from '../factories/enterprise.factory';
import { postForm } from '../support/console-forms';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** Ten consecutive days from 11-29 for a county: seven detailed, three of trend. */
const tenDays = (countyCode: string, ...aqi: number[]) =>
  aqi.map((v, i) => {
    const d = new Date(Date.UTC(2026, 10, 29 + i)).toISOString().slice(0, 10);
    return { countyCode, date: d, aqi: v, primaryPollutant: 'PM2.5' };
  });

/**
 * The heads-up (预警提示): a trend beyond the detailed days shows an episode, and the duty officer tells the
 * enterprises of those counties to prepare; no order, nothing to confirm. Real SMTP sink, mail parsed back.
 */
describe('heads-up notices from the outlook', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let consultationId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-hu');
    const admin = await t.signIn(['ADMIN']);
    const contact = (email: string) => [{ name: '联系人', email }];
    for (const [countyCode, email] of [
      ['141181', 'xiaoyi-1@test.example'],
      ['141181', 'xiaoyi-2@test.example'],
      ['141102', 'lishi@test.example'],
    ] as const) {
      const r = await admin
        .post('/api/enterprises')
        .send(enterpriseInput({ countyCode, contacts: contact(email) }));
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    }
    // 孝义市: clean for the detailed seven days, then 12-07/12-08 above 200 (ORANGE) in the trend. 离石区: clean.
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市气象局'],
        opinion: '下周后期扩散条件转差',
        forecasts: [
          ...tenDays('141181', 90, 80, 90, 100, 110, 100, 90, 100, 210, 230),
          ...tenDays('141102', 90, 80, 90, 100, 110, 100, 90, 100, 110, 100),
        ],
      })
      .expect(201);
    consultationId = c.body.id;
  });

  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('the trend beyond the detailed days gives 孝义市 an outlook and no level', async () => {
    const c = await duty.get(`/api/consultations/${consultationId}`).expect(200);
    expect(
      c.body.recommendations.find((r: { countyCode: string }) => r.countyCode === '141181'),
    ).toMatchObject({
      level: null,
      outlook: [{ from: '2026-12-07', to: '2026-12-08', level: 'ORANGE' }],
    });
  });

  it('refuses a county whose trend shows nothing, naming it, and writes nothing', async () => {
    const res = await duty
      .post(`/api/consultations/${consultationId}/heads-up`)
      .send({ countyCodes: ['141181', '141102'] })
      .expect(422);
    expect(res.body.error.fields).toEqual([
      { field: 'countyCodes[1]', message: '离石区的趋势预报没有污染过程,无需预警提示' },
    ]);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM heads_up')).toEqual([{ n: 0 }]);
    expect(
      await t.dataSource.query("SELECT count(*)::int AS n FROM outbox_message WHERE kind = 'HEADS_UP'"),
    ).toEqual([{ n: 0 }]);
  });

  it('only a duty officer sends it', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    await auditor.post(`/api/consultations/${consultationId}/heads-up`).send({}).expect(403);
  });

  it('sends every enterprise of the outlook counties a heads-up: no order, no link to confirm; recorded and audited', async () => {
    const res = await duty
      .post(`/api/consultations/${consultationId}/heads-up`)
      .send({ note: '请提前检查除尘设施' })
      .expect(201);
    expect(res.body).toMatchObject({
      consultationId,
      countyCodes: ['141181'],
      note: '请提前检查除尘设施',
      enterprises: 2,
      messages: 2,
      sentBy: 'duty-hu',
    });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM reduction_order')).toEqual([{ n: 0 }]);

    await t.app.get(OutboxDispatcher).drain();
    const mails = await sink.waitFor(2);
    expect(mails.map((m) => (m.to as { text: string }).text).sort()).toEqual([
      'xiaoyi-1@test.example',
      'xiaoyi-2@test.example',
    ]);
    const [mail] = mails;
    expect(mail.subject).toBe(
      '【预警提示】孝义市未来可能出现重污染天气过程,请提前做好应急减排准备 · 吕重污应急〔2026〕1号',
    );
    expect(mail.text).toContain('孝义市未来可能出现以下重污染天气过程:');
    expect(mail.text).toContain('- 12月07日至12月08日:可能达到橙色预警启动条件。');
    expect(mail.text).toContain('这是预警提示,不是预警指令:现在无需停限产,无需回执。');
    expect(mail.text).toContain('指挥部办公室说明:请提前检查除尘设施');
    expect(mail.html).toContain('关于做好重污染天气应对准备的提示');
    expect(mail.text).not.toContain('/ack/');

    const [entry] = await t.dataSource
      .getRepository(AuditEntry)
      .findBy({ action: 'consultation.heads-up.sent', subjectId: consultationId });
    expect(entry.data).toMatchObject({ countyCodes: ['141181'], enterprises: 2, messages: 2 });
    const list = await duty.get(`/api/consultations/${consultationId}/heads-up`).expect(200);
    expect(list.body).toHaveLength(1);
  });

  it('does not send twice to the same county for one consultation (409)', async () => {
    const res = await duty.post(`/api/consultations/${consultationId}/heads-up`).send({}).expect(409);
    expect(res.body.error).toMatchObject({
      code: 'HEADS_UP_ALREADY_SENT',
      message: '本次会商已向孝义市发送过预警提示',
    });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM heads_up')).toEqual([{ n: 1 }]);
  });

  it('the console shows the outlook with the heads-up sent, and refuses a second one on the page', async () => {
    const page = await duty.get(`/consultations/${consultationId}`).expect(200);
    expect(page.text).toContain('预警提示(趋势预报)');
    expect(page.text).toMatch(/<tr data-county="141181"><td><span class="muted">已发送<\/span>/);
    expect(page.text).toContain(
      // Sent by duty-hu, named by the display name (the role name, as the account was made without one).
      '<td>孝义市</td><td>2</td><td>2</td><td>值班员</td><td class="document-number">吕重污应急〔2026〕1号</td>',
    );
    const again = await postForm(duty, `/consultations/${consultationId}/heads-up`, {
      countyCodes: '141181',
      note: '',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('本次会商已向孝义市发送过预警提示');
  });
});
