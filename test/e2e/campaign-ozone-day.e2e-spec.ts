import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { type Agent, scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const DEPARTMENTS = [
  ['ZHUJIAN', '市住建局'],
  ['JIAOTONG', '市交通局'],
  ['JIAOJING', '市公安交警支队'],
  ['CHENGGUAN', '市城管局'],
  ['GONGXIN', '市工信局'],
] as const;
const mailOf = (code: string) => `${code.toLowerCase()}@dept.test.example`;

/**
 * Issue 18, "Done means": an ozone-response day (summer ozone response) produces, once approved by a second person,
 * one window order for the day to each VOC-emitting enterprise in scope (by industry or by its VOCs baseline) and
 * none to the others, and the departments with ozone-day duties get the outdoor coating, road-marking and asphalt
 * ban for the window: one notice per day, in the ozone series.
 */
describe('an ozone-response day: window orders and department notices', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let admin: Agent;
  let dayId: string;
  let mails: ParsedMail[];
  const to = (m: ParsedMail) => JSON.stringify(m.to);

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720', PARTY_NOTICES: 'true' } });
    t.clock.set('2027-06-11T15:00:00+08:00');
    admin = await t.signIn(['ADMIN']);
    await admin
      .put('/api/departments')
      .send({
        departments: DEPARTMENTS.map(([code, name], i) => ({ code, name, email: mailOf(code), sort: i + 1 })),
      })
      .expect(200);
    s = await scenario(t, { sink, agents: { admin } }).enterprises([
      {
        key: 'coating',
        input: { name: '中阳工业涂装', countyCode: ZHONGYANG, grade: 'B', industry: 'INDUSTRIAL_COATING' },
      },
      {
        key: 'casting',
        input: {
          name: '中阳高VOCs铸造',
          countyCode: ZHONGYANG,
          grade: 'B',
          industry: 'CASTING',
          baseline: { so2: 10, nox: 10, pm: 10, vocs: 150 },
        },
        measures: null,
      },
      {
        key: 'ferro',
        input: { name: '中阳铁合金', countyCode: ZHONGYANG, grade: 'C', industry: 'FERROALLOY' },
      },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const draft = (body: Record<string, unknown>) =>
    s.agents.duty.post('/api/campaigns').send({ kind: 'SUMMER_OZONE', countyCodes: [ZHONGYANG], ...body });

  it('refuses a day outside the season, and one without a consultation or a reason', async () => {
    const outside = await draft({ day: '2027-10-10', reason: '会商研判' }).expect(422);
    expect(outside.body.error.fields).toEqual([
      { field: 'day', message: '应对日不在臭氧污染应对期(05-01至09-30)内' },
    ]);
    const bare = await draft({ day: '2027-06-12' }).expect(422);
    expect(bare.body.error.fields).toEqual([{ field: 'reason', message: '没有关联会商时必须填写理由' }]);
  });

  it('drafts the day as its window, and holds the day against a second draft', async () => {
    const { body } = await draft({ day: '2027-06-12', reason: '会商研判:臭氧8小时浓度将超标' }).expect(201);
    dayId = body.id;
    expect(body).toMatchObject({
      kind: 'CAMPAIGN',
      levelName: '2027年6月12日臭氧污染应对',
      effectiveAt: '2027-06-12T02:00:00.000Z',
      expectedEndAt: '2027-06-12T08:00:00.000Z',
      campaign: { kind: 'SUMMER_OZONE', day: '2027-06-12', window: { from: '10:00', to: '16:00' } },
    });
    expect(body.code).toMatch(/^O3-2027-\d{3}$/);
    const again = await draft({ day: '2027-06-12', reason: '重复' }).expect(409);
    expect(again.body.error.code).toBe('ALERT_COUNTY_OVERLAP');
  });

  it('orders the VOC-emitting enterprises out of the window for that day, and no one else', async () => {
    const { body } = await s.agents.commander.post(`/api/campaigns/${dayId}/approve`).send({}).expect(200);
    expect(body.revisions[0].documentNumber).toBe('吕臭氧应对〔2027〕1号');
    const orders = await t.dataSource.query<
      Array<{
        name: string;
        effective_at: Date;
        measures: Array<{ action: string; description: string }>;
        reasons: string[];
      }>
    >(
      `SELECT e.name, o.effective_at, o.measures, o.reasons FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.alert_id = $1 ORDER BY e.name`,
      [dayId],
    );
    expect(
      orders.map((o) => [
        o.name,
        o.effective_at.toISOString(),
        o.measures.map((m) => m.description),
        o.reasons,
      ]),
    ).toEqual([
      [
        '中阳工业涂装',
        '2027-06-12T02:00:00.000Z',
        ['涉VOCs排放工序避开10:00-16:00生产'],
        ['涉VOCs排放行业', '臭氧污染应对日10:00-16:00错时生产'],
      ],
      [
        '中阳高VOCs铸造',
        '2027-06-12T02:00:00.000Z',
        ['涉VOCs排放工序避开10:00-16:00生产'],
        ['VOCs排放量150千克/日', '臭氧污染应对日10:00-16:00错时生产'],
      ],
    ]);
  });

  it('mails one notice for the day to each of them and the ban to the departments with ozone-day duties', async () => {
    const before = sink.received;
    const { sent } = await t.app.get(OutboxDispatcher).drain();
    mails = (await sink.waitFor(before + sent)).slice(before);
    const enterprise = mails.filter((m) => to(m).includes('@test.example') && !to(m).includes('dept.'));
    expect(enterprise.map((m) => m.subject).sort()).toEqual(
      ['中阳工业涂装', '中阳高VOCs铸造'].map((n) =>
        expect.stringMatching(
          new RegExp(`^【臭氧污染应对】${n}管控指令\\(O3-2027-\\d{3}\\) · 吕臭氧应对〔2027〕1号$`),
        ),
      ),
    );
    const coating = enterprise.find((m) => m.subject!.includes('中阳工业涂装'))!;
    expect(coating.text).toContain('关于实施2027年6月12日臭氧污染应对的通知');
    expect(coating.text).toContain('2027年6月12日10:00至16:00在中阳县实施臭氧污染应对');
    const departments = mails.filter((m) => to(m).includes('dept.test.example'));
    expect(departments.map((m) => to(m).match(/(\w+)@dept/)![1]).sort()).toEqual([
      'chengguan',
      'jiaotong',
      'zhujian',
    ]);
    const jiaotong = departments.find((m) => to(m).includes(mailOf('JIAOTONG')))!;
    expect(jiaotong.subject).toBe(
      '【夏季臭氧污染应对发布】关于实施2027年6月12日臭氧污染应对的通知(吕臭氧应对〔2027〕1号)',
    );
    expect(jiaotong.text).toContain('2027-06-12 10:00至16:00在中阳县实施臭氧污染应对');
    expect(jiaotong.text).toContain('在应对时段内停止公路道路划线和沥青铺设作业');
    expect(jiaotong.text).not.toContain('预警级别');
    // The county bureau is told too, with its enterprises; nothing of the day failed to render.
    const county = mails.find((m) => to(m).includes('zhongyang@sthj.lvliang.example'))!;
    expect(county.subject).toBe(
      '【夏季臭氧污染应对发布】关于实施2027年6月12日臭氧污染应对的通知(吕臭氧应对〔2027〕1号)',
    );
    expect(county.text).toContain('本次管控辖区纳入管控的企业共 2 家');
    const failed = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1 AND state <> 'SENT'",
      [dayId],
    );
    expect(failed[0].n).toBe(0);
  });
});
