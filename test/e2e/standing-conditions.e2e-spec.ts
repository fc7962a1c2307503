import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { StandingConditionsJob } from '../../src/scheduler/standing-conditions.job';
import { StandingConditionsService } from '../../src/standing-conditions/standing-conditions.service';
import { enterpriseInput } from '../factories/enterprise.factory';
import { beijingHour, pushReadings, quarterHourSeries } from '../support/reconciliation-setup';
import type { Agent } from '../support/scenario';
import { createTestApp, type TestApp } from '../support/test-app';

const XIAOYI = '141181';
const SHILOU = '141126';

interface Finding {
  id: string;
  conditionName: string;
  enterpriseName: string;
  countyCode: string;
  pointCode: string;
  metric: string;
  kind: string;
  fromAt: string;
  toAt: string;
  hours: number;
  allowed: number;
  observedMax: number | null;
}

const local = (iso: string) =>
  new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);
const condition = (over: Record<string, unknown> = {}) => ({
  name: '烟气深度治理限值',
  basis: '吕梁市2023年大气污染防治行动计划 第5项',
  outlets: ['DA001'],
  limits: { so2: 15 },
  validFrom: '2023-01-01',
  validTo: null,
  ...over,
});

/**
 * Issue 18, "Standing conditions for named enterprises … where CEMS readings exist they are checked like order
 * measures": conditions are records with their limits (ADMIN, audited), checked hour by hour on the outlets' readings
 * over the last 48 hours; an hour over the limit is found, a compliant outlet is not, hours without readings are
 * missing data, hours before valid-from are not checked, and a county officer sees only their counties.
 */
