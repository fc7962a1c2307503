import type { ParsedMail } from 'mailparser';
import { measure } from '../factories/enterprise.factory';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { escalationSources, measureLevel } from '../../src/orders/escalation.rules';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const XIAOYI = '141181'; // one of the 平川四县
const SETTINGS = { DIFFERENTIATED_CONTROL: 'NEXT_LEVEL', JOINT_CONTROL_AREA: 'NEXT_LEVEL' } as const;
const LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;

/**
 * Issue 18, "Tags and places that bite": under a ruleset that escalates DIFFERENTIATED_CONTROL and the 平川四县, an
 * orange warning gives a tagged enterprise (and one in 孝义市) its plan's red measures, an otherwise equal untagged one
 * its orange measures; the preview counts them, the notice says why, and the SQL that writes the orders agrees with
 * the rule (escalation.rules.ts) for every enterprise.
 */
describe('tags and places that bite: stricter measures in a warning', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  const both = [
    measure({ level: 'ORANGE', params: { percent: 20 }, description: '限产20%' }),
    measure({
      level: 'RED',
      action: 'STOP',
      params: {},
      description: '全厂停产',
      reduction: { so2: 50, nox: 80, pm: 30, vocs: 16 },
    }),
  ];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const admin = await t.signIn(['ADMIN']);
    await admin
      .post('/api/rulesets')
      .send({
        id: 'LVLIANG-ESC',
        name: '吕梁市从严管控规则',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2026-11-01',
        escalations: SETTINGS,
      })
      .expect(201);
    s = await scenario(t, { sink })
      .enterprises([
        {
          key: 'tagged',
          input: {
            name: '中阳差异化管控钢铁有限公司',
            countyCode: ZHONGYANG,
            controlTags: ['DIFFERENTIATED_CONTROL'],
          },
          measures: both,
        },
        { key: 'plain', input: { name: '中阳普通钢铁有限公司', countyCode: ZHONGYANG }, measures: both },
        { key: 'joint', input: { name: '孝义平川焦化有限公司', countyCode: XIAOYI }, measures: both },
        {
          key: 'nored',
          input: {
            name: '中阳无红色措施焦化有限公司',
            countyCode: ZHONGYANG,
            controlTags: ['DIFFERENTIATED_CONTROL'],
          },
          measures: [both[0]],
        },
        {
          key: 'built',
          input: { name: '中阳建成区铸造有限公司', countyCode: ZHONGYANG, controlTags: ['BUILT_UP_AREA'] },
          measures: both,
        },
      ])
      .warning({ level: 'ORANGE', effectiveAt: '2026-11-28T20:00:00+08:00', reason: '会商研判' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('counts the escalated enterprises in the preview, by reason', async () => {
    expect(s.alert.rulesetId).toBe('LVLIANG-ESC');
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/preview`).expect(200);
    expect(body.escalated).toEqual([
      { source: 'DIFFERENTIATED_CONTROL', name: '差异化管控企业', n: 2, stricter: 1 },
      { source: 'JOINT_CONTROL_AREA', name: '位于平川四县(太原及周边“1+30”联防联控区)', n: 1, stricter: 1 },
    ]);
    // The approver sees the reasons on the warning page's preview, before approving.
    const page = await s.agents.commander.get(`/alerts/${s.alertId}`).expect(200);
    const table = /<table class="list" id="preview-escalated">([\s\S]*?)<\/table>/.exec(page.text)![1];
    expect(table).toContain(
      '<tr data-source="DIFFERENTIATED_CONTROL"><td>差异化管控企业</td><td>2</td><td>1</td></tr>',
    );
    expect(table).toContain('位于平川四县');
  });

  it('counts an escalated enterprise’s next-level reductions in the warning’s adequacy and the list’s', async () => {
    // 中阳: 差异化管控 at red (50) + three at orange (20 each); 孝义: the 平川 one at red (50). SO2, kg/d.
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/preview`).expect(200);
    const so2 = (rows: Array<{ pollutant: string; reduction: number }>) =>
      rows.find((r) => r.pollutant === 'so2')!.reduction;
    expect(so2(body.reduction)).toBe(160);
    const county = (code: string) =>
      so2(
        (
          body.byCounty as Array<{
            countyCode: string;
            reduction: Array<{ pollutant: string; reduction: number }>;
          }>
        ).find((c) => c.countyCode === code)!.reduction,
      );
    expect([county(ZHONGYANG), county(XIAOYI)]).toEqual([110, 50]);
    const list = await s.agents.duty.get('/api/reduction-list/adequacy').expect(200);
    const orange = (
      list.body.city.levels as Array<{ level: string; pollutants: Record<string, { reduction: number }> }>
    ).find((l) => l.level === 'ORANGE')!;
    expect(orange.pollutants.so2.reduction).toBe(160);
    // At red there is no level above: four take their red measures (4 × 50), the one without red measures adds nothing.
    const red = (
      list.body.city.levels as Array<{ level: string; pollutants: Record<string, { reduction: number }> }>
    ).find((l) => l.level === 'RED')!;
    expect(red.pollutants.so2.reduction).toBe(200);
  });

  it('gives a tagged enterprise its red measures and an equal untagged one its orange, as the rule says', async () => {
    await s.agents.commander.post(`/api/alerts/${s.alertId}/approve`).send({}).expect(200);
    const orders = await t.dataSource.query<
      Array<{
        name: string;
        control_tags: string[];
        joint_control_area: boolean;
        level: string;
        measure_level: string;
        escalated_by: string[];
        measures: Array<{ action: string; description: string }>;
        plan_levels: string[];
      }>
    >(
      `SELECT e.name, e.control_tags, c.joint_control_area, o.level, o.measure_level, o.escalated_by, o.measures,
              ARRAY(SELECT jsonb_object_keys(pv.level_measures)) AS plan_levels
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id JOIN county c ON c.code = e.county_code
         JOIN plan_version pv ON pv.enterprise_id = e.id AND pv.is_current
        WHERE o.alert_id = $1 ORDER BY e.name`,
      [s.alertId],
    );
    const byName = Object.fromEntries(
      orders.map((o) => [
        o.name,
        [o.level, o.measure_level, o.escalated_by, o.measures.map((m) => m.description)],
      ]),
    );
    expect(byName).toEqual({
      中阳差异化管控钢铁有限公司: ['ORANGE', 'RED', ['DIFFERENTIATED_CONTROL'], ['全厂停产']],
      中阳普通钢铁有限公司: ['ORANGE', 'ORANGE', [], ['限产20%']],
      孝义平川焦化有限公司: ['ORANGE', 'RED', ['JOINT_CONTROL_AREA'], ['全厂停产']],
      中阳无红色措施焦化有限公司: ['ORANGE', 'ORANGE', ['DIFFERENTIATED_CONTROL'], ['限产20%']],
      // BUILT_UP_AREA is not escalated by this ruleset.
      中阳建成区铸造有限公司: ['ORANGE', 'ORANGE', [], ['限产20%']],
    });
    // The SQL twin agrees with the rule for every enterprise.
    for (const o of orders) {
      const sources = escalationSources(
        { controlTags: o.control_tags, jointControlArea: o.joint_control_area },
        SETTINGS,
      );
      expect([o.name, o.escalated_by]).toEqual([o.name, sources]);
      expect([o.name, o.measure_level]).toEqual([
        o.name,
        measureLevel('ORANGE', LEVELS, sources, o.plan_levels, SETTINGS),
      ]);
    }
  });

  it('says in the notice why the enterprise takes stricter measures, and nothing for the others', async () => {
    await t.app.get(OutboxDispatcher).drain();
    const mailTo = (key: string) =>
      sink.messages.filter((m: ParsedMail) => JSON.stringify(m.to).includes(`${key}@test.example`));
    const [tagged] = mailTo('tagged');
    expect(tagged.text).toContain('贵单位为差异化管控企业,按规定从严管控,执行红色预警减排措施。');
    expect(tagged.text).toContain('全厂停产');
    const [joint] = mailTo('joint');
    expect(joint.text).toContain(
      '贵单位为位于平川四县(太原及周边“1+30”联防联控区),按规定从严管控,执行红色预警减排措施。',
    );
    for (const key of ['plain', 'nored', 'built']) {
      const [mail] = mailTo(key);
      expect(mail.text).not.toContain('按规定从严管控');
      expect(mail.text).toContain('限产20%');
    }
  });

  it('refuses an unknown reason or treatment in a ruleset version, naming the field', async () => {
    const bad = await s.agents.admin
      .post('/api/rulesets')
      .send({
        id: 'LVLIANG-ESC-BAD',
        name: '错',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01',
        escalations: { NEAR_SCHOOL: 'NEXT_LEVEL', BUILT_UP_AREA: 'TWO_LEVELS' },
      })
      .expect(422);
    expect(bad.body.error.fields).toEqual([
      {
        field: 'escalations.NEAR_SCHOOL',
        message:
          '未知的从严管控对象(可选:DIFFERENTIATED_CONTROL、NO_DRY_QUENCHING、BUILT_UP_AREA、JOINT_CONTROL_AREA)',
      },
      {
        field: 'escalations.BUILT_UP_AREA',
        message:
          '应为 NEXT_LEVEL(执行高一级预警措施)、GRADE_LOWER(按低一级绩效等级管控)、{"add": [措施…]}(另加所列措施)或 null(不从严)',
      },
    ]);
  });
});
