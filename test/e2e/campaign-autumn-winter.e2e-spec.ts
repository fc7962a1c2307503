import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { OrderDeadlinesJob } from '../../src/scheduler/order-deadlines.job';
import { scenario, type Scenario } from '../support/scenario';
import { SIGNER } from '../support/signer';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const XIAOYI = '141181'; // one of the 平川四县
const SHILOU = '141126';
const ACK_TOKEN = /\/ack\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;

/**
 * Issue 18, "Done means": an autumn-winter staggered-production campaign drafted by a duty officer, approved by a
 * different commander, and its orders mailed to exactly the enterprises its rules pick (grade × industry × tag ×
 * place, under the default rules): D stops, C staggers by its industry, a C in the 平川四县 is held one grade lower and
 * stops, a B is exempt, a tag adds measures even to an A, a protected enterprise runs at its approved load; the
 * notices carry their own 文号 series, title and reasons, and the signed links work as for warnings.
 */
describe('autumn-winter campaign: approval, orders, notices', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let campaignId: string;
  let campaignCode: string;
  const period = { effectiveAt: '2026-12-02T00:00:00+08:00', expectedEndAt: '2027-03-31T23:59:00+08:00' };

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
    const at = (countyCode: string) => ({ countyCode });
    s = await scenario(t, { sink }).enterprises([
      { key: 'xiaoyiC', input: { name: '孝义C级铁合金', ...at(XIAOYI), grade: 'C', industry: 'FERROALLOY' } },
      {
        key: 'zhongyangC',
        input: { name: '中阳C级铁合金', ...at(ZHONGYANG), grade: 'C', industry: 'FERROALLOY' },
      },
      { key: 'cement', input: { name: '中阳C级水泥', ...at(ZHONGYANG), grade: 'C', industry: 'CEMENT' } },
      { key: 'd', input: { name: '中阳D级焦化', ...at(ZHONGYANG), grade: 'D' } },
      { key: 'b', input: { name: '中阳B级铁合金', ...at(ZHONGYANG), grade: 'B', industry: 'FERROALLOY' } },
      {
        key: 'wet',
        input: { name: '中阳A级湿熄焦焦化', ...at(ZHONGYANG), grade: 'A', controlTags: ['NO_DRY_QUENCHING'] },
      },
      {
        key: 'heat',
        input: {
          name: '中阳保障类热电',
          ...at(ZHONGYANG),
          grade: 'D',
          industry: 'OTHER',
          protected: true,
          protectedReason: '城市集中供热',
          protectedMaxLoad: 80,
        },
      },
      { key: 'shilou', input: { name: '石楼C级铁合金', ...at(SHILOU), grade: 'C', industry: 'FERROALLOY' } },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const draft = (body: Record<string, unknown>) =>
    s.agents.duty.post('/api/campaigns').send({ kind: 'AUTUMN_WINTER', ...body });

  it('refuses a draft outside the season or without its period, naming the field', async () => {
    const outside = await draft({
      countyCodes: [ZHONGYANG],
      effectiveAt: '2026-12-02T00:00:00+08:00',
      expectedEndAt: '2027-04-15T00:00:00+08:00',
    }).expect(422);
    expect(outside.body.error.fields).toEqual([
      { field: 'expectedEndAt', message: '不在秋冬季错峰生产期(11-01至03-31)内' },
    ]);
    const missing = await draft({ countyCodes: [ZHONGYANG] }).expect(422);
    expect(missing.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
      'effectiveAt',
      'expectedEndAt',
    ]);
    const counted = await t.dataSource.query("SELECT count(*)::int AS n FROM alert WHERE kind = 'CAMPAIGN'");
    expect(counted[0].n).toBe(0);
  });

  it('drafts a campaign awaiting approval, listed with the campaigns and not with the warnings', async () => {
    const { body } = await draft({ countyCodes: [ZHONGYANG, XIAOYI], ...period }).expect(201);
    campaignId = body.id;
    campaignCode = body.code;
    expect(body).toMatchObject({
      kind: 'CAMPAIGN',
      status: 'PENDING_APPROVAL',
      level: 'NONE',
      levelName: '2026—2027年秋冬季差异化错峰生产',
      campaign: {
        kind: 'AUTUMN_WINTER',
        kindName: '秋冬季差异化错峰生产',
        name: '2026—2027年秋冬季差异化错峰生产',
        industries: null,
        grades: null,
        tags: null,
      },
      pendingChange: { kind: 'ISSUE', reason: '按秋冬季差异化错峰生产方案实施' },
    });
    expect(body.code).toMatch(/^CW2026-\d{3}$/);
    const campaigns = await s.agents.duty.get('/api/campaigns').expect(200);
    expect(campaigns.body.map((c: { id: string }) => c.id)).toEqual([campaignId]);
    const warnings = await s.agents.duty.get('/api/alerts').expect(200);
    expect(warnings.body.map((a: { id: string }) => a.id)).not.toContain(campaignId);
  });

  it('holds its counties against another campaign of its kind, not against a warning', async () => {
    const again = await draft({ countyCodes: [XIAOYI], ...period }).expect(409);
    expect(again.body.error.code).toBe('ALERT_COUNTY_OVERLAP');
    await s.agents.duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [SHILOU],
        effectiveAt: '2026-12-03T20:00:00+08:00',
        reason: '会商',
      })
      .expect(201);
    const warning = await s.agents.duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [ZHONGYANG],
        effectiveAt: '2026-12-03T20:00:00+08:00',
        reason: '会商',
      })
      .expect(201);
    expect(warning.body.kind).toBe('WARNING');
  });

  it('is approved by a second person only', async () => {
    const self = await t.signIn(['DUTY_OFFICER', 'COMMANDER']);
    const own = await self
      .post('/api/campaigns')
      .send({ kind: 'AUTUMN_WINTER', countyCodes: [SHILOU], ...period })
      .expect(201);
    const refused = await self.post(`/api/campaigns/${own.body.id}/approve`).send({}).expect(403);
    expect(refused.body.error.code).toBe('ALERT_SELF_REVIEW');
    await s.agents.commander
      .post(`/api/campaigns/${own.body.id}/reject`)
      .send({ reason: '范围待定' })
      .expect(200);
    // A warning's id is no campaign's.
    const [warning] = await t.dataSource.query("SELECT id FROM alert WHERE kind = 'WARNING' LIMIT 1");
    await s.agents.commander.post(`/api/campaigns/${warning.id}/approve`).send({}).expect(404);
  });

  it('writes orders for exactly the enterprises its rules give measures, with the reasons', async () => {
    const { body } = await s.agents.commander
      .post(`/api/campaigns/${campaignId}/approve`)
      .send({})
      .expect(200);
    expect(body.status).toBe('ISSUED');
    expect(body.revisions[0].documentNumber).toBe('吕错峰〔2026〕1号');
    const orders = await t.dataSource.query<
      Array<{
        name: string;
        notice_type: string;
        measures: Array<{ action: string; description: string }>;
        reasons: string[];
      }>
    >(
      `SELECT e.name, o.notice_type, o.measures, o.reasons FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.alert_id = $1 ORDER BY e.name`,
      [campaignId],
    );
    expect(
      Object.fromEntries(
        orders.map((o) => [o.name, [o.notice_type, o.measures.map((m) => `${m.action} ${m.description}`)]]),
      ),
    ).toEqual({
      中阳A级湿熄焦焦化: ['MANDATORY', ['STOP_SHARE 湿熄焦炉组停产30%炭化室']],
      中阳C级水泥: ['MANDATORY', ['STOP 水泥熟料生产线错峰停产']],
      中阳C级铁合金: ['MANDATORY', ['LIMIT_PERCENT 错峰期间限产30%']],
      中阳D级焦化: ['MANDATORY', ['STOP 停产']],
      中阳保障类热电: ['PROTECTED', ['LIMIT_PERCENT 按核定最大负荷80%组织生产']],
      孝义C级铁合金: ['MANDATORY', ['STOP 停产']],
    });
    expect(orders.find((o) => o.name === '孝义C级铁合金')!.reasons).toEqual([
      '绩效等级C级',
      '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控',
      '停产:停产',
    ]);
  });

  it('mails each of them its own notice, in the campaign series, with the reasons and a working link', async () => {
    const before = sink.received;
    const drained = await t.app.get(OutboxDispatcher).drain();
    expect(drained.sent).toBe(6);
    const mails = await sink.waitFor(before + 6);
    const campaignMails = mails.slice(before);
    const to = (m: ParsedMail) =>
      (Array.isArray(m.to) ? m.to : [m.to!]).flatMap((a) => a.value.map((v) => v.address));
    expect(campaignMails.flatMap(to).sort()).toEqual(
      ['cement', 'd', 'heat', 'wet', 'xiaoyiC', 'zhongyangC']
        .map((k) => `${k.toLowerCase()}@test.example`)
        .sort(),
    );
    const xiaoyi = campaignMails.find((m) => to(m).includes('xiaoyic@test.example'))!;
    expect(xiaoyi.subject).toBe(`【错峰生产】孝义C级铁合金管控指令(${campaignCode}) · 吕错峰〔2026〕1号`);
    expect(xiaoyi.text).toContain('关于实施2026—2027年秋冬季差异化错峰生产的通知');
    expect(xiaoyi.text).toContain(
      '管控依据:绩效等级C级;位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控;停产:停产。',
    );
    expect(xiaoyi.text).not.toContain('预警级别');
    expect(xiaoyi.html).not.toContain('undefined');
    expect(xiaoyi.html).not.toContain('应急响应');
    const token = ACK_TOKEN.exec(xiaoyi.text ?? '')![1];
    await t.http().post(`/ack/${token}/receipt`).type('form').send(SIGNER).expect(303);
    const [order] = await t.dataSource.query(
      `SELECT o.state FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.alert_id = $1 AND e.name = '孝义C级铁合金'`,
      [campaignId],
    );
    expect(order.state).toBe('RECEIVED');
  });

  it('runs through the warning pipeline’s orders list, timeline, reminders, assessment and evidence', async () => {
    const duty = s.agents.duty;
    const orders = await duty.get(`/api/alerts/${campaignId}/orders`).expect(200);
    expect(orders.body.map((o: { enterpriseName: string }) => o.enterpriseName).sort()).toEqual(
      [
        '中阳A级湿熄焦焦化',
        '中阳C级水泥',
        '中阳C级铁合金',
        '中阳D级焦化',
        '中阳保障类热电',
        '孝义C级铁合金',
      ].sort(),
    );
    const timeline = await duty.get(`/api/alerts/${campaignId}/timeline`).expect(200);
    expect(JSON.stringify(timeline.body)).toContain('吕错峰〔2026〕1号');
    const [{ due }] = await t.dataSource.query(
      'SELECT min(receipt_due_at) AS due FROM reduction_order WHERE alert_id = $1',
      [campaignId],
    );
    t.clock.set(new Date(new Date(due).getTime() - 30 * 60_000).toISOString());
    // The enterprises that have not confirmed are reminded, as for a warning, naming the campaign.
    const before = sink.received;
    expect(await t.app.get(OrderDeadlinesJob).run()).toEqual({
      acquired: true,
      result: { reminders: 5, overdue: 0, escalations: 0 },
    });
    await t.app.get(OutboxDispatcher).drain();
    const reminders = (await sink.waitFor(before + 5)).slice(before);
    expect(reminders.map((m) => m.subject)).toContain(
      `【提醒】请确认收到2026—2027年秋冬季差异化错峰生产管控指令(${campaignCode}) · 吕错峰〔2026〕1号`,
    );
    expect(reminders[0].html).not.toContain('undefined');
    const assessment = await duty.get(`/api/alerts/${campaignId}/assessment`).expect(200);
    // Six orders, the one in 孝义 confirmed through its link.
    expect(assessment.body.totals).toMatchObject({ orders: 6, enterprises: 6, received: 1 });
    const csv = await duty.get(`/api/alerts/${campaignId}/assessment.csv`).expect(200);
    expect(csv.text).toContain('孝义C级铁合金');
    const auditor = await t.signIn(['AUDITOR']);
    const evidence = await auditor.get(`/api/alerts/${campaignId}/evidence`).buffer(true).expect(200);
    expect(evidence.headers['content-type']).toMatch(/zip/);
  });
});
