import { unzipTexts } from '../support/unzip';
import ExcelJS from 'exceljs';
import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { PartyDeadlinesJob } from '../../src/scheduler/party-deadlines.job';
import { type Agent, scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';
import { openpyxlCells } from '../support/openpyxl';

const DEPARTMENTS = [
  ['ZHUJIAN', '市住建局'],
  ['JIAOTONG', '市交通局'],
  ['JIAOJING', '市公安交警支队'],
  ['CHENGGUAN', '市城管局'],
  ['GONGXIN', '市工信局'],
  ['SHANGWU', '市商务局'],
  ['QIXIANG', '市气象局'],
  ['SHENGTAI', '市生态环境局'],
] as const;
/** MEE-2024's YELLOW duties name six of them; 工信 and 商务 have duties from ORANGE up. */
const YELLOW_DEPARTMENTS = ['ZHUJIAN', 'JIAOTONG', 'JIAOJING', 'CHENGGUAN', 'QIXIANG', 'SHENGTAI'];
const mailOf = (code: string) => `${code.toLowerCase()}@dept.test.example`;
const JIAOCHENG = 'jiaocheng@sthj.lvliang.example';
const WENSHUI = 'wenshui@sthj.lvliang.example';

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function readXlsx(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v as string)))),
  );
  return rows;
}

