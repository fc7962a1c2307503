import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { measure } from '../factories/enterprise.factory';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const CAMPAIGN = '2026—2027年秋冬季差异化错峰生产';
const LINES = [
  { code: 'L1', name: '1#矿热炉', capacity: 100000, unit: 't/a' },
  { code: 'L2', name: '2#矿热炉', capacity: 100000, unit: 't/a' },
];

/**
 * Issue 18, "Done means": a warning during a campaign gives each enterprise under the campaign the stricter measure
 * per line, its notice saying which applies and why; lifting the warning returns it to the campaign's measures, said in
 * the lift notice, while the campaign's own order stays in force. An enterprise under no campaign is untouched.
 */
describe('a warning on top of a campaign: the stricter per line, and back to the campaign at the lift', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let campaignId: string;
  let warningId: string;

  const orderOf = async (alertId: string, name: string, noticeType?: string) =>
    (
      await t.dataSource.query<
        Array<{
          id: string;
          state: string;
          reasons: string[];
          measures: Array<{
            line: string | null;
            action: string;
            description: string;
            basis?: string;
            reduction: { so2: number };
          }>;
        }>
      >(
        `SELECT o.id, o.state, o.reasons, o.measures FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
          WHERE o.alert_id = $1 AND e.name = $2 AND ($3::text IS NULL OR o.notice_type = $3) ORDER BY o.created_at DESC LIMIT 1`,
        [alertId, name, noticeType ?? null],
      )
    )[0];
  const mailTo = (mails: ParsedMail[], key: string) =>
    mails.find((m) =>
      (Array.isArray(m.to) ? m.to : [m.to!]).some((a) =>
        a.text.includes(`${key.toLowerCase()}@test.example`),
      ),
    );

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
    const orange = (over: Parameters<typeof measure>[0]) => measure({ level: 'ORANGE', ...over });
    s = await scenario(t, { sink }).enterprises([
      {
        key: 'ferroC',
        input: {
          name: '中阳C级铁合金',
          countyCode: ZHONGYANG,
          grade: 'C',
          industry: 'FERROALLOY',
          lines: LINES,
        },
        measures: [
          orange({
            line: 'L1',
            action: 'STOP',
            params: {},
            description: '1#矿热炉停产',
            reduction: { so2: 30, nox: 30, pm: 10, vocs: 0 },
          }),
          orange({
            line: 'L2',
            params: { percent: 20 },
            description: '2#矿热炉限产20%',
            reduction: { so2: 6, nox: 6, pm: 2, vocs: 0 },
          }),
        ],
      },
      {
        key: 'ferroD',
        input: {
          name: '中阳D级铁合金',
          countyCode: ZHONGYANG,
          grade: 'D',
          industry: 'FERROALLOY',
          lines: [LINES[0]],
        },
        measures: [
          orange({
            line: 'L1',
            params: { percent: 50 },
            description: '限产50%',
            reduction: { so2: 15, nox: 15, pm: 5, vocs: 0 },
          }),
        ],
      },
      {
        key: 'ferroB',
        input: {
          name: '中阳B级铁合金',
          countyCode: ZHONGYANG,
          grade: 'B',
          industry: 'FERROALLOY',
          lines: [LINES[0]],
        },
        measures: [orange({ line: 'L1', params: { percent: 10 }, description: '限产10%' })],
      },
    ]);
    const campaign = await s.agents.duty
      .post('/api/campaigns')
      .send({
        kind: 'AUTUMN_WINTER',
        countyCodes: [ZHONGYANG],
        effectiveAt: '2026-12-02T00:00:00+08:00',
        expectedEndAt: '2027-03-31T23:00:00+08:00',
      })
      .expect(201);
    campaignId = campaign.body.id;
    await s.agents.commander.post(`/api/campaigns/${campaignId}/approve`).send({}).expect(200);
    await t.app.get(OutboxDispatcher).drain();
    t.clock.set('2026-12-03T10:00:00+08:00');
    const warning = await s.agents.duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [ZHONGYANG],
        effectiveAt: '2026-12-03T20:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    warningId = warning.body.id;
    await s.agents.commander.post(`/api/alerts/${warningId}/approve`).send({}).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('gives the stricter of the two per line, with its basis, and leaves an enterprise under no campaign alone', async () => {
    const c = await orderOf(warningId, '中阳C级铁合金');
    expect(c.measures.map((m) => [m.line, m.action, m.description, m.basis, m.reduction.so2])).toEqual([
      ['L1', 'STOP', `1#矿热炉停产(预警措施严于${CAMPAIGN}要求)`, 'WARNING', 30],
      // The campaign's 30% beats the warning's 20% on line 2, and counts at least the warning's reduction there.
      ['L2', 'LIMIT_PERCENT', `错峰期间限产30%(${CAMPAIGN}要求严于预警措施)`, 'CAMPAIGN', 6],
    ]);
    expect(c.reasons).toEqual([
      `贵单位同时执行${CAMPAIGN},预警期间逐条执行预警措施与错峰生产要求中较严的一项。`,
    ]);
    const d = await orderOf(warningId, '中阳D级铁合金');
    expect(d.measures.map((m) => [m.line, m.action, m.description, m.basis])).toEqual([
      [null, 'STOP', `停产(${CAMPAIGN}要求严于预警措施)`, 'CAMPAIGN'],
    ]);
    const b = await orderOf(warningId, '中阳B级铁合金');
    expect(b.measures.map((m) => [m.description, m.basis])).toEqual([['限产10%', undefined]]);
    expect(b.reasons).toEqual([]);
  });

  it('says in the warning notice which measure applies and why', async () => {
    const before = sink.received;
    const { sent } = await t.app.get(OutboxDispatcher).drain();
    const mails = (await sink.waitFor(before + sent)).slice(before);
    const c = mailTo(mails, 'ferroC')!;
    expect(c.text).toContain(
      `贵单位同时执行${CAMPAIGN},预警期间逐条执行预警措施与错峰生产要求中较严的一项。`,
    );
    expect(c.text).toContain(`错峰期间限产30%(${CAMPAIGN}要求严于预警措施)`);
    expect(mailTo(mails, 'ferroB')!.text).not.toContain(CAMPAIGN);
  });

  it('returns to the campaign’s measures at the lift, says so, and keeps the campaign’s order in force', async () => {
    t.clock.set('2026-12-05T09:00:00+08:00');
    await s.agents.duty
      .post(`/api/alerts/${warningId}/lift`)
      .send({ effectiveAt: '2026-12-05T10:00:00+08:00', reason: '空气质量好转' })
      .expect(200);
    await s.agents.commander
      .post(`/api/alerts/${warningId}/approve`)
      .send({ overrideReason: '测试:无会商预报' })
      .expect(200);
    const end = await orderOf(warningId, '中阳C级铁合金', 'LIFT');
    expect(end.reasons).toEqual([`预警解除后,贵单位恢复执行${CAMPAIGN}措施:错峰期间限产30%。`]);
    expect((await orderOf(warningId, '中阳B级铁合金', 'LIFT')).reasons).toEqual([]);
    const before = sink.received;
    const { sent } = await t.app.get(OutboxDispatcher).drain();
    const mails = (await sink.waitFor(before + sent)).slice(before);
    expect(mailTo(mails, 'ferroC')!.text).toContain(
      `预警解除后,贵单位恢复执行${CAMPAIGN}措施:错峰期间限产30%。`,
    );
    expect(mailTo(mails, 'ferroD')!.text).toContain(`预警解除后,贵单位恢复执行${CAMPAIGN}措施:停产。`);
    expect(mailTo(mails, 'ferroB')!.text).toContain('请按程序有序恢复生产');
    const campaignOrder = await orderOf(campaignId, '中阳C级铁合金');
    expect(campaignOrder.state).not.toBe('LIFTED');
    expect(campaignOrder.measures.map((m) => m.description)).toEqual(['错峰期间限产30%']);
  });

  it('says the campaign’s measures apply again when a later warning ends at its expected end', async () => {
    t.clock.set('2026-12-06T10:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run(); // the lift above takes effect
    const warning = await s.agents.duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [ZHONGYANG],
        effectiveAt: '2026-12-06T12:00:00+08:00',
        expectedEndAt: '2026-12-07T12:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    await s.agents.commander.post(`/api/alerts/${warning.body.id}/approve`).send({}).expect(200);
    t.clock.set('2026-12-06T12:30:00+08:00');
    await t.app.get(AlertTransitionsJob).run();
    await t.app.get(OutboxDispatcher).drain();
    t.clock.set('2026-12-07T12:30:00+08:00');
    expect(await t.app.get(AlertTransitionsJob).run()).toMatchObject({ result: { expired: 1, failed: 0 } });
    const before = sink.received;
    const { sent } = await t.app.get(OutboxDispatcher).drain();
    const mails = (await sink.waitFor(before + sent)).slice(before);
    expect(mailTo(mails, 'ferroC')!.text).toContain(
      `预警解除后,贵单位恢复执行${CAMPAIGN}措施:错峰期间限产30%。`,
    );
    expect(mailTo(mails, 'ferroB')!.text).not.toContain(CAMPAIGN);
  });
});
