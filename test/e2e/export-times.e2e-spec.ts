import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { unzipTexts } from '../support/unzip';
import { openpyxlCells } from '../support/openpyxl';

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** A time written in UTC (…Z) rather than Beijing time. */
const UTC_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/;

/**
 * Issue 16 (ahead of issue 20): the assessment CSV and the evidence bundle's spreadsheet and JSON write times as
 * ISO 8601 in Beijing time with +08:00. A warning in force from 2026-12-01 10:00, confirmed at that minute.
 */
describe('Beijing time in the exports', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-01T08:00:00+08:00');
    s = await scenario(t, { sink })
      .enterprises([{ key: 'jia', input: { name: '甲焦化有限公司' } }])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], effectiveAt: '2026-12-01T10:00:00+08:00' })
      .approved()
      .delivered();
    t.clock.set('2026-12-01T10:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run();
    await s.receipt('jia');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('writes the assessment CSV in Beijing time: 2026-12-01T10:00:00+08:00, no UTC time', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor
      .get(`/api/alerts/${s.alertId}/assessment.csv`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const csv = (res.body as Buffer).toString('utf8');
    // The 【签收与落实报告】 row of 甲: received at 10:00 Beijing time.
    const row = csv.split('\n').find((l) => l.includes('甲焦化有限公司') && l.includes('2026-12-01T'));
    expect(row).toContain(',2026-12-01T10:00:00+08:00,');
    // The title row carries when it was generated (the clock's now).
    expect(csv.split('\n')[0]).toContain('2026-12-01T10:00:00+08:00');
    expect(csv).not.toMatch(UTC_TIME);
  });

  it('writes the evidence bundle’s orders.csv and JSON in Beijing time (the hashed log keeps UTC)', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor.get(`/api/alerts/${s.alertId}/evidence`).buffer(true).parse(binary).expect(200);
    const files = await unzipTexts(res.body as Buffer);
    const csv = files.get('orders.csv')!;
    const [header, row] = csv.slice(1).trim().split('\n');
    const cell = (key: string) => row.split(',')[header.split(',').findIndex((h) => h.endsWith(` ${key}`))];
    expect(cell('effectiveAt')).toBe('2026-12-01T10:00:00+08:00');
    expect(cell('receivedAt')).toBe('2026-12-01T10:00:00+08:00');
    expect(csv).not.toMatch(UTC_TIME);

    const [ack] = JSON.parse(files.get('acknowledgements.json')!);
    expect(ack.receivedAt).toBe('2026-12-01T10:00:00+08:00');
    expect(ack.records[0].at).toBe('2026-12-01T10:00:00+08:00');
    const alert = JSON.parse(files.get('alert.json')!);
    expect(alert.revisions[0].effectiveAt).toBe('2026-12-01T10:00:00+08:00');
    for (const name of ['alert.json', 'deliveries.json', 'acknowledgements.json', 'party-receipts.json'])
      expect([name, files.get(name)!.match(UTC_TIME)?.[0]]).toEqual([name, undefined]);
    expect(files.get('README.txt')).toContain('2026-12-01T10:00:00+08:00');
    // What the hash covers stays exactly as stored: UTC with milliseconds.
    expect(files.get('audit-entries.jsonl')).toMatch(/"occurredAt":"2026-12-01T02:00:00\.000Z"/);
  });

  it('writes the assessment XLSX as one tidy sheet per table: times as date cells in Beijing time, counts as numbers', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor
      .get(`/api/alerts/${s.alertId}/assessment.xlsx`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('assessment-');
    const book = await openpyxlCells(res.body as Buffer);
    expect(book.sheets.map((x) => x.name)).toEqual([
      '合计',
      '按区县',
      '按绩效等级',
      '按行业',
      '未签收也未报告的企业',
      '签收与落实报告',
      '县级分局和市直部门签收',
      '发送失败的通知',
      '跟进记录',
      '现场核查',
      '审批与发布时限',
      '减排量(已落实指令)',
      '说明',
    ]);
    const sheet = (name: string) => book.sheets.find((x) => x.name === name)!;
    // 甲 received at 10:00 Beijing time: a date cell showing that wall time, to the second.
    expect(sheet('签收与落实报告').columns['签收时间']).toEqual({
      types: ['d'],
      formats: ['yyyy-mm-dd hh:mm:ss'],
      sum: 0,
      values: ['2026-12-01T10:00:00'],
    });
    expect(sheet('签收与落实报告').columns['企业名称'].values).toEqual(['甲焦化有限公司']);
    // One order, received: numbers, and the rate a share shown as a percentage.
    expect(sheet('合计').columns['指令数']).toMatchObject({ types: ['n'], sum: 1 });
    expect(sheet('合计').columns['签收率']).toMatchObject({ types: ['n'], formats: ['0.0%'], values: [1] });
    // Each table's sheet holds the table alone: its header in row 1, no section titles.
    expect(sheet('按区县').header[0]).toBe('代码');
    const { body: json } = await auditor.get(`/api/alerts/${s.alertId}/assessment`).expect(200);
    expect(sheet('说明').header).toEqual(['预警', json.alert.code]);

    const same = await auditor
      .get(`/api/alerts/${s.alertId}/assessment?format=xlsx`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(same.headers['content-type']).toContain('spreadsheetml');
    await auditor.get(`/api/alerts/${s.alertId}/assessment?format=pdf`).expect(422);
  });

  it('writes the audit CSV in ISO 8601 Beijing time with seconds (no 年月日, no minute-only times)', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor.get('/api/audit/export').buffer(true).parse(binary).expect(200);
    const csv = (res.body as Buffer).toString('utf8');
    const [head, ...rows] = csv.slice(1).trim().split('\n');
    const at = head.split(',').indexOf('时间(北京时间)');
    expect(at).toBe(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows.filter((r) => /^\d+,/.test(r)))
      expect(row.split(',')[at]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(csv).not.toMatch(/\d{4}年\d{2}月\d{2}日/);
    // 甲's receipt, recorded at 10:00 Beijing time.
    expect(rows.find((r) => r.includes('order.received'))).toContain(',2026-12-01T10:00:00+08:00,');
  });
});