describe('county bureaus and city departments receive every warning notice and confirm it', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let alertId: string;
  let duty: Agent;
  let commander: Agent;
  const to = (address: string) => (m: ParsedMail) => JSON.stringify(m.to).includes(address);
  const path = (text: string, re: RegExp) => new URL(re.exec(text)![0]).pathname;
  const drain = async () => {
    const before = sink.received;
    const r = await t.app.get(OutboxDispatcher).drain();
    await sink.waitFor(before + r.sent);
    return r;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      env: {
        SMTP_URL: sink.url,
        PARTY_NOTICES: 'true',
        SESSION_TTL_HOURS: '720',
        DUTY_OFFICE_PHONE: '0358-8888110',
        DUTY_OFFICE_EMAIL: 'duty-office@test.example',
        ACK_LINK_DAYS: '3',
      },
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const admin = await t.signIn(['ADMIN']);
    await admin
      .put('/api/departments')
      .send({
        departments: DEPARTMENTS.map(([code, name], i) => ({ code, name, email: mailOf(code), sort: i + 1 })),
      })
      .expect(200);
    const s = await scenario(t, { sink, agents: { admin } })
      .enterprises([
        { key: 'jc1', input: { name: '交城甲焦化有限公司', countyCode: '141122', grade: 'C' } },
        {
          key: 'jc2',
          input: { name: '交城乙水泥有限公司', countyCode: '141122', grade: 'C' },
          measures: [
            {
              level: 'YELLOW',
              line: 'JL1',
              action: 'STOP',
              params: {},
              description: '1#窑停产',
              reduction: { so2: 1, nox: 1, pm: 1, vocs: 0 },
              verification: 'POWER_SUBMETER',
              fromHour: null,
              toHour: null,
            },
          ],
        },
        { key: 'jc3', input: { name: '交城丙化工有限公司', countyCode: '141122', grade: 'A' } },
        { key: 'ws1', input: { name: '文水丁铸造有限公司', countyCode: '141121', grade: 'B' } },
        { key: 'xy1', input: { name: '孝义戊焦化有限公司', countyCode: '141181', grade: 'B' } },
      ])
      .warning({
        level: 'YELLOW',
        countyCodes: ['141122', '141121'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        expectedEndAt: '2026-11-30T20:00:00+08:00',
      })
      .approved()
      .delivered();
    alertId = s.alertId;
    duty = s.agents.duty;
    commander = s.agents.commander;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('queues one notice per county bureau of the warning and per department with duties at its level, and sends them', async () => {
    const parties = await t.dataSource.query<
      Array<{ party_kind: string; party_code: string; state: string }>
    >(
      'SELECT party_kind, party_code, state FROM party_notice WHERE alert_id = $1 ORDER BY party_kind, party_code',
      [alertId],
    );
    expect(parties.map((p) => `${p.party_kind}:${p.party_code}:${p.state}`)).toEqual([
      'COUNTY:141121:SENT',
      'COUNTY:141122:SENT',
      ...[...YELLOW_DEPARTMENTS].sort().map((c) => `DEPARTMENT:${c}:SENT`),
    ]);
    expect(sink.messages.filter(to(JIAOCHENG))).toHaveLength(1);
    expect(sink.messages.filter(to(WENSHUI))).toHaveLength(1);
    for (const code of YELLOW_DEPARTMENTS) expect(sink.messages.filter(to(mailOf(code)))).toHaveLength(1);
    for (const code of ['GONGXIN', 'SHANGWU']) expect(sink.messages.filter(to(mailOf(code)))).toEqual([]);
    expect(sink.messages.filter(to('xiaoyi'))).toEqual([]);
    const [audit] = await t.dataSource.query(
      "SELECT data FROM audit_entry WHERE action = 'parties.notified' AND alert_id = $1",
      [alertId],
    );
    expect(audit.data).toMatchObject({
      kind: 'ISSUE',
      counties: ['141122', '141121'],
      messages: 8,
      noEmail: [],
    });
  });

  it('tells the county bureau its level, counties, times, enterprises by grade with their measures, duties and links (HTML and text)', () => {
    const mail = sink.messages.find(to(JIAOCHENG))!;
    // The notice's 文号: the warning's first released notice in this database.
    expect(mail.subject).toBe(
      '【黄色预警发布】关于启动重污染天气黄色预警(Ⅲ级应急响应)的通知(吕重污应急〔2026〕1号)',
    );
    const html = String(mail.html);
    const text = mail.text!;
    for (const body of [html, text]) {
      expect(body).toContain('关于启动重污染天气黄色预警(Ⅲ级应急响应)的通知');
      expect(body).toContain('吕重污应急〔2026〕1号');
      expect(body).toContain('吕梁市生态环境局交城县分局');
      expect(body).toContain('交城县、文水县');
      expect(body).toMatch(/起对交城县、文水县启动重污染天气(<strong>)?黄色预警/);
      expect(body).toContain('2026年11月28日 20:00');
      expect(body).toContain('2026年11月30日 20:00');
      expect(body).toContain('Ⅲ级应急响应');
      expect(body).toContain('分表计电');
      expect(body).toContain('0358-8888110');
      expect(body).toMatch(/\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/orders\.xlsx/);
      expect(body).toMatch(/\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?![\w/.-])/);
      expect(body).not.toContain('孝义');
      expect(body).not.toContain('文水丁铸造');
    }
    // Three enterprises of 交城: two C-grade (限产 and 停产 one each), one A-grade (voluntary, its plan's 限产).
    expect(text).toContain('纳入应急减排清单的企业共 3 家');
    expect(text).toContain('- A级 1 家:限产 1 家');
    expect(text).toContain('- C级 2 家:停产 1 家;限产 1 家');
    expect(html).toMatch(/<td>C级<\/td><td>2<\/td><td>停产 1 家;限产 1 家<\/td>/);
    expect(html).toContain('background:#f5c400'); // the level's colour
    const wenshui = sink.messages.find(to(WENSHUI))!.text!;
    expect(wenshui).toContain('纳入应急减排清单的企业共 1 家');
    expect(wenshui).toContain('- B级 1 家:限产 1 家');
  });

  it('tells each department its own duties at the level', () => {
    const zhujian = sink.messages.find(to(mailOf('ZHUJIAN')))!;
    const qixiang = sink.messages.find(to(mailOf('QIXIANG')))!;
    for (const body of [String(zhujian.html), zhujian.text!]) {
      expect(body).toContain('市住建局');
      expect(body).toContain('土石方');
      expect(body).not.toContain('人工影响天气');
      expect(body).toContain('交城县、文水县');
      expect(body).toContain('黄色预警');
      expect(body).not.toContain('orders.xlsx');
    }
    expect(qixiang.text).toContain('人工影响天气作业');
    expect(qixiang.text).not.toContain('土石方');
    expect(zhujian.subject).toContain('吕重污应急〔2026〕1号');
  });

  it('gives the county its own enterprises’ orders as an XLSX through a signed link that opens only that', async () => {
    const link = path(sink.messages.find(to(JIAOCHENG))!.text!, /http:\/\/\S+\/orders\.xlsx/);
    const res = await t.http().get(link).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const rows = await readXlsx(res.body as Buffer);
    expect(rows[0][0]).toContain('吕梁市生态环境局交城县分局');
    expect(rows[1].slice(0, 4)).toEqual(['企业名称', '统一社会信用代码', '绩效分级', '指令类型']);
    expect(rows.slice(2).map((r) => [r[0], r[2], r[3], r[5]])).toEqual([
      ['交城丙化工有限公司', 'A级', '自主减排', 'JL1:限产20%'],
      ['交城乙水泥有限公司', 'C级', '强制减排', 'JL1:1#窑停产'],
      ['交城甲焦化有限公司', 'C级', '强制减排', 'JL1:限产20%'],
    ]);
    // Times are date cells showing Beijing time to the second (issue 20), text is text: as openpyxl reads them.
    const [orders] = (await openpyxlCells(res.body as Buffer, 2)).sheets;
    expect(orders.columns['生效时间']).toMatchObject({
      types: ['d'],
      formats: ['yyyy-mm-dd hh:mm:ss'],
      values: ['2026-11-28T20:00:00', '2026-11-28T20:00:00', '2026-11-28T20:00:00'],
    });
    expect(orders.columns['签收期限'].types).toEqual(['d']);
    expect(orders.columns['企业名称'].types).toEqual(['s']);
    // The receipt link is not the list's, nor the other way round.
    const receipt = path(
      sink.messages.find(to(JIAOCHENG))!.text!,
      /http:\/\/\S+\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?=\s)/,
    );
    await t.http().get(`${receipt}/orders.xlsx`).expect(404);
    await t.http().get(link.replace('/orders.xlsx', '')).expect(404);
    // A department notice has no list.
    const dept = path(sink.messages.find(to(mailOf('ZHUJIAN')))!.text!, /http:\/\/\S+\/party\/\S+/);
    expect(dept).not.toContain('orders.xlsx');
  });

  it('shows a department its notice and duties behind its link, a staff session only a preview, a forged link nothing', async () => {
    const link = path(sink.messages.find(to(mailOf('ZHUJIAN')))!.text!, /http:\/\/\S+\/party\/\S+/);
    const page = await t.http().get(link).expect(200);
    expect(page.text).toContain('市住建局');
    expect(page.text).toMatch(/<ol id="duties"><li>[^<]*土石方/);
    expect(page.text).toContain('id="signer-name-input"');
    const preview = await duty.get(link).expect(200);
    expect(preview.text).toContain('id="staff-preview"');
    expect(preview.text).not.toContain('id="signer-name-input"');
    const refused = await duty
      .post(`${link}/receipt`)
      .type('form')
      .send({ signerName: '王五', signerPhone: '13800000000' })
      .expect(403);
    expect(refused.text).toContain('data-code="STAFF_CANNOT_ACK"');
    const [token] = link.split('/').slice(-1);
    const forged = `/party/${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await t.http().get(forged).expect(404)).text).toContain('链接无效');
    const state = await t.dataSource.query(
      "SELECT state, signer_name FROM party_notice WHERE alert_id = $1 AND party_code = 'ZHUJIAN'",
      [alertId],
    );
    expect(state).toEqual([{ state: 'SENT', signer_name: null }]);
  });

  let jiaochengPage: string;
  it('takes the county’s receipt with a signer: errors stay on the page (422), then recorded once and shown', async () => {
    jiaochengPage = path(
      sink.messages.find(to(JIAOCHENG))!.text!,
      /http:\/\/\S+\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?=\s)/,
    );
    const page = await t.http().get(jiaochengPage).expect(200);
    expect(page.text).toContain('关于启动重污染天气黄色预警(Ⅲ级应急响应)的通知');
    expect(page.text).toContain('id="signer-name-input"');
    expect(page.text).toContain('已发送,未签收');

    t.clock.set('2026-11-28T11:00:00+08:00');
    const bad = await t
      .http()
      .post(`${jiaochengPage}/receipt`)
      .type('form')
      .send({ signerName: '王建国', signerPhone: '12-34' })
      .expect(422);
    expect(bad.text).toMatch(/id="signer-phone-error">联系电话应为7至20位数字/);
    expect(bad.text).not.toContain('id="signer-name-error"');
    expect(bad.text).toContain('value="王建国"');
    expect(bad.text).toContain('<span id="duty-phone">0358-8888110</span>');
    const unchanged = await t.dataSource.query(
      "SELECT state, signer_name FROM party_notice WHERE alert_id = $1 AND party_code = '141122'",
      [alertId],
    );
    expect(unchanged).toEqual([{ state: 'SENT', signer_name: null }]);

    const ok = await t
      .http()
      .post(`${jiaochengPage}/receipt`)
      .type('form')
      .send({ signerName: ' 王建国 ', signerPhone: '0358-3221234' })
      .expect(303);
    expect(ok.headers.location).toBe(`${jiaochengPage}?done=receipt`);
    const shown = await t.http().get(ok.headers.location).expect(200);
    expect(shown.text).toContain('<td id="signer-name">王建国</td>');
    expect(shown.text).toContain('<td id="signer-phone">0358-3221234</td>');
    expect(shown.text).toContain('<td id="received-at">2026年11月28日 11:00</td>');
    expect(shown.text).not.toContain('id="signer-name-input"');

    t.clock.set('2026-11-28T12:00:00+08:00');
    const again = await t
      .http()
      .post(`${jiaochengPage}/receipt`)
      .type('form')
      .send({ signerName: '李四', signerPhone: '13900000000' })
      .expect(303);
    expect(again.headers.location).toBe(`${jiaochengPage}?done=already`);
    const stored = await t.dataSource.query(
      "SELECT state, signer_name, signer_phone, received_at FROM party_notice WHERE alert_id = $1 AND party_code = '141122'",
      [alertId],
    );
    expect(stored).toEqual([
      {
        state: 'RECEIVED',
        signer_name: '王建国',
        signer_phone: '0358-3221234',
        received_at: new Date('2026-11-28T11:00:00+08:00'),
      },
    ]);
    const audit = await t.dataSource.query(
      `SELECT action, data FROM audit_entry WHERE alert_id = $1 AND action LIKE 'party.%'
          AND subject_id = (SELECT id::text FROM party_notice WHERE alert_id = $1 AND party_code = '141122') ORDER BY id`,
      [alertId],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'party.received',
      'party.receipt.repeated',
    ]);
    expect(audit[0].data).toMatchObject({ signerName: '王建国', signerPhone: '0358-3221234' });
  });

  it('shows per revision who has and has not confirmed, in the API and on the warning page', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const { body } = await auditor.get(`/api/alerts/${alertId}/parties`).expect(200);
    expect(body).toHaveLength(8);
    const jc = body.find((p: { partyCode: string }) => p.partyCode === '141122');
    expect(jc).toMatchObject({
      revisionSeq: 1,
      noticeKind: 'ISSUE',
      partyKind: 'COUNTY',
      partyName: '吕梁市生态环境局交城县分局',
      state: 'RECEIVED',
      deliveryState: 'SENT',
      signerName: '王建国',
      signerPhone: '0358-3221234',
      receivedAt: '2026-11-28T03:00:00.000Z',
    });
    expect(body.filter((p: { state: string }) => p.state === 'SENT')).toHaveLength(7);
    await auditor.get('/api/alerts/00000000-0000-4000-8000-000000000000/parties').expect(404);

    const page = await duty.get(`/alerts/${alertId}`).expect(200);
    const section = /<section class="card" id="parties">[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(section).toContain('第1版 · 发布');
    expect(section).toContain('已签收 1 / 8');
    expect(section).toMatch(
      /吕梁市生态环境局交城县分局<\/td><td>县级分局<\/td><td class="party-state party-RECEIVED">已签收<\/td><td>王建国 · 0358-3221234/,
    );
    expect(section).toMatch(
      /市住建局<\/td><td>市直部门<\/td><td class="party-state party-SENT">已发送,未签收<\/td>/,
    );
  });

  it('puts every party notice with its signer and audit records in the evidence bundle', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor
      .get(`/api/alerts/${alertId}/evidence`)
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const files = await unzipTexts(res.body as Buffer);
    const parties = JSON.parse(files.get('party-receipts.json')!) as Array<Record<string, unknown>>;
    expect(parties).toHaveLength(8);
    const jc = parties.find((p) => p.partyCode === '141122')!;
    expect(jc).toMatchObject({
      revisionSeq: 1,
      noticeKind: 'ISSUE',
      partyKind: 'COUNTY',
      state: 'RECEIVED',
      // The bundle's files people read carry Beijing time (the audit entries keep their hashed UTC form).
      receivedAt: '2026-11-28T11:00:00+08:00',
      signer: { name: '王建国', phone: '0358-3221234' },
    });
    expect((jc.records as Array<{ action: string }>).map((r) => r.action)).toContain('party.received');
  });

  it('reports the parties’ receipts in the assessment, with the signer', async () => {
    const { body } = await duty.get(`/api/alerts/${alertId}/assessment`).expect(200);
    expect(body.parties.stats).toEqual({ notices: 8, received: 1, receivedOnTime: 1 });
    expect(body.parties.notices).toContainEqual(
      expect.objectContaining({
        partyName: '吕梁市生态环境局交城县分局',
        signer: { name: '王建国', phone: '0358-3221234' },
      }),
    );
    const csv = await duty.get(`/api/alerts/${alertId}/assessment.csv`).expect(200);
    expect(csv.text).toContain('【县级分局和市直部门签收】');
    expect(csv.text).toContain('吕梁市生态环境局交城县分局');
  });

  it('reminds each party still unconfirmed after its deadline once, and tells the duty office', async () => {
    const job = () => t.app.get(PartyDeadlinesJob);
    expect(await job().run()).toEqual({
      acquired: true,
      result: { overdue: 0, reminders: 0, escalations: 0 },
    });
    t.clock.set('2026-11-28T20:00:01+08:00');
    expect(await job().run()).toEqual({
      acquired: true,
      result: { overdue: 7, reminders: 7, escalations: 1 },
    });
    expect(await job().run()).toEqual({
      acquired: true,
      result: { overdue: 0, reminders: 0, escalations: 0 },
    });
    const before = sink.messages.length;
    await drain();
    const sent = sink.messages.slice(before);
    expect(sent).toHaveLength(8);
    expect(sent.filter(to(JIAOCHENG))).toEqual([]);
    const reminder = sent.find(to(WENSHUI))!;
    expect(reminder.subject).toBe(
      '【提醒】请签收关于启动重污染天气黄色预警(Ⅲ级应急响应)的通知(吕重污应急〔2026〕1号)',
    );
    expect(reminder.text).toContain('签收期限 2026年11月28日 20:00 已过');
    expect(reminder.text).toMatch(/\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    const escalation = sent.find(to('duty-office@test.example'))!;
    expect(escalation.subject).toBe(
      '【逾期通报】7 个县级分局或市直部门未按时签收黄色预警通知(吕重污应急〔2026〕1号)',
    );
    expect(escalation.text).toContain(
      '吕梁市生态环境局文水县分局(县级分局,发布通知):签收期限 2026年11月28日 20:00',
    );
    expect(escalation.text).toContain('市住建局(市直部门,发布通知)');
    expect(escalation.text).not.toContain('交城');
    // A late party can still confirm.
    const link = path(reminder.text!, /http:\/\/\S+\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    await t
      .http()
      .post(`${link}/receipt`)
      .type('form')
      .send({ signerName: '赵六', signerPhone: '13800001111' })
      .expect(303);
  });

  it('sends the lift notice to every party told of the warning, with no level colour, and its own receipt', async () => {
    t.clock.set('2026-11-29T10:00:00+08:00');
    await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-11-29T12:00:00+08:00', reason: '好转' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({ overrideReason: '现场核实' }).expect(200);
    const before = sink.messages.length;
    await drain();
    const sent = sink.messages.slice(before).filter((m) => m.subject?.startsWith('【解除】'));
    expect(sent.map((m) => (m.to as { text: string }).text).sort()).toEqual(
      [JIAOCHENG, WENSHUI, ...YELLOW_DEPARTMENTS.map(mailOf)].sort(),
    );
    const lift = sent.find(to(JIAOCHENG))!;
    expect(lift.subject).toBe('【解除】关于解除重污染天气黄色预警(Ⅲ级应急响应)的通知(吕重污应急〔2026〕2号)');
    for (const body of [String(lift.html), lift.text!]) {
      expect(body).toContain('2026年11月29日 12:00');
      expect(body).toContain('交城县、文水县');
      expect(body).not.toContain('orders.xlsx');
    }
    expect(String(lift.html)).not.toContain('#f5c400');
    const { body } = await duty.get(`/api/alerts/${alertId}/parties`).expect(200);
    const lifts = body.filter((p: { noticeKind: string }) => p.noticeKind === 'LIFT');
    expect(lifts).toHaveLength(8);
    expect(
      lifts.every((p: { state: string; revisionSeq: number }) => p.state === 'SENT' && p.revisionSeq === 2),
    ).toBe(true);
    const link = path(lift.text!, /http:\/\/\S+\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    await t
      .http()
      .post(`${link}/receipt`)
      .type('form')
      .send({ signerName: '王建国', signerPhone: '0358-3221234' })
      .expect(303);
    const page = await duty.get(`/alerts/${alertId}`).expect(200);
    expect(page.text).toContain('第2版 · 解除');
  });

  it('refuses the links once they expire', async () => {
    const text = sink.messages.find(to(JIAOCHENG))!.text!;
    const list = path(text, /http:\/\/\S+\/orders\.xlsx/);
    await t.http().get(list).expect(200);
    // Expected end 2026-11-30 20:00 plus ACK_LINK_DAYS (3).
    t.clock.set('2026-12-03T20:00:01+08:00');
    const gone = await t.http().get(list).expect(410);
    expect(gone.text).toContain('链接已过期');
    await t.http().get(jiaochengPage).expect(410);
  });
});
