import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { generateDemoList } from '../../src/database/seeds/demo-enterprises.generator';
import { DemoTelemetryJob } from '../../src/scheduler/demo-telemetry.job';
import { complianceProfile } from '../../src/telemetry/demo-readings.rules';
import { DemoReadingsService } from '../../src/telemetry/demo-readings.service';
import { ReadingsService } from '../../src/telemetry/readings.service';
import { DEMO_SOURCE_NAME, TelemetrySourcesService } from '../../src/telemetry/telemetry-sources.service';
import { Clock } from '../../src/common/clock/clock';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { createTestApp, TestApp } from '../support/test-app';

const XIAOYI = '141181';
const ZHONGYANG = '141129';
const EFFECTIVE = '2026-11-28T16:00:00+08:00';
const H = 3_600_000;

/** The demo list's enterprises with what the test needs to pick them: county, RED actions, compliance profile. */
const demo = generateDemoList().enterprises.map((e) => ({
  ...e,
  profile: complianceProfile(
    e.input.creditCode,
    e.points.map((p) => p.code),
  ),
  red: e.measures.filter((m) => m.level === 'RED').map((m) => m.action),
}));
const inWarning = (e: (typeof demo)[number]) => [XIAOYI, ZHONGYANG].includes(e.input.countyCode);

