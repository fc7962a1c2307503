import type { ParsedMail } from 'mailparser';
import { measure } from '../factories/enterprise.factory';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import {
  addedMeasures,
  type EscalationSettings,
  escalationSources,
  measureLevel,
} from '../../src/orders/escalation.rules';
import type { WarningLevel } from '../../src/rulesets/ruleset.types';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const XIAOYI = '141181'; // one of the 平川四县
const ROAD = {
  action: 'STOP_ROAD_TRANSPORT',
  description: '禁止公路运输',
  reduction: { so2: 5, nox: 7, pm: 2 },
  verification: 'GATE_CAMERA',
} as const;
const SETTINGS: EscalationSettings = {
  BUILT_UP_AREA: { add: [{ ...ROAD, reduction: { so2: 5, nox: 7, pm: 2, vocs: 0 } }] },
  JOINT_CONTROL_AREA: 'NEXT_LEVEL',
};
const LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;

/**
 * Issue 18, "Tags and places that bite", the second treatment: under a ruleset where BUILT_UP_AREA adds 禁止公路运输
 * (with a reduction) and the 平川四县 take the next level, an orange warning gives a built-up-area enterprise its orange
 * measures plus the added one, one also in 孝义市 its red measures plus the added one, and one whose plan already stops
 * road transport nothing twice; the preview and adequacy count them, the notice names what was added, and the SQL
 * that writes the orders agrees with the rule (addedMeasures) for every enterprise.
 */
