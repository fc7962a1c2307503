import type { Grade } from '../../src/enterprises/enterprise.types';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { type EscalationSettings, escalationSources, gradeTaken } from '../../src/orders/escalation.rules';
import { noticeTypeFor } from '../../src/orders/order.rules';
import { measure } from '../factories/enterprise.factory';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const XIAOYI = '141181'; // one of the 平川四县
const SETTINGS: EscalationSettings = { BUILT_UP_AREA: 'GRADE_LOWER', JOINT_CONTROL_AREA: 'GRADE_LOWER' };

/**
 * Issue 18, "Tags and places that bite", the third treatment: under a ruleset treating BUILT_UP_AREA and the 平川四县
 * as one grade lower, an A-grade enterprise in a built-up area is ordered as a B (a mandatory notice) where an equal
 * A elsewhere is asked to act voluntarily; an A+ needs two reasons to fall to mandatory. The preview counts it as held
 * stricter, the notice says which grade it was treated as, and the SQL agrees with the rule for every enterprise.
 */
describe('tags and places that bite: treated as one grade lower in a warning', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  const orange = [measure({ level: 'ORANGE', params: { percent: 20 }, description: '限产20%' })];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const admin = await t.signIn(['ADMIN']);
    await admin
      .post('/api/rulesets')
      .send({
        id: 'LVLIANG-LOWER',
        name: '吕梁市从严管控规则(降级管控)',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2026-11-01',
        escalations: SETTINGS,
      })
      .expect(201);
    const built = ['BUILT_UP_AREA'];
    s = await scenario(t, { sink, agents: { admin } })
      .enterprises([
        {
          key: 'builtA',
          input: { name: '中阳建成区A级焦化', countyCode: ZHONGYANG, grade: 'A', controlTags: built },
          measures: orange,
        },
        {
          key: 'plainA',
          input: { name: '中阳A级焦化', countyCode: ZHONGYANG, grade: 'A' },
          measures: orange,
        },
        {
          key: 'builtAplus',
          input: { name: '中阳建成区A+级焦化', countyCode: ZHONGYANG, grade: 'A_PLUS', controlTags: built },
          measures: orange,
        },
        {
          key: 'xiaoyiAplus',
          input: { name: '孝义建成区A+级焦化', countyCode: XIAOYI, grade: 'A_PLUS', controlTags: built },
          measures: orange,
        },
        {
          key: 'builtC',
          input: { name: '中阳建成区C级焦化', countyCode: ZHONGYANG, grade: 'C', controlTags: built },
          measures: orange,
        },
      ])
      .warning({
        level: 'ORANGE',
        countyCodes: [ZHONGYANG, XIAOYI],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        reason: '会商研判',
      });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('counts in the preview those whose notice the lower grade made mandatory', async () => {
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/preview`).expect(200);
    expect(body.escalated).toEqual([
      { source: 'BUILT_UP_AREA', name: '位于建成区的重污染企业', n: 4, stricter: 2 },
      { source: 'JOINT_CONTROL_AREA', name: '位于平川四县(太原及周边“1+30”联防联控区)', n: 1, stricter: 1 },
    ]);
  });

  it('orders an A in a built-up area as a B, an equal A elsewhere voluntarily, as the rule says for every one', async () => {
    await s.agents.commander.post(`/api/alerts/${s.alertId}/approve`).send({}).expect(200);
    const orders = await t.dataSource.query<
      Array<{
        name: string;
        grade: Grade;
        control_tags: string[];
        joint_control_area: boolean;
        is_protected: boolean;
        notice_type: string;
        grade_taken: string;
        escalated_by: string[];
      }>
    >(
      `SELECT e.name, e.grade, e.control_tags, c.joint_control_area, e.is_protected, o.notice_type, o.grade_taken, o.escalated_by
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id JOIN county c ON c.code = e.county_code
        WHERE o.alert_id = $1 ORDER BY e.name`,
      [s.alertId],
    );
    expect(Object.fromEntries(orders.map((o) => [o.name, [o.notice_type, o.grade_taken]]))).toEqual({
      中阳A级焦化: ['VOLUNTARY', 'A'],
      中阳建成区A级焦化: ['MANDATORY', 'B'],
      // One reason takes an A+ to A: still voluntary. Two (孝义 is one of the 平川四县) take it to B.
      '中阳建成区A+级焦化': ['VOLUNTARY', 'A'],
      '孝义建成区A+级焦化': ['MANDATORY', 'B'],
      // A C is mandatory already: treated as a D, its notice does not change.
      中阳建成区C级焦化: ['MANDATORY', 'D'],
    });
    for (const o of orders) {
      const sources = escalationSources(
        { controlTags: o.control_tags, jointControlArea: o.joint_control_area },
        SETTINGS,
      );
      const taken = gradeTaken(o.grade, sources, SETTINGS);
      expect([o.name, o.escalated_by, o.grade_taken, o.notice_type]).toEqual([
        o.name,
        sources,
        taken,
        noticeTypeFor(taken, o.is_protected),
      ]);
    }
  });

  it('says in the notice which grade it was treated as', async () => {
    const before = sink.received;
    const { sent } = await t.app.get(OutboxDispatcher).drain();
    const mails = (await sink.waitFor(before + sent)).slice(before);
    const text = (key: string) =>
      mails.find((m) => JSON.stringify(m.to).includes(`${key.toLowerCase()}@test.example`))!.text!;
    expect(text('builtA')).toContain(
      '贵单位为位于建成区的重污染企业,按规定从严管控,按B级企业管控,须落实减排措施。请贵单位在生效时间前落实以下“一企一策”应急减排措施',
    );
    expect(text('xiaoyiAplus')).toContain(
      '贵单位为位于建成区的重污染企业、位于平川四县(太原及周边“1+30”联防联控区),按规定从严管控,按B级企业管控,须落实减排措施。',
    );
    expect(text('plainA')).toContain('按规定自主采取减排措施');
    expect(text('builtAplus')).toContain('按规定自主采取减排措施');
    expect(text('builtAplus')).not.toContain('按规定从严管控');
  });
});
