import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { OrderDeadlinesJob } from '../../src/scheduler/order-deadlines.job';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const seedCounties = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../seeds/counties.json'), 'utf8'),
) as Array<{ code: string; name: string; bureauName: string; bureauPhone: string; bureauEmail: string }>;
const county = (code: string) => seedCounties.find((c) => c.code === code)!;
const CONSEQUENCE = '依据《中华人民共和国大气污染防治法》第九十六条';
const RULESET = '《生态环境部2024年重污染天气预警分级标准》';
const ISSUER = '吕梁市重污染天气应急指挥部';
const DUTY = ['吕梁市重污染天气应急指挥部办公室(值班室):电话 0358-8221234,邮箱 duty@lvliang.test'];
const bureau = (code: string) =>
  `${county(code).bureauName}:电话 ${county(code).bureauPhone},邮箱 ${county(code).bureauEmail}`;

/** Ten consecutive days from 11-28 for a county. */
const days = (countyCode: string, ...aqi: number[]) =>
  aqi.map((v, i) => ({
    countyCode,
    date: new Date(Date.UTC(2026, 10, 28 + i)).toISOString().slice(0, 10),
    aqi: v,
    primaryPollutant: 'PM2.5',
  }));

/**
 * Every kind of notice, as the enterprises and bureaus receive it through a real SMTP server, parsed back: each is
 * the one notice document (文号, title, addressee, basis, counties, level and response level, times, measures,
 * deadlines, consequence, contacts, issuer and date) in the HTML and in the text part; its printable page and PDF.
 */