describe('tags and places that bite: measures added in a warning', () => {
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
  const ownRoad = measure({
    level: 'ORANGE',
    line: null,
    action: 'STOP_ROAD_TRANSPORT',
    params: {},
    description: '停止公路运输',
    reduction: { so2: 1, nox: 2, pm: 1, vocs: 0 },
    verification: 'GATE_CAMERA',
  });
  const built = { countyCode: ZHONGYANG, controlTags: ['BUILT_UP_AREA'] };

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const admin = await t.signIn(['ADMIN']);
    await admin
      .post('/api/rulesets')
      .send({
        id: 'LVLIANG-ADD',
        name: '吕梁市从严管控规则(另加措施)',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2026-11-01',
        escalations: { BUILT_UP_AREA: { add: [ROAD] }, JOINT_CONTROL_AREA: 'NEXT_LEVEL' },
      })
      .expect(201);
    s = await scenario(t, { sink })
      .enterprises([
        { key: 'built', input: { name: '中阳建成区铸造有限公司', ...built }, measures: both },
        { key: 'plain', input: { name: '中阳普通铸造有限公司', countyCode: ZHONGYANG }, measures: both },
        {
          key: 'hasroad',
          input: { name: '中阳建成区已停运输铸造有限公司', ...built },
          measures: [...both, ownRoad],
        },
        {
          key: 'xiaoyi',
          input: { name: '孝义建成区焦化有限公司', countyCode: XIAOYI, controlTags: ['BUILT_UP_AREA'] },
          measures: both,
        },
        {
          key: 'redonly',
          input: { name: '中阳建成区无橙色措施铸造有限公司', ...built },
          measures: [both[1]],
        },
      ])
      .warning({ level: 'ORANGE', effectiveAt: '2026-11-28T20:00:00+08:00', reason: '会商研判' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('keeps the added measures in the ruleset version, in normal form', async () => {
    const { body } = await s.agents.admin.get('/api/rulesets/LVLIANG-ADD').expect(200);
    expect(body.definition.escalations).toEqual({
      BUILT_UP_AREA: { add: [{ ...ROAD, params: {}, reduction: { so2: 5, nox: 7, pm: 2, vocs: 0 } }] },
      JOINT_CONTROL_AREA: 'NEXT_LEVEL',
    });
  });

  it('counts per reason the enterprises its treatment made stricter in the preview', async () => {
    expect(s.alert.rulesetId).toBe('LVLIANG-ADD');
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/preview`).expect(200);
    // Four in built-up areas; the one already stopping road transport and the one without orange measures get
    // nothing added.
    expect(body.escalated).toEqual([
      { source: 'BUILT_UP_AREA', name: '位于建成区的重污染企业', n: 4, stricter: 2 },
      { source: 'JOINT_CONTROL_AREA', name: '位于平川四县(太原及周边“1+30”联防联控区)', n: 1, stricter: 1 },
    ]);
  });

  it('counts the added measures’ given reductions in the warning’s adequacy and the list’s', async () => {
    // SO2, kg/d. 中阳: built 20 + 5, plain 20, hasroad 20 + 1 (its own, nothing added), redonly none at orange;
    // 孝义: the built-up-area one at red 50 + 5.
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/preview`).expect(200);
    type Row = { pollutant: string; reduction: number };
    const of = (rows: Row[], p: string) => rows.find((r) => r.pollutant === p)!.reduction;
    expect([of(body.reduction, 'so2'), of(body.reduction, 'nox')]).toEqual([121, 40 * 3 + 7 + 2 + 80 + 7]);
    const county = (code: string) =>
      of(
        (body.byCounty as Array<{ countyCode: string; reduction: Row[] }>).find((c) => c.countyCode === code)!
          .reduction,
        'so2',
      );
    expect([county(ZHONGYANG), county(XIAOYI)]).toEqual([66, 55]);
    const list = await s.agents.duty.get('/api/reduction-list/adequacy').expect(200);
    const level = (l: string) =>
      (
        list.body.city.levels as Array<{ level: string; pollutants: Record<string, { reduction: number }> }>
      ).find((x) => x.level === l)!.pollutants.so2.reduction;
    // No plan has yellow measures: at yellow only the 孝义 one counts, stepped up to orange (20) plus the added 5. At
    // red every plan stops (5 × 50); the four in built-up areas add road transport (their red lists lack it).
    expect([level('YELLOW'), level('ORANGE'), level('RED')]).toEqual([25, 121, 270]);
  });

  it('gives a built-up-area enterprise its orange measures plus the added one, once, as the rule says', async () => {
    await s.agents.commander.post(`/api/alerts/${s.alertId}/approve`).send({}).expect(200);
    const orders = await t.dataSource.query<
      Array<{
        name: string;
        control_tags: string[];
        joint_control_area: boolean;
        measure_level: WarningLevel;
        escalated_by: string[];
        problem: string | null;
        measures: Array<{ action: string; description: string; escalation?: string }>;
        level_measures: Record<string, Array<{ action: string; line: string | null }>>;
      }>
    >(
      `SELECT e.name, e.control_tags, c.joint_control_area, o.measure_level, o.escalated_by, o.problem, o.measures,
              pv.level_measures
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id JOIN county c ON c.code = e.county_code
         JOIN plan_version pv ON pv.enterprise_id = e.id AND pv.is_current
        WHERE o.alert_id = $1 ORDER BY e.name`,
      [s.alertId],
    );
    const byName = Object.fromEntries(
      orders.map((o) => [o.name, [o.measure_level, o.escalated_by, o.measures.map((m) => m.description)]]),
    );
    expect(byName).toEqual({
      中阳建成区铸造有限公司: [
        'ORANGE',
        ['BUILT_UP_AREA'],
        ['限产20%', '禁止公路运输(建成区重污染企业从严措施)'],
      ],
      中阳普通铸造有限公司: ['ORANGE', [], ['限产20%']],
      中阳建成区已停运输铸造有限公司: ['ORANGE', ['BUILT_UP_AREA'], ['限产20%', '停止公路运输']],
      孝义建成区焦化有限公司: [
        'RED',
        ['BUILT_UP_AREA', 'JOINT_CONTROL_AREA'],
        ['全厂停产', '禁止公路运输(建成区重污染企业从严措施)'],
      ],
      中阳建成区无橙色措施铸造有限公司: ['ORANGE', ['BUILT_UP_AREA'], []],
    });
    const added = orders.find((o) => o.name === '中阳建成区铸造有限公司')!.measures[1];
    expect(added).toEqual({
      line: null,
      action: 'STOP_ROAD_TRANSPORT',
      params: {},
      description: '禁止公路运输(建成区重污染企业从严措施)',
      reduction: { so2: 5, nox: 7, pm: 2, vocs: 0 },
      verification: 'GATE_CAMERA',
      fromHour: null,
      toHour: null,
      escalation: 'BUILT_UP_AREA',
    });
    expect(orders.find((o) => o.name === '中阳建成区无橙色措施铸造有限公司')!.problem).toBe('NO_PLAN');
    // The SQL twin agrees with the rule for every enterprise: reasons, level taken, and the whole list.
    for (const o of orders) {
      const sources = escalationSources(
        { controlTags: o.control_tags, jointControlArea: o.joint_control_area },
        SETTINGS,
      );
      const taken = measureLevel('ORANGE', LEVELS, sources, Object.keys(o.level_measures), SETTINGS);
      const list = o.level_measures[taken] ?? [];
      expect([o.name, o.escalated_by, o.measure_level, o.measures]).toEqual([
        o.name,
        sources,
        taken,
        [...list, ...addedMeasures(sources, SETTINGS, list)],
      ]);
    }
  });

  it('names in the notice what was added and why, and nothing for the others', async () => {
    await t.app.get(OutboxDispatcher).drain();
    const mailTo = (key: string) =>
      sink.messages.filter((m: ParsedMail) => JSON.stringify(m.to).includes(`${key}@test.example`));
    const [builtMail] = mailTo('built');
    expect(builtMail.text).toContain('贵单位为位于建成区的重污染企业,按规定从严管控,另须执行:禁止公路运输。');
    expect(builtMail.text).toContain('禁止公路运输(建成区重污染企业从严措施)');
    const [joint] = mailTo('xiaoyi');
    expect(joint.text).toContain(
      '贵单位为位于建成区的重污染企业、位于平川四县(太原及周边“1+30”联防联控区),按规定从严管控,执行红色预警减排措施,另须执行:禁止公路运输。',
    );
    expect(joint.text).toContain('全厂停产');
    for (const key of ['plain', 'hasroad']) {
      const [mail] = mailTo(key);
      expect(mail.text).not.toContain('按规定从严管控');
      expect(mail.text).not.toContain('从严措施');
    }
  });

  it('refuses a bad added measure in a ruleset version, naming its field in Chinese', async () => {
    const bad = await s.agents.admin
      .post('/api/rulesets')
      .send({
        id: 'LVLIANG-ADD-BAD',
        name: '错',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01',
        escalations: {
          BUILT_UP_AREA: { add: [{ action: 'LIMIT_PERCENT', description: '限产' }] },
        },
      })
      .expect(422);
    expect(bad.body.error.fields).toEqual([
      {
        field: 'escalations.BUILT_UP_AREA.add[0].params.percent',
        message: '限产需要数值参数 percent(限产比例(%))',
      },
    ]);
    await s.agents.admin.get('/api/rulesets/LVLIANG-ADD-BAD').expect(404);
  });
});
