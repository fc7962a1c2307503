import { generateDemoList } from '../database/seeds/demo-enterprises.generator';
import {
  complianceProfile,
  type ComplianceProfile,
  type DemoOrder,
  type DemoPoint,
  demoReadings,
  measuresInForce,
  type MeasureInForce,
  NON_COMPLIER_EVERY,
  quarterHours,
  SILENT_EVERY,
} from './demo-readings.rules';

const H = 3_600_000;
const LINE: DemoPoint = {
  kind: 'LINE_POWER',
  code: 'L1',
  name: '1#焦炉',
  normalPowerKw: 4000,
  limits: { so2: null, nox: null, pm: null, vocs: null },
};
const STACK: DemoPoint = {
  kind: 'OUTLET_CEMS',
  code: 'DA001',
  name: '焦炉烟囱',
  normalPowerKw: null,
  limits: { so2: 30, nox: 150, pm: 10, vocs: null },
};
const COMPLIES: ComplianceProfile = { complies: true, silentPoint: null, seed: 0x12345678 };
const BREAKS: ComplianceProfile = { complies: false, silentPoint: null, seed: 0x12345678 };
const SINCE = new Date('2026-12-01T20:00:00+08:00');
const measure = (action: MeasureInForce['action'], params = {}, line: string | null = '1#焦炉') => ({
  line,
  action,
  params,
  since: SINCE,
});

/** Readings of one point and metric over `hours` whole hours from SINCE, grouped by hour (as reconciliation reads them). */
function hourly(
  point: DemoPoint,
  measures: MeasureInForce[],
  profile: ComplianceProfile,
  metric: string,
  hours = 24,
  code = '91141181MA0L000001',
): Array<{ hour: number; avg: number | null; n: number }> {
  const out = [];
  for (let h = 0; h < hours; h++) {
    const values = [0, 1, 2, 3]
      .map((q) => new Date(SINCE.getTime() + h * H + q * 15 * 60_000))
      .flatMap((at) => demoReadings(code, point, measures, profile, at))
      .filter((r) => r.metric === metric)
      .map((r) => r.value);
    out.push({
      hour: h,
      n: values.length,
      avg: values.length ? values.reduce((a, b) => a + b) / values.length : null,
    });
  }
  return out;
}

// The checks reconciliation makes (issue 17), written out here on their own so these tests do not lean on the generator.
const stopPasses = (avg: number, normal: number) => avg <= 0.1 * normal;
const limitPasses = (avg: number, normal: number, p: number) => avg <= (1 - p / 100) * normal + 0.1 * normal;

