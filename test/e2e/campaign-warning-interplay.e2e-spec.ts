import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { OrderDeadlinesJob } from '../../src/scheduler/order-deadlines.job';
import { PartyDeadlinesJob } from '../../src/scheduler/party-deadlines.job';
import { measure } from '../factories/enterprise.factory';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const SHILOU = '141126';
const CAMPAIGN = '2026—2027年秋冬季差异化错峰生产';
const LINES = [
  { code: 'L1', name: '1#矿热炉', capacity: 100000, unit: 't/a' },
  { code: 'L2', name: '2#矿热炉', capacity: 100000, unit: 't/a' },
];
const so2 = (n: number) => ({ so2: n, nox: 0, pm: 0, vocs: 0 });

/**
 * Issue 18's loose ends between campaigns and warnings:
 * - a campaign approved while a warning is in force: its orders are issued (they apply after the warning), the
 *   warning's orders are left as they were sent, and the campaign notice of an enterprise holding a warning order says
 *   the warning is on and which measures apply meanwhile (the stricter of the two, line by line);
 * - the deadlines' mails of a campaign (the duty office's escalation of unconfirmed county notices, the county bureau's
 *   escalation of unconfirmed enterprise orders) name the campaign, never a warning;
 * - a warning drafted under a campaign in force: its approval preview counts and lists the enterprises whose order
 *   merges, with each merged line's basis, and its adequacy counts the merged measures; approval writes exactly that.
 */