describe('demo telemetry: the demo enterprises’ meters, and a demo warning in them', () => {
  let t: TestApp;
  let job: DemoTelemetryJob;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO: 'true', SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    await t.app.get(DatabaseBootstrapService).prepare({ demo: true, demoPassword: 'demo' });
    job = t.app.get(DemoTelemetryJob);
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) =>
    (await t.dataSource.query<Array<{ n: number }>>(sql, params))[0].n;

  /** The hourly averages of one point's metric, by the hour's start (ISO), as reconciliation will read them. */
  async function hourly(
    creditCode: string,
    code: string,
    metric: string,
  ): Promise<Map<string, { avg: number; n: number }>> {
    const rows = await t.dataSource.query<Array<{ h: Date; avg: number; n: number }>>(
      `SELECT date_trunc('hour', r.measured_at) AS h, avg(r.value)::float8 AS avg, count(*)::int AS n
         FROM meter_reading r JOIN metering_point p ON p.id = r.point_id JOIN enterprise e ON e.id = p.enterprise_id
        WHERE e.credit_code = $1 AND p.code = $2 AND r.metric = $3
        GROUP BY 1 ORDER BY 1`,
      [creditCode, code, metric],
    );
    return new Map(rows.map((r) => [new Date(r.h).toISOString(), { avg: r.avg, n: r.n }]));
  }
  const hour = (offsetHours: number) =>
    new Date(new Date(EFFECTIVE).getTime() + offsetHours * H).toISOString();

  it('seeds every demo enterprise’s points and a demo source per county once, through a re-run unchanged', async () => {
    const expected = demo.reduce((n, e) => n + e.points.length, 0);
    expect(await count('SELECT count(*)::int AS n FROM metering_point')).toBe(expected);
    const fuyu = demo.find((e) => e.input.name === '山西福裕焦化有限公司')!;
    const [stack] = await t.dataSource.query(
      `SELECT p.kind, p.name, p.limit_so2::float8 AS so2, p.limit_pm::float8 AS pm, p.normal_power_kw
         FROM metering_point p JOIN enterprise e ON e.id = p.enterprise_id WHERE e.credit_code = $1 AND p.code = 'DA001'`,
      [fuyu.input.creditCode],
    );
    expect(stack).toEqual({ kind: 'OUTLET_CEMS', name: '焦炉烟囱', so2: 15, pm: 5, normal_power_kw: null });
    const sources = await t.dataSource.query<Array<{ county_code: string; created_by_name: string }>>(
      `SELECT county_code, created_by_name FROM telemetry_source WHERE name = $1 ORDER BY county_code`,
      [DEMO_SOURCE_NAME],
    );
    expect(sources.map((s) => s.county_code)).toEqual(
      [...new Set(demo.map((e) => e.input.countyCode))].sort(),
    );
    expect(new Set(sources.map((s) => s.created_by_name))).toEqual(new Set(['系统管理员(演示)']));

    const again = await t.app.get(DatabaseBootstrapService).prepare({ demo: true, demoPassword: 'demo' });
    expect(again.seeds.demoPointsAdded).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM metering_point')).toBe(expected);
    expect(await count('SELECT count(*)::int AS n FROM telemetry_source')).toBe(sources.length);
    expect(
      await count(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'telemetry.demo-seeded'`),
    ).toBe(1);
  });

  it('does nothing outside demo mode', async () => {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const off = new DemoReadingsService(
      t.dataSource,
      t.app.get(TelemetrySourcesService),
      t.app.get(ReadingsService),
      t.app.get(Clock),
      { ...config, demo: false },
    );
    t.clock.set('2026-11-28T12:00:00+08:00');
    expect(await off.generate()).toMatchObject({ demo: false, points: 0, accepted: 0 });
    expect(await count('SELECT count(*)::int AS n FROM meter_reading')).toBe(0);
  });

  it('writes the last 48 hours of quarter-hours for every demo point, then only what is new, never twice', async () => {
    // A RED warning over 孝义市 and 中阳县 from 16:00, approved at 10:00.
    t.clock.set('2026-11-28T10:00:00+08:00');
    const [duty, commander] = await Promise.all([t.signIn(['DUTY_OFFICER']), t.signIn(['COMMANDER'])]);
    const { body: draft } = await duty
      .post('/api/alerts')
      .send({
        level: 'RED',
        countyCodes: [XIAOYI, ZHONGYANG],
        effectiveAt: EFFECTIVE,
        reason: '会商研判:重污染过程',
      })
      .expect(201);
    await commander.post(`/api/alerts/${draft.id}/approve`).send({}).expect(200);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM reduction_order WHERE alert_id = $1 AND state = 'PENDING'`,
        [draft.id],
      ),
    ).toBe(demo.filter(inWarning).length);

    t.clock.set('2026-11-28T21:05:00+08:00');
    const first = await job.run();
    expect(first).toMatchObject({
      acquired: true,
      result: {
        demo: true,
        from: '2026-11-26T13:00:00.000Z', // 21:00 +08:00 two days before: the span standing conditions check
        to: '2026-11-28T13:00:00.000Z',
        quarterHours: 193,
        duplicates: 0,
      },
    });
    const points = demo.reduce((n, e) => n + e.points.length, 0);
    expect(first.acquired && first.result.points).toBe(points);
    const rows = await count('SELECT count(*)::int AS n FROM meter_reading');
    expect(first.acquired && first.result.accepted).toBe(rows);
    // Every point has readings, each from its county's demo source, at quarter-hours only.
    expect(await count('SELECT count(DISTINCT point_id)::int AS n FROM meter_reading')).toBe(points);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM meter_reading r JOIN metering_point p ON p.id = r.point_id
           JOIN telemetry_source s ON s.id = r.source_id
          WHERE s.county_code <> p.county_code OR s.name <> $1 OR extract(epoch FROM r.measured_at)::bigint % 900 <> 0`,
        [DEMO_SOURCE_NAME],
      ),
    ).toBe(0);

    // Run again at once: the last quarter-hour is tried again and is all duplicates; nothing new.
    const second = await job.run();
    expect(second).toMatchObject({ acquired: true, result: { accepted: 0, quarterHours: 1 } });
    expect(second.acquired && second.result.duplicates).toBeGreaterThan(0);
    expect(await count('SELECT count(*)::int AS n FROM meter_reading')).toBe(rows);

    // Later: from the last quarter-hour written (21:00) to 23:30, nothing twice.
    t.clock.set('2026-11-28T23:35:00+08:00');
    const third = await job.run();
    expect(third).toMatchObject({
      acquired: true,
      result: { from: '2026-11-28T13:00:00.000Z', to: '2026-11-28T15:30:00.000Z', quarterHours: 11 },
    });
    expect(third.acquired && third.result.duplicates).toBe(second.acquired && second.result.duplicates);
    expect(await count('SELECT count(*)::int AS n FROM meter_reading')).toBe(
      rows + (third.acquired ? third.result.accepted : 0),
    );
    expect(
      await count(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM meter_reading GROUP BY point_id, metric, measured_at HAVING count(*) > 1) d`,
      ),
    ).toBe(0);
  });

  it('a complying enterprise under STOP draws a few percent of its normal power from the effective time', async () => {
    const e = demo.find(
      (x) =>
        x.input.countyCode === XIAOYI &&
        x.red.includes('STOP') &&
        x.profile.complies &&
        !x.profile.silentPoint,
    )!;
    const normal = e.points[0].normalPowerKw!;
    const hours = await hourly(e.input.creditCode, 'L1', 'POWER_KW');
    // 15:00, before the order: normal production.
    expect(hours.get(hour(-1))!.n).toBe(4);
    expect(hours.get(hour(-1))!.avg).toBeGreaterThanOrEqual(0.75 * normal);
    // 16:00 to 23:30, under STOP: every hour under 10% of normal (2–5% drawn).
    for (let h = 0; h < 8; h++) {
      expect(hours.get(hour(h))!.n).toBe(h < 7 ? 4 : 3);
      expect(hours.get(hour(h))!.avg).toBeLessThanOrEqual(0.05 * normal);
    }
  });

  it('a non-complier keeps its STOP line near normal power for the first hours, then stops', async () => {
    const e = demo.find(
      (x) =>
        inWarning(x) &&
        x.red.includes('STOP') &&
        !x.red.includes('CONCENTRATION_CAP') &&
        !x.profile.complies &&
        !x.profile.silentPoint,
    )!;
    const normal = e.points[0].normalPowerKw!;
    const hours = await hourly(e.input.creditCode, 'L1', 'POWER_KW');
    const over = [0, 1, 2, 3, 4, 5, 6, 7].filter((h) => hours.get(hour(h))!.avg > 0.1 * normal);
    expect(over.length).toBeGreaterThanOrEqual(3);
    expect(over).toEqual(over.map((_, i) => i)); // from 16:00, one block
    for (const h of over) expect(hours.get(hour(h))!.avg).toBeGreaterThanOrEqual(0.88 * normal);
    expect(hours.get(hour(7))!.avg).toBeLessThanOrEqual(0.05 * normal);
  });

  it('山西福裕焦化 exceeds its concentration caps at the coke-oven stack for a few hours; complying outlets stay under', async () => {
    const fuyu = demo.find((e) => e.input.name === '山西福裕焦化有限公司')!;
    expect(fuyu.profile.complies).toBe(false);
    const so2 = await hourly(fuyu.input.creditCode, 'DA001', 'SO2');
    const over = [0, 1, 2, 3, 4, 5, 6, 7].filter((h) => so2.get(hour(h))!.avg > 15);
    expect(over.length).toBeGreaterThanOrEqual(2);
    expect(over.length).toBeLessThanOrEqual(4);
    expect(over[0]).toBe(1);
    for (const h of over) expect(so2.get(hour(h))!.avg).toBeGreaterThanOrEqual(1.2 * 15);
    // A complier with CEMS in the warning: its outlets stay at 30–70% of their limits.
    const other = demo.find(
      (e) => inWarning(e) && e.profile.complies && !e.profile.silentPoint && e.input.industry === 'COKING',
    )!;
    const gas = await hourly(other.input.creditCode, 'DA001', 'SO2');
    for (let h = -1; h < 8; h++) expect(gas.get(hour(h))!.avg).toBeLessThanOrEqual(0.7 * 30 + 0.1);
  });

  it('a point of a silent enterprise sends nothing for 2–3 whole hours under the order (missing data)', async () => {
    const e = demo.find((x) => inWarning(x) && x.profile.silentPoint)!;
    const point = e.points.find((p) => p.code === e.profile.silentPoint)!;
    const metric = point.kind === 'LINE_POWER' ? 'POWER_KW' : Object.keys(point.limits!)[0].toUpperCase();
    const hours = await hourly(e.input.creditCode, point.code, metric);
    expect(hours.get(hour(-1))!.n).toBe(4);
    const empty = [0, 1, 2, 3, 4, 5, 6, 7].filter((h) => !hours.has(hour(h)));
    expect(empty.length).toBeGreaterThanOrEqual(2);
    expect(empty.length).toBeLessThanOrEqual(3);
    expect(empty[0]).toBeGreaterThanOrEqual(1);
  });

  it('reconciles to findings for the non-compliers and the silent points only', async () => {
    t.clock.set('2026-11-28T23:35:00+08:00');
    const [{ id }] = await t.dataSource.query<Array<{ id: string }>>('SELECT id FROM alert');
    const run = await t.app.get(ReconciliationService).reconcile(id);
    const found = await t.dataSource.query<Array<{ credit_code: string; kind: string }>>(
      `SELECT DISTINCT e.credit_code, d.kind FROM telemetry_discrepancy d JOIN enterprise e ON e.id = d.enterprise_id
        WHERE d.alert_id = $1`,
      [id],
    );
    const byCode = new Map(demo.map((e) => [e.input.creditCode, e]));
    const exceeded = found.filter((f) => f.kind === 'EXCEEDED').map((f) => byCode.get(f.credit_code)!);
    const missing = found.filter((f) => f.kind === 'MISSING_DATA').map((f) => byCode.get(f.credit_code)!);
    expect(exceeded.length).toBeGreaterThan(0);
    expect(missing.length).toBeGreaterThan(0);
    expect(exceeded.filter((e) => e.profile.complies)).toEqual([]);
    expect(missing.filter((e) => !e.profile.silentPoint)).toEqual([]);
    expect(exceeded.map((e) => e.input.name)).toContain('山西福裕焦化有限公司');
    expect(run.hoursPassed).toBeGreaterThan(run.hoursChecked * 0.8);
  });
});
