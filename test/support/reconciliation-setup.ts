import { measure } from '../factories/enterprise.factory';
import { scenario, type Agent, type Scenario } from './scenario';
import type { SmtpSink } from './smtp-sink';
import type { TestApp } from './test-app';

export const XIAOYI = '141181';
export const SHILOU = '141126';
const QUARTER = 15 * 60_000;

export interface Reading {
  point: string;
  metric: string;
  at: string;
  value: number;
}

/**
 * Quarter-hour readings of `point` (信用代码/编码) from `from` to `to` (Beijing local times, `YYYY-MM-DDTHH:mm:ss`),
 * `value(at)` each; a null value leaves the quarter out (a gap in the data).
 */
export function quarterHourSeries(
  point: string,
  metric: string,
  from: string,
  to: string,
  value: (at: Date) => number | null,
): Reading[] {
  const out: Reading[] = [];
  for (let ms = Date.parse(`${from}+08:00`); ms < Date.parse(`${to}+08:00`); ms += QUARTER) {
    const v = value(new Date(ms));
    if (v !== null) out.push({ point, metric, at: new Date(ms).toISOString(), value: v });
  }
  return out;
}

/** The hour of the day in Beijing time. */
export const beijingHour = (at: Date): number =>
  Number(
    new Intl.DateTimeFormat('en', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(
      at,
    ),
  );

/** Pushes readings through the metering API with a source's key; every one must be taken. */
export async function pushReadings(t: TestApp, key: string, readings: Reading[]): Promise<void> {
  const res = await t
    .http()
    .post('/api/telemetry/readings')
    .set('Authorization', `Bearer ${key}`)
    .send({ readings });
  if (res.status !== 200 || res.body.rejected?.length)
    throw new Error(`readings refused: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
}

export interface DiscrepancyWarning {
  s: Scenario;
  /** Credit codes by enterprise key. */
  codes: Record<string, string>;
}

/**
 * The console pages' warning (the shape of test/e2e/reconciliation.e2e-spec.ts, smaller): an orange warning over
 * 孝义市 and 石楼县 from 2026-12-01 10:00, each enterprise under a STOP order with one metered line of 1,000 kW.
 * - `xiaoyi` (孝义) reports its measures in place at 11:00 and runs at 990 kW: exceeded 11:00–16:00, flagged;
 * - `shilou` (石楼) reports at 11:00 and runs at 1,000 kW: exceeded 11:00–16:00, flagged;
 * - `shilougap` (石楼) stops (30 kW) but sends nothing from 13:00 to 15:00 and reported nothing: missing data.
 * The clock is left at 16:30, the readings in; reconciliation is not run (the tests run it).
 */
export async function discrepancyWarning(
  t: TestApp,
  sink: SmtpSink,
  agents: Partial<Scenario['agents']> = {},
): Promise<DiscrepancyWarning> {
  t.clock.set('2026-12-01T10:00:00+08:00');
  const stop = [measure({ level: 'ORANGE', action: 'STOP', params: {}, description: '1号焦炉停产' })];
  const s = await scenario(t, { sink, agents })
    .enterprises([
      { key: 'xiaoyi', input: { name: '孝义核查停产焦化有限公司', grade: 'D' }, measures: stop },
      {
        key: 'shilou',
        input: { name: '石楼核查停产焦化有限公司', grade: 'D', countyCode: SHILOU },
        measures: stop,
      },
      {
        key: 'shilougap',
        input: { name: '石楼核查断数焦化有限公司', grade: 'D', countyCode: SHILOU },
        measures: stop,
      },
    ])
    .warning({ level: 'ORANGE', effectiveAt: '2026-12-01T10:00:00+08:00', reason: '会商研判,污染已较重' })
    .approved()
    .delivered();

  const admin: Agent = s.agents.admin;
  const codes: Record<string, string> = {};
  for (const key of ['xiaoyi', 'shilou', 'shilougap']) {
    const { body } = await admin.get(`/api/enterprises/${s.ids[key]}`).expect(200);
    codes[key] = body.creditCode;
    await admin
      .put(`/api/enterprises/${s.ids[key]}/metering-points`)
      .send({ points: [{ kind: 'LINE_POWER', code: 'JL1', name: '1号焦炉', normalPowerKw: 1000 }] })
      .expect(200);
  }
  const keys: Record<string, string> = {};
  for (const county of [XIAOYI, SHILOU]) {
    const { body } = await admin
      .post('/api/telemetry/sources')
      .send({ name: `核查页面测试平台${county}`, countyCode: county })
      .expect(201);
    keys[county] = body.key;
  }

  await s.receipt('xiaoyi');
  await s.receipt('shilou');
  t.clock.set('2026-12-01T11:00:00+08:00');
  await s.report('xiaoyi', '2026-12-01T11:00');
  await s.report('shilou', '2026-12-01T11:00');
  t.clock.set('2026-12-01T16:30:00+08:00');
  const from = '2026-12-01T10:00:00';
  const to = '2026-12-01T16:15:00';
  await pushReadings(
    t,
    keys[XIAOYI],
    quarterHourSeries(`${codes.xiaoyi}/JL1`, 'POWER_KW', from, to, () => 990),
  );
  await pushReadings(t, keys[SHILOU], [
    ...quarterHourSeries(`${codes.shilou}/JL1`, 'POWER_KW', from, to, () => 1000),
    ...quarterHourSeries(`${codes.shilougap}/JL1`, 'POWER_KW', from, to, (at) =>
      beijingHour(at) >= 13 && beijingHour(at) < 15 ? null : 30,
    ),
  ]);
  return { s, codes };
}