describe('standing conditions: limits that hold at all times, checked on CEMS', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  let shilouOfficer: Agent;
  const ids: Record<string, string> = {};
  const codes: Record<string, string> = {};
  const keys: Record<string, string> = {};

  const enterprise = async (
    key: string,
    name: string,
    countyCode: string,
    limits: Record<string, number>,
  ) => {
    const { body } = await admin
      .post('/api/enterprises')
      .send(enterpriseInput({ name, countyCode }))
      .expect(201);
    ids[key] = body.id;
    codes[key] = body.creditCode;
    await admin
      .put(`/api/enterprises/${body.id}/metering-points`)
      .send({ points: [{ kind: 'OUTLET_CEMS', code: 'DA001', name: '焦炉烟囱', limits }] })
      .expect(200);
  };
  const series = (
    key: string,
    metric: string,
    from: string,
    to: string,
    value: (at: Date) => number | null,
  ) => quarterHourSeries(`${codes[key]}/DA001`, metric, from, to, value);
  const day = (date: string, hhmm: string) => `2026-12-${date}T${hhmm}:00`;
  const findings = async (agent: Agent, query = '') =>
    (await agent.get(`/api/standing-condition-findings?pageSize=200${query}`).expect(200)).body as {
      items: Finding[];
      total: number;
    };
  const summary = (items: Finding[]) =>
    items
      .map((f) => [
        f.enterpriseName,
        f.pointCode,
        f.metric,
        f.kind,
        local(f.fromAt),
        local(f.toAt),
        f.hours,
        f.allowed,
        f.observedMax,
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-03T10:30:00+08:00');
    [admin, duty, shilouOfficer] = await Promise.all([
      t.signIn(['ADMIN'], 'sc-admin'),
      t.signIn(['DUTY_OFFICER'], 'sc-duty'),
      t.signIn(['COUNTY_OFFICER'], 'sc-shilou', [SHILOU]),
    ]);
    await enterprise('over', '孝义常态超标焦化有限公司', XIAOYI, { so2: 35, nox: 100 });
    await enterprise('ok', '孝义常态达标焦化有限公司', XIAOYI, { so2: 35, pm: 10 });
    await enterprise('gap', '孝义常态断数焦化有限公司', XIAOYI, { so2: 35 });
    await enterprise('later', '孝义常态新限焦化有限公司', XIAOYI, { so2: 35 });
    await enterprise('future', '孝义常态未生效焦化有限公司', XIAOYI, { so2: 35 });
    await enterprise('shilou', '石楼常态超标焦化有限公司', SHILOU, { so2: 35 });
    for (const county of [XIAOYI, SHILOU]) {
      const { body } = await admin
        .post('/api/telemetry/sources')
        .send({ name: `常态管控测试平台${county}`, countyCode: county })
        .expect(201);
      keys[county] = body.key;
    }
    // The span checked at 10:30 on 12-03: the whole hours from 12-01 11:00 to 12-03 10:00.
    const from = day('01', '11:00');
    const to = day('03', '10:00');
    await pushReadings(t, keys[XIAOYI], [
      // 超标: SO2 over its 15 from 12:00 to 14:00 on 12-02; NOx high, but the condition does not limit NOx.
      ...series('over', 'SO2', from, to, (at) =>
        local(at.toISOString()).startsWith('2026-12-02') && beijingHour(at) >= 12 && beijingHour(at) < 14
          ? 25
          : 10,
      ),
      ...series('over', 'NOX', from, to, () => 90),
      ...series('ok', 'SO2', from, to, () => 10),
      ...series('ok', 'PM', from, to, () => 3),
      // 断数: nothing from 20:00 to 23:00 on 12-02.
      ...series('gap', 'SO2', from, to, (at) =>
        local(at.toISOString()).startsWith('2026-12-02') && beijingHour(at) >= 20 && beijingHour(at) < 23
          ? null
          : 10,
      ),
      // 新限: over on 12-01, before its condition holds (from 12-02), under after.
      ...series('later', 'SO2', from, to, (at) =>
        local(at.toISOString()).startsWith('2026-12-01') ? 50 : 10,
      ),
      ...series('future', 'SO2', from, to, () => 50),
    ]);
    await pushReadings(
      t,
      keys[SHILOU],
      series('shilou', 'SO2', from, to, () => 30),
    );
  });
  afterAll(() => t.close());

  it('refuses a bad condition with 422 naming the field in Chinese, and writes nothing', async () => {
    const res = await admin
      .put(`/api/enterprises/${ids.over}/standing-conditions`)
      .send({
        conditions: [
          condition({ limits: { so2: -5 } }),
          condition({ name: '地面站限值', outlets: ['DA009'] }),
        ],
      })
      .expect(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toEqual([
      {
        field: 'conditions[0].limits.so2',
        message: '第1条常态管控条件的二氧化硫限值应为大于0且不超过100000的数(mg/m³)',
      },
      {
        field: 'conditions[1].outlets[0]',
        message: '第2条常态管控条件的适用排口“DA009”不是企业的排口在线监测计量点',
      },
    ]);
    const typed = await admin
      .put(`/api/enterprises/${ids.over}/standing-conditions`)
      .send({ conditions: [condition({ limits: { so2: '十五' } })] })
      .expect(422);
    expect(typed.body.error.fields).toEqual([
      { field: 'conditions[0].limits.so2', message: '二氧化硫限值应为数字(mg/m³)' },
    ]);
    expect((await admin.get(`/api/enterprises/${ids.over}/standing-conditions`).expect(200)).body).toEqual(
      [],
    );
  });

  it('keeps the conditions an administrator sets, audited; others may not set them', async () => {
    const set = async (key: string, body: Record<string, unknown>) =>
      (
        await admin
          .put(`/api/enterprises/${ids[key]}/standing-conditions`)
          .send({ conditions: [condition(body)] })
          .expect(200)
      ).body;
    const [saved] = await set('over', {});
    expect(saved).toMatchObject({
      enterpriseId: ids.over,
      countyCode: XIAOYI,
      name: '烟气深度治理限值',
      basis: '吕梁市2023年大气污染防治行动计划 第5项',
      outlets: ['DA001'],
      limits: { so2: 15, nox: null, pm: null, vocs: null },
      validFrom: '2023-01-01',
      validTo: null,
      inForce: true,
      createdBy: 'sc-admin',
    });
    await set('ok', { outlets: [], limits: { so2: 15, pm: 5 } });
    await set('gap', {});
    await set('later', { validFrom: '2026-12-02' });
    const [future] = await set('future', { validFrom: '2026-12-05' });
    expect(future.inForce).toBe(false);
    await set('shilou', {});
    expect((await duty.get(`/api/enterprises/${ids.over}/standing-conditions`).expect(200)).body).toEqual([
      saved,
    ]);

    await duty.put(`/api/enterprises/${ids.over}/standing-conditions`).send({ conditions: [] }).expect(403);
    await shilouOfficer
      .put(`/api/enterprises/${ids.shilou}/standing-conditions`)
      .send({ conditions: [] })
      .expect(403);
    const audited = await t.dataSource.query<Array<{ actor_name: string; subject_id: string }>>(
      `SELECT actor_name, subject_id FROM audit_entry WHERE action = 'standing-conditions.replaced' ORDER BY id`,
    );
    expect(audited).toEqual(
      ['over', 'ok', 'gap', 'later', 'future', 'shilou'].map((k) => ({
        actor_name: 'sc-admin',
        subject_id: ids[k],
      })),
    );
  });

  it('finds 2 hours over the limit, nothing for a compliant outlet, missing data, and nothing before valid-from', async () => {
    const run = await duty.post('/api/standing-conditions/check').expect(200);
    expect(run.body).toMatchObject({
      from: new Date('2026-12-01T11:00:00+08:00').toISOString(),
      to: new Date('2026-12-03T10:00:00+08:00').toISOString(),
      conditions: 5,
      checks: 6,
      unmetered: 0,
      exceeded: 2,
      missing: 1,
    });
    const { items } = await findings(duty);
    expect(summary(items)).toEqual([
      [
        '孝义常态断数焦化有限公司',
        'DA001',
        'SO2',
        'MISSING_DATA',
        '2026-12-02 20:00',
        '2026-12-02 23:00',
        3,
        15,
        null,
      ],
      [
        '孝义常态超标焦化有限公司',
        'DA001',
        'SO2',
        'EXCEEDED',
        '2026-12-02 12:00',
        '2026-12-02 14:00',
        2,
        15,
        25,
      ],
      [
        '石楼常态超标焦化有限公司',
        'DA001',
        'SO2',
        'EXCEEDED',
        '2026-12-01 11:00',
        '2026-12-03 10:00',
        47,
        15,
        30,
      ],
    ]);
    expect(items.find((f) => f.kind === 'EXCEEDED' && f.countyCode === XIAOYI)!.conditionName).toBe(
      '烟气深度治理限值',
    );
    const audited = await t.dataSource.query<
      Array<{ actor_name: string; data: { exceeded: number; missing: number } }>
    >(`SELECT actor_name, data FROM audit_entry WHERE action = 'standing-conditions.checked'`);
    expect(audited.map((a) => [a.actor_name, a.data.exceeded, a.data.missing])).toEqual([['sc-duty', 2, 1]]);
    // Filters: by kind and by enterprise.
    expect((await findings(duty, '&kind=MISSING_DATA')).items.map((f) => f.enterpriseName)).toEqual([
      '孝义常态断数焦化有限公司',
    ]);
    expect((await findings(duty, `&enterprise=${ids.ok}`)).total).toBe(0);
  });

  it('shows a county officer only their counties’ findings and conditions', async () => {
    const own = await findings(shilouOfficer);
    expect(own.items.map((f) => f.enterpriseName)).toEqual(['石楼常态超标焦化有限公司']);
    expect((await findings(shilouOfficer, `&county=${XIAOYI}`)).total).toBe(0);
    expect((await findings(shilouOfficer, `&enterprise=${ids.over}`)).total).toBe(0);
    await shilouOfficer.get(`/api/enterprises/${ids.over}/standing-conditions`).expect(404);
    expect(
      (await shilouOfficer.get(`/api/enterprises/${ids.shilou}/standing-conditions`).expect(200)).body,
    ).toHaveLength(1);
    await shilouOfficer.post('/api/standing-conditions/check').expect(403);
  });

  it('keeps a finding’s id when checked again; late readings answer missing data', async () => {
    const before = (await findings(duty)).items;
    await pushReadings(
      t,
      keys[XIAOYI],
      series('gap', 'SO2', day('02', '20:00'), day('02', '23:00'), () => 10),
    );
    const result = await t.app.get(StandingConditionsJob).run();
    expect(result).toMatchObject({ acquired: true, result: { exceeded: 2, missing: 0 } });
    const after = (await findings(duty)).items;
    expect(after.map((f) => f.id).sort()).toEqual(
      before
        .filter((f) => f.kind === 'EXCEEDED')
        .map((f) => f.id)
        .sort(),
    );
    // The hourly job is not audited run by run.
    expect(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'standing-conditions.checked'`,
        )
      )[0].n,
    ).toBe(1);
  });

  it('carries a finding open at the span’s start over whole, and keeps those that ended before it', async () => {
    const before = (await findings(duty)).items;
    const shilouBefore = before.find((f) => f.countyCode === SHILOU)!;
    // A day at a time (the job runs hourly; each check looks 48 hours back): 石楼's outlet stays over its limit.
    for (const [date, next, hours] of [
      ['03', '04', 71],
      ['04', '05', 95],
    ] as const) {
      t.clock.set(`2026-12-${next}T10:30:00+08:00`);
      const readings = (key: string, metric = 'SO2', value = 10) =>
        series(key, metric, day(date, '10:00'), day(next, '10:00'), () => value);
      await pushReadings(t, keys[SHILOU], readings('shilou', 'SO2', 30));
      await pushReadings(t, keys[XIAOYI], [
        ...['over', 'ok', 'gap', 'later', 'future'].flatMap((k) => readings(k)),
        ...readings('ok', 'PM', 3),
      ]);
      await duty.post('/api/standing-conditions/check').expect(200);
      const shilou = (await findings(duty)).items.find((f) => f.countyCode === SHILOU)!;
      expect([shilou.id, local(shilou.fromAt), local(shilou.toAt), shilou.hours]).toEqual([
        shilouBefore.id,
        '2026-12-01 11:00',
        `2026-12-${next} 10:00`,
        hours,
      ]);
    }
    // 超标's 2 hours of 12-02 ended before the last span (from 12-03 11:00): kept as they were.
    const after = (await findings(duty)).items;
    expect(after.map((f) => f.id).sort()).toEqual(before.map((f) => f.id).sort());
    expect(after.find((f) => f.countyCode === XIAOYI)).toMatchObject({ hours: 2, observedMax: 25 });
  });

  it('archives a condition left out of the list: no longer listed or checked, its findings kept', async () => {
    await admin.put(`/api/enterprises/${ids.over}/standing-conditions`).send({ conditions: [] }).expect(200);
    expect((await admin.get(`/api/enterprises/${ids.over}/standing-conditions`).expect(200)).body).toEqual(
      [],
    );
    const run = await duty.post('/api/standing-conditions/check').expect(200);
    expect(run.body.conditions).toBe(5);
    expect((await findings(duty, `&enterprise=${ids.over}`)).items.map((f) => f.kind)).toEqual(['EXCEEDED']);
  });

  it('shows the conditions and the latest findings on the enterprise’s console page', async () => {
    const page = await admin.get(`/enterprises/${ids.shilou}`).expect(200);
    expect(page.text).toContain('常态管控条件');
    expect(page.text).toContain('烟气深度治理限值');
    expect(page.text).toContain('吕梁市2023年大气污染防治行动计划 第5项');
    expect(page.text).toContain('二氧化硫 15 mg/m³');
    expect(page.text).toContain('2023-01-01 起,长期');
    expect(page.text).toContain('超出常态限值');
    expect(page.text).toContain('2026年12月01日 11:00 至 2026年12月05日 10:00');
    const other = await shilouOfficer.get(`/enterprises/${ids.ok}`);
    expect(other.status).toBe(404);
    const none = await admin.get(`/enterprises/${ids.ok}`).expect(200);
    expect(none.text).toContain('尚未发现监测异常');
  });
});

describe('standing conditions in demo mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO: 'true' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
  });
  afterAll(() => t.close());

  it('gives 山西中阳钢铁 and 山西福裕焦化 seed item 5’s caps from 2023-01-01 on their outlets, once', async () => {
    const bootstrap = t.app.get(DatabaseBootstrapService);
    const first = await bootstrap.prepare({ demo: true, demoPassword: 'demo' });
    expect(first.seeds.demoConditionsAdded).toBe(3);
    const again = await bootstrap.prepare({ demo: true, demoPassword: 'demo' });
    expect(again.seeds.demoConditionsAdded).toBe(0);
    const rows = await t.dataSource.query(
      `SELECT e.name AS enterprise, sc.name, sc.outlet_codes AS outlets, sc.limit_pm::float8 AS pm,
              sc.limit_so2::float8 AS so2, sc.limit_nox::float8 AS nox, sc.limit_vocs::float8 AS vocs,
              sc.valid_from::text AS "validFrom", sc.valid_to AS "validTo"
         FROM standing_condition sc JOIN enterprise e ON e.id = sc.enterprise_id`,
    );
    const byName = (a: { enterprise: string; name: string }, b: { enterprise: string; name: string }) =>
      (a.enterprise + a.name).localeCompare(b.enterprise + b.name);
    expect(rows.sort(byName)).toEqual(
      [
        {
          enterprise: '山西中阳钢铁有限公司',
          name: '烧结机机头烟气深度治理限值',
          outlets: ['DA001'],
          pm: 5,
          so2: 5,
          nox: 35,
          vocs: null,
          validFrom: '2023-01-01',
          validTo: null,
        },
        {
          enterprise: '山西福裕焦化有限公司',
          name: '焦炉烟气深度治理限值',
          outlets: ['DA001'],
          pm: 5,
          so2: 15,
          nox: 50,
          vocs: 60,
          validFrom: '2023-01-01',
          validTo: null,
        },
        {
          enterprise: '山西福裕焦化有限公司',
          name: '装煤、推焦、炉头烟、干熄焦地面站烟气深度治理限值',
          outlets: ['DA002', 'DA003', 'DA004', 'DA005'],
          pm: 10,
          so2: 20,
          nox: null,
          vocs: null,
          validFrom: '2023-01-01',
          validTo: null,
        },
      ].sort(byName),
    );
    // Each names outlets that exist and measure what it limits.
    const { checks, unmetered } = await t.app.get(StandingConditionsService).checkAll();
    expect({ checks, unmetered }).toEqual({ checks: 3 + 4 + 4 * 2, unmetered: 0 });
    const audited = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'standing-conditions.demo-seeded'`,
    );
    expect(audited[0].n).toBe(1);
  });
});