describe('demo readings', () => {
  it('outside orders: lines at 75–100% of normal power, outlets at 30–70% of their limits, every quarter-hour', () => {
    for (const at of quarterHours(SINCE, new Date(SINCE.getTime() + 48 * H))) {
      const [power] = demoReadings('91141181MA0L000001', LINE, [], BREAKS, at);
      expect(power.metric).toBe('POWER_KW');
      expect(power.value).toBeGreaterThanOrEqual(0.75 * 4000);
      expect(power.value).toBeLessThanOrEqual(4000);
      const gas = demoReadings('91141181MA0L000001', STACK, [], BREAKS, at);
      expect(gas.map((r) => r.metric)).toEqual(['SO2', 'NOX', 'PM']);
      for (const r of gas) {
        const limit = ({ SO2: 30, NOX: 150, PM: 10 } as Record<string, number>)[r.metric];
        expect(r.value).toBeGreaterThanOrEqual(0.3 * limit - 0.01);
        expect(r.value).toBeLessThanOrEqual(0.7 * limit + 0.01);
      }
    }
  });

  it('is smooth and deterministic: the same enterprise, point and time give the same value; quarter-hours differ a little', () => {
    const times = quarterHours(SINCE, new Date(SINCE.getTime() + 24 * H));
    const a = times.map((t) => demoReadings('91141181MA0L000001', LINE, [], COMPLIES, t)[0].value);
    const b = times.map((t) => demoReadings('91141181MA0L000001', LINE, [], COMPLIES, new Date(t))[0].value);
    expect(a).toEqual(b);
    const other = times.map((t) => demoReadings('91141181MA0L000002', LINE, [], COMPLIES, t)[0].value);
    expect(other).not.toEqual(a);
    for (let i = 1; i < a.length; i++) expect(Math.abs(a[i] - a[i - 1])).toBeLessThan(0.08 * 4000);
    expect(new Set(a).size).toBeGreaterThan(a.length / 2);
  });

  it('a complying enterprise under STOP draws 2–5% of normal: every hour passes the STOP check', () => {
    const hours = hourly(LINE, [measure('STOP')], COMPLIES, 'POWER_KW');
    for (const h of hours) {
      expect(h.n).toBe(4);
      expect(h.avg!).toBeGreaterThanOrEqual(0.02 * 4000);
      expect(h.avg!).toBeLessThanOrEqual(0.05 * 4000);
      expect(stopPasses(h.avg!, 4000)).toBe(true);
    }
  });

  it('a complying enterprise under LIMIT_PERCENT p or STOP_SHARE s stays under (1 − p) of normal, with margin', () => {
    for (const p of [20, 30, 50]) {
      for (const m of [
        measure('LIMIT_PERCENT', { percent: p }),
        measure('STOP_SHARE', { share: p, unit: '生产线' }),
      ]) {
        for (const h of hourly(LINE, [m], COMPLIES, 'POWER_KW')) {
          expect(h.avg!).toBeLessThanOrEqual((1 - p / 100) * 0.95 * 4000 + 0.01);
          expect(h.avg!).toBeGreaterThanOrEqual((1 - p / 100) * 0.8 * 4000 - 0.01);
          expect(limitPasses(h.avg!, 4000, p)).toBe(true);
        }
      }
    }
  });

  it('the strictest measure on the line rules; measures on another line or without power do not touch it', () => {
    const both = hourly(
      LINE,
      [measure('LIMIT_PERCENT', { percent: 20 }), measure('STOP')],
      COMPLIES,
      'POWER_KW',
    );
    for (const h of both) expect(stopPasses(h.avg!, 4000)).toBe(true);
    // By the line's code as well as its name; null is every line.
    for (const line of ['L1', null])
      for (const h of hourly(LINE, [measure('STOP', {}, line)], COMPLIES, 'POWER_KW'))
        expect(stopPasses(h.avg!, 4000)).toBe(true);
    const elsewhere = hourly(
      LINE,
      [measure('STOP', {}, '2#焦炉'), measure('TRUCK_BAN_CN4', {}, null)],
      COMPLIES,
      'POWER_KW',
    );
    for (const h of elsewhere) expect(h.avg!).toBeGreaterThanOrEqual(0.75 * 4000);
  });

  it('a non-complier keeps a STOP line at about 90% for 3–6 whole hours from the order, then stops', () => {
    const hours = hourly(LINE, [measure('STOP')], BREAKS, 'POWER_KW');
    const failing = hours.filter((h) => !stopPasses(h.avg!, 4000)).map((h) => h.hour);
    expect(failing.length).toBeGreaterThanOrEqual(3);
    expect(failing.length).toBeLessThanOrEqual(6);
    expect(failing).toEqual(failing.map((_, i) => i)); // the first hours, one block
    for (const h of hours.filter((x) => failing.includes(x.hour))) {
      expect(h.avg!).toBeGreaterThanOrEqual(0.88 * 4000);
      expect(h.avg!).toBeLessThanOrEqual(0.92 * 4000);
    }
    // Its outlets, with no cap in force, stay at their usual levels.
    for (const h of hourly(STACK, [measure('STOP')], BREAKS, 'SO2'))
      expect(h.avg!).toBeLessThanOrEqual(0.7 * 30 + 0.01);
  });

  it('a non-complier under LIMIT_PERCENT 20 runs clear above what the limit allows (90% + 10%)', () => {
    const hours = hourly(LINE, [measure('LIMIT_PERCENT', { percent: 20 })], BREAKS, 'POWER_KW');
    const failing = hours.filter((h) => !limitPasses(h.avg!, 4000, 20));
    expect(failing.length).toBeGreaterThanOrEqual(3);
    for (const h of hours.slice(failing.length)) expect(limitPasses(h.avg!, 4000, 20)).toBe(true);
  });

  it('under a concentration cap, a complier stays under it; a non-complier exceeds it by 20–60% for 2–4 hours', () => {
    const caps = [
      measure('CONCENTRATION_CAP', { so2: 15, nox: 50, pm: 5 }),
      measure('STOP_SHARE', { share: 60 }),
    ];
    for (const [metric, cap] of [
      ['SO2', 15],
      ['NOX', 50],
      ['PM', 5],
    ] as const) {
      for (const h of hourly(STACK, caps, COMPLIES, metric)) expect(h.avg!).toBeLessThanOrEqual(cap);
      const hours = hourly(STACK, caps, BREAKS, metric);
      const over = hours.filter((h) => h.avg! > cap);
      expect(over.length).toBeGreaterThanOrEqual(2);
      expect(over.length).toBeLessThanOrEqual(4);
      for (const h of over) {
        expect(h.avg!).toBeGreaterThanOrEqual(1.2 * cap);
        expect(h.avg!).toBeLessThanOrEqual(1.6 * cap);
      }
      expect(over[0].hour).toBe(1);
    }
    // Its line obeys the power measure (the breach is the outlet's).
    for (const h of hourly(LINE, caps, BREAKS, 'POWER_KW')) expect(limitPasses(h.avg!, 4000, 60)).toBe(true);
  });

  it('a silent point sends nothing for 2–3 whole hours under an order; its other points and other times keep sending', () => {
    const silent: ComplianceProfile = { ...COMPLIES, silentPoint: 'L1' };
    const hours = hourly(LINE, [measure('STOP')], silent, 'POWER_KW');
    const missing = hours.filter((h) => h.n === 0).map((h) => h.hour);
    expect(missing.length).toBeGreaterThanOrEqual(2);
    expect(missing.length).toBeLessThanOrEqual(3);
    expect(missing[0]).toBeGreaterThanOrEqual(1);
    expect(missing[0]).toBeLessThanOrEqual(3);
    expect(hours.filter((h) => h.n !== 0 && h.n !== 4)).toEqual([]); // whole hours, no half-empty ones
    expect(hourly(STACK, [measure('STOP')], silent, 'SO2').every((h) => h.n === 4)).toBe(true);
    expect(hourly(LINE, [], silent, 'POWER_KW').every((h) => h.n === 4)).toBe(true);
  });

  it('about 1 in 8 demo enterprises do not comply and 1 in 15 have a silent point, fixed by the credit code', () => {
    const list = generateDemoList().enterprises;
    const profiles = list.map((e) =>
      complianceProfile(
        e.input.creditCode,
        e.points.map((p) => p.code),
      ),
    );
    const breakers = profiles.filter((p) => !p.complies).length;
    const silent = profiles.filter((p) => p.silentPoint).length;
    expect(breakers / list.length).toBeGreaterThan(1 / NON_COMPLIER_EVERY - 0.03);
    expect(breakers / list.length).toBeLessThan(1 / NON_COMPLIER_EVERY + 0.03);
    expect(silent / list.length).toBeGreaterThan(1 / SILENT_EVERY - 0.025);
    expect(silent / list.length).toBeLessThan(1 / SILENT_EVERY + 0.025);
    // A silent point is one of the enterprise's own; the draw is the same every time.
    const strays = list.filter(
      (e, i) => profiles[i].silentPoint && !e.points.some((p) => p.code === profiles[i].silentPoint),
    );
    expect(strays).toEqual([]);
    expect(
      list.map((e) =>
        complianceProfile(
          e.input.creditCode,
          e.points.map((p) => p.code),
        ),
      ),
    ).toEqual(profiles);
    // One enterprise with concentration caps breaks them, so a cap exceeded is there to be found.
    const capped = list.filter((e) => e.measures.some((m) => m.action === 'CONCENTRATION_CAP'));
    expect(
      capped.some(
        (e) =>
          !complianceProfile(
            e.input.creditCode,
            e.points.map((p) => p.code),
          ).complies,
      ),
    ).toBe(true);
  });
});