describe('notices as official documents', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let admin: Agent;
  let consultationId: string;
  const tokens: Record<string, string> = {};
  const orderIds: Record<string, string> = {};

  const drain = async () => {
    const before = sink.received;
    const r = await t.app.get(OutboxDispatcher).drain();
    if (r.sent) await sink.waitFor(before + r.sent);
  };
  const mailsTo = (address: string) => sink.messages.filter((m) => JSON.stringify(m.to).includes(address));
  const lastTo = (address: string, subject: string) => {
    const mail = mailsTo(address)
      .filter((m) => m.subject?.includes(subject))
      .at(-1);
    if (!mail) throw new Error(`no mail to ${address} with ${subject}`);
    return mail;
  };
  /** Each string appears in the HTML (as escaped text) and in the text part. */
  const expectBoth = (mail: ParsedMail, parts: string[]) => {
    const html = String(mail.html);
    for (const p of parts) {
      expect(mail.text).toContain(p);
      expect(html).toContain(p.replace(/&/g, '&amp;').replace(/'/g, '&#x27;').replace(/"/g, '&quot;'));
    }
  };
  const expectMailBasics = (mail: ParsedMail) => {
    expect(mail.replyTo?.text).toBe('duty@lvliang.test');
    expect(String(mail.html)).toContain(
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
    );
    expect(String(mail.html)).toContain('overflow-wrap:anywhere');
  };
  const enterprise = async (key: string, name: string, countyCode: string, measures: object[]) => {
    const { body } = await admin
      .post('/api/enterprises')
      .send(
        enterpriseInput({ name, countyCode, contacts: [{ name: '联系人', email: `${key}@test.example` }] }),
      )
      .expect(201);
    if (measures.length) await admin.put(`/api/enterprises/${body.id}/plan`).send({ measures }).expect(200);
    return body.id as string;
  };
  const draft = async (body: Record<string, unknown>) =>
    (
      await duty
        .post('/api/alerts')
        .send({ reason: '会商研判', ...body })
        .expect(201)
    ).body.id as string;
  const approve = async (id: string, body: object = {}) =>
    (await commander.post(`/api/alerts/${id}/approve`).send(body).expect(200)).body;
  const tokenOf = (mail: ParsedMail) => /\/ack\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];

  let alertA: string;
  const signInAgain = async () => {
    [duty, commander] = await Promise.all([t.signIn(['DUTY_OFFICER']), t.signIn(['COMMANDER'])]);
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [duty, commander, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['ADMIN']),
    ]);
    await enterprise('jia', '甲焦化有限公司', '141181', [
      measure({
        level: 'ORANGE',
        line: 'JL1',
        action: 'LIMIT_PERCENT',
        params: { percent: 30 },
        description: '焦炉限产30%',
      }),
      measure({
        level: 'RED',
        line: 'JL1',
        action: 'CONCENTRATION_CAP',
        params: { pm: 5, so2: 15 },
        description: '焦炉烟气深度治理',
        verification: 'CEMS',
      }),
      measure({
        level: 'RED',
        line: 'JL1',
        action: 'LIMIT_PERCENT',
        params: { percent: 50 },
        description: '焦炉限产50%',
      }),
    ]);
    await enterprise('bing', '丙水泥有限公司', '141182', [
      measure({ level: 'ORANGE', action: 'STOP', params: {}, description: '熟料线停产' }),
    ]);
    await enterprise('ding', '丁铸造有限公司', '141121', [measure({ level: 'YELLOW' })]);
    await enterprise('wu', '戊耐材有限公司', '141102', []);
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市气象局', '市生态环境局'],
        opinion: '未来三天扩散条件持续不利',
        forecasts: [
          ...days('141181', 230, 240, 220, 120, 100, 90, 80, 90, 100, 90),
          // 离石区: clean for the detailed days, polluted in the trend: a heads-up.
          ...days('141102', 90, 80, 90, 100, 110, 100, 90, 210, 230, 100),
        ],
      })
      .expect(201);
    consultationId = c.body.id;
  });

  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('issued: 文号, title, addressee, basis, counties, level, times, measures, deadlines, consequence, contacts', async () => {
    alertA = await draft({
      level: 'ORANGE',
      countyCodes: ['141181'],
      effectiveAt: '2026-11-28T20:00:00+08:00',
      expectedEndAt: '2026-11-30T20:00:00+08:00',
      consultationId,
    });
    const view = await approve(alertA);
    expect(view.revisions[0].documentNumber).toBe('吕重污应急〔2026〕1号');
    await drain();
    const mail = lastTo('jia@test.example', '【橙色预警】');
    expect(mail.subject).toBe(`【橙色预警】甲焦化有限公司减排指令(${view.code}) · 吕重污应急〔2026〕1号`);
    expectMailBasics(mail);
    expectBoth(mail, [
      ISSUER,
      '吕重污应急〔2026〕1号',
      '关于启动重污染天气橙色预警（Ⅱ级应急响应）的通知',
      '甲焦化有限公司:',
      `根据2026年11月28日重污染天气会商意见(未来三天扩散条件持续不利),按照${RULESET}`,
      '决定自2026年11月28日 20:00起在孝义市启动重污染天气橙色预警',
      '实施Ⅱ级应急响应,预计持续至2026年11月30日 20:00',
      '响应级别',
      'Ⅱ级应急响应',
      '涉及区县',
      '孝义市',
      '限产 30%',
      '焦炉限产30%',
      '预警期间全程',
      '分表计电',
      '签收截止',
      '2026年11月28日 20:00前确认收到本通知',
      '落实报告截止',
      CONSEQUENCE,
      bureau('141181'),
      ...DUTY,
      '(吕梁市重污染天气应急指挥部办公室代章)',
      '2026年11月28日',
    ]);
    // The level's colour for an order; the signed links wrap on a phone.
    expect(String(mail.html)).toContain('background:#f08c00');
    expect(String(mail.html)).toContain('word-break:break-all');
    tokens.jia = tokenOf(mail);
    orderIds.jia = (
      await t.dataSource.query<Array<{ id: string }>>('SELECT id FROM reduction_order WHERE alert_id = $1', [
        alertA,
      ])
    )[0].id;
  });

  it('reminder and escalation cite the notice’s 文号', async () => {
    t.clock.set('2026-11-28T19:15:00+08:00');
    await t.app.get(OrderDeadlinesJob).run();
    await drain();
    const reminder = lastTo('jia@test.example', '【提醒】');
    expectMailBasics(reminder);
    expect(reminder.subject).toContain('吕重污应急〔2026〕1号');
    expectBoth(reminder, [
      '吕重污应急〔2026〕1号《关于启动重污染天气橙色预警（Ⅱ级应急响应）的通知》',
      '签收截止时间为',
      '2026年11月28日 20:00',
      '限产 30%',
      bureau('141181'),
      ...DUTY,
    ]);
    t.clock.set('2026-11-28T20:05:00+08:00');
    await t.app.get(OrderDeadlinesJob).run();
    await drain();
    const escalation = lastTo(county('141181').bureauEmail, '【逾期通报】');
    expectMailBasics(escalation);
    expectBoth(escalation, ['孝义市生态环境分局', '甲焦化有限公司', '吕重污应急〔2026〕1号']);
  });

  it('adjusted (upgrade): the new title and 文号, what is added, the new deadlines', async () => {
    await t.app.get(AlertTransitionsJob).run();
    await duty
      .post(`/api/alerts/${alertA}/adjust`)
      .send({ level: 'RED', effectiveAt: '2026-11-28T22:00:00+08:00', reason: '预报加重', consultationId })
      .expect(200);
    const view = await approve(alertA);
    expect(view.revisions[1].documentNumber).toBe('吕重污应急〔2026〕2号');
    await drain();
    const mail = lastTo('jia@test.example', '【预警升级为红色】');
    expectMailBasics(mail);
    expect(mail.subject).toContain('吕重污应急〔2026〕2号');
    expectBoth(mail, [
      '吕重污应急〔2026〕2号',
      '关于将重污染天气橙色预警升级为红色预警（Ⅰ级应急响应）的通知',
      '甲焦化有限公司:',
      '决定自2026年11月28日 22:00起将孝义市重污染天气橙色预警',
      '升级为红色预警,实施Ⅰ级应急响应',
      '新增措施',
      '颗粒物 ≤ 5 mg/m³、SO2 ≤ 15 mg/m³',
      '在线监测(CEMS)',
      '限产 50%',
      '不再执行的措施',
      CONSEQUENCE,
      bureau('141181'),
      ...DUTY,
    ]);
    expect(String(mail.html)).toContain('background:#d0021b');
  });

  it('extended: the new expected end, keep executing', async () => {
    await duty
      .post(`/api/alerts/${alertA}/extend`)
      .send({ expectedEndAt: '2026-12-01T20:00:00+08:00', reason: '持续静稳' })
      .expect(200);
    const view = await approve(alertA);
    expect(view.revisions[2].documentNumber).toBe('吕重污应急〔2026〕3号');
    await drain();
    const mail = lastTo('jia@test.example', '【预警延长】');
    expectMailBasics(mail);
    expectBoth(mail, [
      '吕重污应急〔2026〕3号',
      // The upgrade takes effect only at 22:00: at this extension the warning in force is still orange.
      '关于延长重污染天气橙色预警（Ⅱ级应急响应）的通知',
      '甲焦化有限公司:',
      '预计持续至2026年12月01日 20:00',
      '继续执行现行减排指令',
      '孝义市',
      CONSEQUENCE,
      bureau('141181'),
      ...DUTY,
    ]);
  });

  it('lifted: neutral, the lift time, resume in order, no deadlines', async () => {
    t.clock.set('2026-11-29T10:00:00+08:00');
    await signInAgain(); // a day later: new sessions
    await t.app.get(AlertTransitionsJob).run(); // the upgrade took effect at 22:00
    await duty
      .post(`/api/alerts/${alertA}/lift`)
      .send({ effectiveAt: '2026-11-29T12:00:00+08:00', reason: '预报好转' })
      .expect(200);
    const view = await approve(alertA, { overrideReason: '现场核查确认空气质量好转' });
    expect(view.revisions[3].documentNumber).toBe('吕重污应急〔2026〕4号');
    await drain();
    const mail = lastTo('jia@test.example', '【预警解除】');
    expectMailBasics(mail);
    expectBoth(mail, [
      '吕重污应急〔2026〕4号',
      '关于解除重污染天气红色预警（Ⅰ级应急响应）的通知',
      '甲焦化有限公司:',
      '决定自2026年11月29日 12:00 起解除孝义市重污染天气红色预警',
      '有序恢复生产',
      bureau('141181'),
      ...DUTY,
      '2026年11月29日',
    ]);
    const html = String(mail.html);
    expect(html).toContain('background:#e4e7eb'); // neutral, not red
    expect(html).not.toContain('background:#d0021b');
    expect(mail.text).not.toContain('签收截止');
    expect(mail.text).not.toContain(CONSEQUENCE);
  });

  it('cancelled: neutral, no measures to carry out', async () => {
    const id = await draft({
      level: 'ORANGE',
      countyCodes: ['141182'],
      effectiveAt: '2026-11-30T20:00:00+08:00',
    });
    expect((await approve(id)).revisions[0].documentNumber).toBe('吕重污应急〔2026〕5号');
    await duty.post(`/api/alerts/${id}/cancel`).send({ reason: '预报调整' }).expect(200);
    expect((await approve(id)).revisions[1].documentNumber).toBe('吕重污应急〔2026〕6号');
    await drain();
    const mail = lastTo('bing@test.example', '【预警撤销】');
    expectMailBasics(mail);
    expectBoth(mail, [
      '吕重污应急〔2026〕6号',
      '关于撤销重污染天气橙色预警的通知',
      '丙水泥有限公司:',
      '汾阳市',
      '尚未生效的减排措施无需执行',
      bureau('141182'),
      ...DUTY,
    ]);
    expect(String(mail.html)).toContain('background:#e4e7eb');
  });

  it('expired: its own 文号 at expiry, neutral', async () => {
    const id = await draft({
      level: 'YELLOW',
      countyCodes: ['141121'],
      effectiveAt: '2026-11-29T14:00:00+08:00',
      expectedEndAt: '2026-11-29T20:00:00+08:00',
    });
    expect((await approve(id)).revisions[0].documentNumber).toBe('吕重污应急〔2026〕7号');
    t.clock.set('2026-11-29T14:00:05+08:00');
    await t.app.get(AlertTransitionsJob).run();
    t.clock.set('2026-11-29T20:00:05+08:00');
    await t.app.get(AlertTransitionsJob).run();
    const { body } = await duty.get(`/api/alerts/${id}`).expect(200);
    expect(body).toMatchObject({ status: 'EXPIRED', expiryDocumentNumber: '吕重污应急〔2026〕8号' });
    await drain();
    const mail = lastTo('ding@test.example', '【预警到期解除】');
    expectMailBasics(mail);
    expect(mail.subject).toContain('吕重污应急〔2026〕8号');
    expectBoth(mail, [
      '吕重污应急〔2026〕8号',
      '关于重污染天气黄色预警到期解除的通知',
      '丁铸造有限公司:',
      '文水县重污染天气黄色预警',
      '已于 2026年11月29日 20:00 到期结束',
      bureau('141121'),
      ...DUTY,
    ]);
    expect(String(mail.html)).toContain('background:#e4e7eb');
  });

  it('heads-up: its own 文号, the outlook, no order', async () => {
    const { body } = await duty.post(`/api/consultations/${consultationId}/heads-up`).send({}).expect(201);
    expect(body.documentNumber).toBe('吕重污应急〔2026〕9号');
    await drain();
    const mail = lastTo('wu@test.example', '【预警提示】');
    expectMailBasics(mail);
    expectBoth(mail, [
      '吕重污应急〔2026〕9号',
      '关于做好重污染天气应对准备的提示',
      '戊耐材有限公司:',
      '据2026年11月28日重污染天气会商意见(未来三天扩散条件持续不利)的趋势预报',
      '离石区未来可能出现以下重污染天气过程',
      '这是预警提示,不是预警指令',
      bureau('141102'),
      ...DUTY,
    ]);
  });

  it('the ack page shows the notice; the print page is A4 with print CSS; the PDF holds 文号, addressee, measures', async () => {
    // The lifted order's own notice is the issue's (文号 1): its link still opens it.
    const page = await t.http().get(`/ack/${tokens.jia}`).expect(200);
    expect(page.text).toContain('id="notice-document"');
    expect(page.text).toContain('吕重污应急〔2026〕1号');
    expect(page.text).toContain('关于启动重污染天气橙色预警（Ⅱ级应急响应）的通知');

    const print = await t.http().get(`/ack/${tokens.jia}/print`).expect(200);
    expect(print.text).toContain('<link rel="stylesheet" href="/assets/notice.css">');
    expect(print.text).toContain('吕重污应急〔2026〕1号');
    expect(print.text).toContain('限产 30%');
    expect(print.text).not.toContain('class="topbar"'); // no console chrome on paper
    const css = await t.http().get('/assets/notice.css').expect(200);
    expect(css.text).toMatch(/@page\s*\{\s*size:\s*A4/);
    expect(css.text).toContain('@media print');

    const pdf = await t
      .http()
      .get(`/ack/${tokens.jia}/notice.pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // RFC 5987: the Chinese name for browsers, an ASCII stand-in for the rest.
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+\.pdf"; /);
    expect(pdf.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('吕重污应急〔2026〕1号-甲焦化有限公司.pdf')}`,
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hz-pdf-')), 'notice.pdf');
    fs.writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const part of [
      '吕重污应急〔2026〕1号',
      '甲焦化有限公司',
      '限产 30%',
      '焦炉限产30%',
      '分表计电',
      '孝义市',
    ])
      expect(text).toContain(part);
  });

  it('shows the 文号 wherever the notice appears: alert view and page, timeline, orders, outbox', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const { body: alert } = await auditor.get(`/api/alerts/${alertA}`).expect(200);
    expect(alert.revisions.map((r: { documentNumber: string }) => r.documentNumber)).toEqual([
      '吕重污应急〔2026〕1号',
      '吕重污应急〔2026〕2号',
      '吕重污应急〔2026〕3号',
      '吕重污应急〔2026〕4号',
    ]);
    const page = await auditor.get(`/alerts/${alertA}`).expect(200);
    for (const n of [1, 2, 3, 4])
      expect(page.text).toContain(`<span class="document-number">吕重污应急〔2026〕${n}号</span>`);
    const timeline = await auditor.get(`/api/alerts/${alertA}/timeline`).expect(200);
    const approvals = timeline.body.items.filter((i: { action: string }) => i.action === 'alert.approved');
    expect(approvals.map((i: { summary: string }) => i.summary.split(' · ').at(-1))).toEqual([
      '吕重污应急〔2026〕1号',
      '吕重污应急〔2026〕2号',
      '吕重污应急〔2026〕3号',
      '吕重污应急〔2026〕4号',
    ]);
    const orders = await auditor.get(`/api/alerts/${alertA}/orders`).expect(200);
    // The order in force at the lift was the upgrade's.
    expect(orders.body.map((o: { documentNumber: string }) => o.documentNumber)).toEqual([
      '吕重污应急〔2026〕2号',
    ]);
    const outbox = await auditor.get(`/api/outbox?alertId=${alertA}`).expect(200);
    const byKind = (kind: string) =>
      outbox.body
        .filter((m: { kind: string }) => m.kind === kind)
        .map((m: { documentNumber: string }) => m.documentNumber);
    expect(byKind('ORDER_ISSUED')).toEqual(['吕重污应急〔2026〕1号']);
    expect(byKind('ORDER_ADJUSTED')).toEqual(['吕重污应急〔2026〕2号']);
    expect(byKind('ORDER_EXTENDED')).toEqual(['吕重污应急〔2026〕3号']);
    expect(byKind('ORDER_LIFTED')).toEqual(['吕重污应急〔2026〕4号']);
    expect(byKind('REMINDER')).toEqual(['吕重污应急〔2026〕1号']);
  });

  it('staff open the same notice by order id (print page and PDF); others are sent to sign in', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const page = await auditor.get(`/orders/${orderIds.jia}/notice`).expect(200);
    expect(page.text).toContain('吕重污应急〔2026〕1号');
    const pdf = await auditor.get(`/orders/${orderIds.jia}/notice.pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    await t.http().get(`/orders/${orderIds.jia}/notice`).expect(303);
    await auditor.get('/orders/00000000-0000-4000-8000-000000000000/notice').expect(404);
  });
});