describe('campaigns and warnings in force together', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let shilouWarning: { id: string; code: string };
  let campaign: { id: string; code: string };

  const drain = async (): Promise<ParsedMail[]> => {
    const before = sink.messages.length;
    const { sent } = await t.app.get(OutboxDispatcher).drain();
    return (await sink.waitFor(before + sent)).slice(before);
  };
  const to = (address: string) => (m: ParsedMail) =>
    (Array.isArray(m.to) ? m.to : [m.to!]).some((a) => a.text.toLowerCase().includes(address));
  const orderOf = async (alertId: string, key: string) =>
    (
      await t.dataSource.query<
        Array<{
          id: string;
          measures: Array<{ line: string | null; description: string; basis?: string }>;
          during_warning_order_id: string | null;
        }>
      >(
        `SELECT id, measures, during_warning_order_id FROM reduction_order
          WHERE alert_id = $1 AND enterprise_id = $2 AND notice_type NOT IN ('LIFT', 'CANCEL')
          ORDER BY created_at DESC LIMIT 1`,
        [alertId, s.ids[key]],
      )
    )[0];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      env: {
        SMTP_URL: sink.url,
        PARTY_NOTICES: 'true',
        SESSION_TTL_HOURS: '720',
        DUTY_OFFICE_EMAIL: 'duty-office@test.example',
      },
    });
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
          orange({ line: 'L1', action: 'STOP', params: {}, description: '1#矿热炉停产', reduction: so2(30) }),
          orange({ line: 'L2', params: { percent: 20 }, description: '2#矿热炉限产20%', reduction: so2(6) }),
        ],
      },
      {
        // Its warning measure starts 6 hours in: the campaign's limit, in force from the start, carries its reduction.
        key: 'ferroLate',
        input: {
          name: '中阳C级硅铁',
          countyCode: ZHONGYANG,
          grade: 'C',
          industry: 'FERROALLOY',
          lines: [LINES[0]],
        },
        measures: [
          orange({
            line: 'L1',
            params: { percent: 10 },
            description: '限产10%',
            fromHour: 6,
            reduction: so2(5),
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
        measures: [
          orange({ line: 'L1', params: { percent: 10 }, description: '限产10%', reduction: so2(2) }),
        ],
      },
      {
        key: 'shilouC',
        input: {
          name: '石楼C级铁合金',
          countyCode: SHILOU,
          grade: 'C',
          industry: 'FERROALLOY',
          lines: LINES,
        },
        measures: [
          orange({ line: 'L1', action: 'STOP', params: {}, description: '1#矿热炉停产', reduction: so2(10) }),
          orange({ line: 'L2', params: { percent: 20 }, description: '2#矿热炉限产20%', reduction: so2(4) }),
        ],
      },
    ]);
    // An orange warning in 石楼县, in force when the campaign is approved.
    const warning = await s.agents.duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: [SHILOU],
        effectiveAt: '2026-12-01T12:00:00+08:00',
        expectedEndAt: '2026-12-06T12:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    shilouWarning = { id: warning.body.id, code: warning.body.code };
    await s.agents.commander.post(`/api/alerts/${shilouWarning.id}/approve`).send({}).expect(200);
    await drain();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  describe('a campaign approved while a warning is in force', () => {
    let mails: ParsedMail[];
    beforeAll(async () => {
      const drafted = await s.agents.duty
        .post('/api/campaigns')
        .send({
          kind: 'AUTUMN_WINTER',
          countyCodes: [ZHONGYANG, SHILOU],
          effectiveAt: '2026-12-02T00:00:00+08:00',
          expectedEndAt: '2027-03-31T23:00:00+08:00',
        })
        .expect(201);
      campaign = { id: drafted.body.id, code: drafted.body.code };
      await s.agents.commander.post(`/api/campaigns/${campaign.id}/approve`).send({}).expect(200);
      mails = await drain();
    });

    it('issues the campaign’s order as it is, and leaves the warning’s order as it was sent', async () => {
      const order = await orderOf(campaign.id, 'shilouC');
      expect(order.measures.map((m) => m.description)).toEqual(['错峰期间限产30%']);
      const warningOrder = await orderOf(shilouWarning.id, 'shilouC');
      expect(warningOrder.measures.map((m) => [m.description, m.basis])).toEqual([
        ['1#矿热炉停产', undefined],
        ['2#矿热炉限产20%', undefined],
      ]);
    });

    it('tells the enterprise holding a warning order which measures apply while the warning lasts', async () => {
      const sentence =
        `目前橙色预警(编号 ${shilouWarning.code})正在实施:预警期间贵单位逐条执行预警措施与本通知管控措施中较严的一项,` +
        `现执行:1#矿热炉停产(预警措施严于${CAMPAIGN}要求)、2#矿热炉错峰期间限产30%(${CAMPAIGN}要求严于预警措施);` +
        '预警解除后执行本通知管控措施。';
      // The campaign's order names the warning's order it runs beside; its notice composes the sentence from the two.
      expect((await orderOf(campaign.id, 'shilouC')).during_warning_order_id).toBe(
        (await orderOf(shilouWarning.id, 'shilouC')).id,
      );
      const notice = mails.find(to('shilouc@test.example'))!;
      expect(notice.subject).toContain('【错峰生产】');
      expect(notice.text).toContain(sentence);
      // The order's printable notice (read by order, not by message) says the same.
      const page = await s.agents.commander
        .get(`/orders/${(await orderOf(campaign.id, 'shilouC')).id}/notice`)
        .expect(200);
      expect(page.text).toContain(sentence);
      // 中阳县 has no warning: its campaign notice says nothing of one.
      expect((await orderOf(campaign.id, 'ferroC')).during_warning_order_id).toBeNull();
      const other = mails.find(to('ferroc@test.example'))!;
      expect(other.text).toContain('错峰期间限产30%');
      expect(other.text).not.toContain('正在实施');
    });
  });

  it('escalates the campaign’s unconfirmed notices in mails that name the campaign, never a warning', async () => {
    t.clock.set('2026-12-02T12:00:00+08:00');
    await t.app.get(PartyDeadlinesJob).run();
    await t.app.get(OrderDeadlinesJob).run();
    const mails = await drain();
    const number = '吕错峰〔2026〕1号';
    const overdue = await t.dataSource.query<Array<{ party_name: string }>>(
      'SELECT party_name FROM party_notice WHERE alert_id = $1 AND reminded_at IS NOT NULL ORDER BY party_name',
      [campaign.id],
    );
    expect(overdue.length).toBeGreaterThan(0);
    expect(mails.map((m) => m.subject)).toContainEqual(expect.stringContaining(`签收${CAMPAIGN}通知`));
    const party = mails.find((m) => to('duty-office@test.example')(m) && m.subject!.includes(CAMPAIGN))!;
    // Both counties' bureaus left it unconfirmed.
    expect(party.subject).toBe(`【逾期通报】2 个县级分局或市直部门未按时签收${CAMPAIGN}通知(${number})`);
    expect(party.text).toContain(
      `${CAMPAIGN}(编号 ${campaign.code},${number})的以下通知已过签收期限仍未签收`,
    );
    // The warning's own escalation still names its level.
    expect(
      mails.some((m) => to('duty-office@test.example')(m) && m.subject!.includes('未按时签收橙色预警通知')),
    ).toBe(true);
    const county = mails.find(
      (m) => m.subject!.startsWith('【逾期通报】中阳县') && m.subject!.includes(campaign.code),
    )!;
    expect(county.subject).toContain(`未按时响应${CAMPAIGN}(${campaign.code})`);
    expect(county.text).toContain('中阳C级铁合金');
    // Every reminder and escalation of the campaign: no 预警 in subject, text or banner.
    const ofCampaign = mails.filter(
      (m) =>
        m.subject!.includes(campaign.code) || m.subject!.includes(number) || m.subject!.includes(CAMPAIGN),
    );
    expect(ofCampaign.length).toBeGreaterThanOrEqual(3);
    for (const m of ofCampaign) {
      expect([m.subject, m.subject!.includes('预警')]).toEqual([m.subject, false]);
      expect([m.subject, m.text!.includes('预警')]).toEqual([m.subject, false]);
      expect([m.subject, String(m.html).includes('预警')]).toEqual([m.subject, false]);
    }
  });

  describe('a warning drafted under the campaign in force', () => {
    let warningId: string;
    beforeAll(async () => {
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
    });

    const merged = [
      {
        line: 'L1',
        lineName: '1#矿热炉',
        description: `1#矿热炉停产(预警措施严于${CAMPAIGN}要求)`,
        basis: 'WARNING',
        basisReason: `预警措施严于${CAMPAIGN}要求`,
      },
      {
        line: 'L2',
        lineName: '2#矿热炉',
        description: `错峰期间限产30%(${CAMPAIGN}要求严于预警措施)`,
        basis: 'CAMPAIGN',
        basisReason: `${CAMPAIGN}要求严于预警措施`,
      },
    ];

    it('previews the merge: the enterprises merged, their merged lines with the basis, and the merged reduction', async () => {
      const { body } = await s.agents.commander.get(`/api/alerts/${warningId}/preview`).expect(200);
      expect(body.campaignMerge).toMatchObject({
        enterprises: 2,
        campaignStricter: 2,
        campaigns: [{ name: CAMPAIGN, n: 2 }],
        samplesTruncated: false,
      });
      type Sample = { name: string; measures: unknown[] };
      const sample = (name: string) =>
        body.campaignMerge.samples.find((x: Sample) => x.name === name)?.measures;
      expect(body.campaignMerge.samples).toHaveLength(2);
      expect(sample('中阳C级铁合金')).toEqual(merged);
      expect(sample('中阳C级硅铁')).toEqual([
        {
          line: null,
          lineName: '全厂',
          description: `错峰期间限产30%(${CAMPAIGN}要求严于预警措施)`,
          basis: 'CAMPAIGN',
          basisReason: `${CAMPAIGN}要求严于预警措施`,
        },
      ]);
      // At the start: 30 + 6 (中阳C级铁合金) + 2 (B) of the warning's own, + 5 that the campaign's limit brings forward.
      const zhongyang = body.byCounty.find((c: { countyCode: string }) => c.countyCode === ZHONGYANG);
      expect(zhongyang.reduction.find((r: { pollutant: string }) => r.pollutant === 'so2').reduction).toBe(
        43,
      );
    });

    it('shows it to the commander on /approvals', async () => {
      const page = await s.agents.commander.get('/approvals').expect(200);
      const card = page.text.slice(page.text.indexOf(`href="/alerts/${warningId}"`));
      expect(card).toContain('id="preview-campaign-merge"');
      expect(card).toContain(
        `${CAMPAIGN}(2 家)正在实施:其中 <strong>2</strong> 家企业的指令将逐条执行预警措施与错峰生产要求中较严的一项,2 家至少一条生产线以错峰生产要求为准`,
      );
      expect(card).toContain(`<td>2#矿热炉</td><td>错峰期间限产30%(${CAMPAIGN}要求严于预警措施)</td>`);
    });

    it('is what approval then writes', async () => {
      await s.agents.commander.post(`/api/alerts/${warningId}/approve`).send({}).expect(200);
      const order = await orderOf(warningId, 'ferroC');
      expect(order.measures.map((m) => [m.line, m.description, m.basis])).toEqual(
        merged.map((m) => [m.line, m.description, m.basis]),
      );
      const late = await orderOf(warningId, 'ferroLate');
      expect(late.measures.map((m) => [m.line, m.basis])).toEqual([[null, 'CAMPAIGN']]);
      // No campaign order for the exempt B: its own measure, unmerged.
      expect((await orderOf(warningId, 'ferroB')).measures.map((m) => m.basis)).toEqual([undefined]);
    });
  });
});