describe('measures in force', () => {
  const order = (effectiveAt: string, endsAt: string | null, measures: DemoOrder['measures']): DemoOrder => ({
    effectiveAt: new Date(effectiveAt),
    endsAt: endsAt ? new Date(endsAt) : null,
    measures,
  });
  const m = (action: MeasureInForce['action'], fromAt: string | null = null, toAt: string | null = null) => ({
    line: 'L1',
    action,
    params: {},
    fromAt,
    toAt,
  });

  it('takes the order in force at the time and the measures whose own window is open, with when they began', () => {
    const orders = [
      order('2026-12-01T12:00:00Z', '2026-12-02T00:00:00Z', [
        m('STOP', null, '2026-12-01T18:00:00Z'),
        m('STOP_SHARE', '2026-12-01T18:00:00Z'),
      ]),
      order('2026-12-02T00:00:00Z', null, [m('LIMIT_PERCENT')]),
    ];
    const at = (iso: string) =>
      measuresInForce(orders, new Date(iso)).map((x) => [x.action, x.since.toISOString()]);
    expect(at('2026-12-01T11:45:00Z')).toEqual([]);
    expect(at('2026-12-01T12:00:00Z')).toEqual([['STOP', '2026-12-01T12:00:00.000Z']]);
    expect(at('2026-12-01T18:00:00Z')).toEqual([['STOP_SHARE', '2026-12-01T18:00:00.000Z']]);
    expect(at('2026-12-02T00:00:00Z')).toEqual([['LIMIT_PERCENT', '2026-12-02T00:00:00.000Z']]);
    expect(at('2027-01-01T00:00:00Z')).toEqual([['LIMIT_PERCENT', '2026-12-02T00:00:00.000Z']]);
  });

  it('lists the quarter-hours of a span, its start rounded up and its end included', () => {
    expect(
      quarterHours(new Date('2026-12-01T10:05:00Z'), new Date('2026-12-01T10:45:00Z')).map((d) =>
        d.toISOString(),
      ),
    ).toEqual(['2026-12-01T10:15:00.000Z', '2026-12-01T10:30:00.000Z', '2026-12-01T10:45:00.000Z']);
  });
});
