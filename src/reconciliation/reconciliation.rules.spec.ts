import type { OrderMeasure } from '../orders/order.rules';
import {
  allowedPower,
  checksFor,
  contradictsReport,
  DEFAULT_TOLERANCES,
  findingsOf,
  type HourlyValue,
  type MeteredPoint,
  reviewProblems,
  tolerancesOf,
} from './reconciliation.rules';

const at = (s: string) => new Date(`2026-12-01T${s}:00+08:00`);
const measure = (m: Partial<OrderMeasure>): OrderMeasure => ({
  line: null,
  action: 'STOP',
  params: {},
  description: '',
  reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
  verification: 'POWER_SUBMETER',
  fromHour: null,
  toHour: null,
  fromAt: null,
  toAt: null,
  ...m,
});
const line = (code: string, normalPowerKw: number): MeteredPoint => ({
  id: `line-${code}`,
  kind: 'LINE_POWER',
  code,
  normalPowerKw,
  limits: {},
});
const outlet: MeteredPoint = {
  id: 'outlet-DA001',
  kind: 'OUTLET_CEMS',
  code: 'DA001',
  normalPowerKw: null,
  limits: { so2: 30, nox: 150 },
};
const noGrace = { ...DEFAULT_TOLERANCES, graceHours: 0 };

describe('tolerancesOf', () => {
  it('takes each tolerance the ruleset sets and the default for the rest', () => {
    expect(tolerancesOf({})).toEqual(DEFAULT_TOLERANCES);
    expect(tolerancesOf({ reconciliation: { stopMaxShare: 0.05 } })).toEqual({
      stopMaxShare: 0.05,
      limitTolerance: 0.1,
      capTolerance: 0,
      graceHours: 1,
      lateDataMinutes: 60,
    });
  });
});

describe('allowedPower', () => {
  it('lets a stopped line draw the standby share and a limited one (1 − p) of normal plus the tolerance', () => {
    expect(allowedPower('STOP', {}, 1000, DEFAULT_TOLERANCES)).toBeCloseTo(100);
    expect(allowedPower('LIMIT_PERCENT', { percent: 30 }, 1000, DEFAULT_TOLERANCES)).toBeCloseTo(800);
    expect(allowedPower('STOP_SHARE', { share: 50, unit: '炭化室' }, 1000, DEFAULT_TOLERANCES)).toBeCloseTo(
      600,
    );
    // A 5% limit with a 10% tolerance never allows more than normal.
    expect(allowedPower('LIMIT_PERCENT', { percent: 5 }, 1000, DEFAULT_TOLERANCES)).toBe(1000);
  });

  it('bounds nothing for a limit without a usable share', () => {
    expect(allowedPower('LIMIT_PERCENT', {}, 1000, DEFAULT_TOLERANCES)).toBeNull();
    expect(allowedPower('LIMIT_PERCENT', { percent: 0 }, 1000, DEFAULT_TOLERANCES)).toBeNull();
  });
});

describe('checksFor', () => {
  const order = (measures: OrderMeasure[], endAt: Date | null = null) => ({
    effectiveAt: at('08:20'),
    endAt,
    measures,
  });

  it('checks a STOP on a named line against that line only, over whole hours after the grace hour', () => {
    const { checks, unmetered } = checksFor(
      order([measure({ line: 'JL1' })]),
      [line('JL1', 1250), line('JL2', 800), outlet],
      DEFAULT_TOLERANCES,
      at('14:30'),
    );
    expect(unmetered).toBe(0);
    expect(checks).toEqual([
      {
        measureIndex: 0,
        action: 'STOP',
        pointId: 'line-JL1',
        metric: 'POWER_KW',
        allowed: 125,
        reference: 1250,
        // 08:20 → the first whole hour 09:00, plus one grace hour; until 14:30 → the last whole hour ends 14:00.
        from: at('10:00'),
        to: at('14:00'),
      },
    ]);
  });

  it('checks every line for a measure that names none, and ends at the order’s end or the measure’s', () => {
    const { checks } = checksFor(
      order(
        [measure({ action: 'LIMIT_PERCENT', params: { percent: 50 }, toAt: at('12:00').toISOString() })],
        at('11:40'),
      ),
      [line('JL1', 1000), line('JL2', 400)],
      noGrace,
      at('20:00'),
    );
    expect(checks.map((c) => [c.pointId, c.allowed, c.from, c.to])).toEqual([
      ['line-JL1', 600, at('09:00'), at('11:00')],
      ['line-JL2', 240, at('09:00'), at('11:00')],
    ]);
  });

  it('starts a measure that applies from a later hour at that hour', () => {
    const { checks } = checksFor(
      order([measure({ line: 'JL1', fromAt: at('12:00').toISOString() })]),
      [line('JL1', 1000)],
      noGrace,
      at('15:00'),
    );
    expect(checks.map((c) => [c.from, c.to])).toEqual([[at('12:00'), at('15:00')]]);
  });

  it('finds the line a measure names by its name, as plans may', () => {
    const { checks } = checksFor(
      {
        ...order([measure({ line: '1#焦炉' })]),
        lines: [
          { code: 'L1', name: '1#焦炉' },
          { code: 'L2', name: '2#焦炉' },
        ],
      },
      [line('L1', 1000), line('L2', 1000)],
      noGrace,
      at('11:00'),
    );
    expect(checks.map((c) => c.pointId)).toEqual(['line-L1']);
  });

  it('checks a concentration cap on every outlet that measures the pollutant, with the cap tolerance', () => {
    const dust: MeteredPoint = { ...outlet, id: 'outlet-DA002', code: 'DA002', limits: { pm: 10 } };
    const { checks } = checksFor(
      order([measure({ action: 'CONCENTRATION_CAP', params: { so2: 20, pm: 5 }, verification: 'CEMS' })]),
      [line('JL1', 1000), { ...outlet, limits: { so2: 30, nox: 150, pm: 10 } }, dust],
      { ...noGrace, capTolerance: 0.1 },
      at('11:00'),
    );
    expect(checks.map((c) => [c.pointId, c.metric, c.allowed, c.reference])).toEqual([
      ['outlet-DA001', 'SO2', 22, 20],
      ['outlet-DA001', 'PM', 5.5, 5],
      ['outlet-DA002', 'PM', 5.5, 5],
    ]);
    // An outlet that measures none of the capped pollutants cannot check the cap.
    const vocs = checksFor(
      order([measure({ action: 'CONCENTRATION_CAP', params: { vocs: 20 } })]),
      [outlet],
      noGrace,
      at('11:00'),
    );
    expect(vocs).toEqual({ checks: [], unmetered: 1 });
  });

  it('counts a checkable measure without a meter as unmetered, and skips what no meter measures', () => {
    const { checks, unmetered } = checksFor(
      order([
        measure({ line: 'JL9' }),
        measure({ action: 'CONCENTRATION_CAP', params: { nox: 100 } }),
        measure({ action: 'TRUCK_BAN_CN4', verification: 'GATE_CAMERA' }),
        measure({ action: 'EXTEND_COKING_HOURS', params: { hours: 48 } }),
      ]),
      [line('JL1', 1000)],
      noGrace,
      at('12:00'),
    );
    expect(checks).toEqual([]);
    expect(unmetered).toBe(2);
  });

  it('checks nothing before a whole hour has passed', () => {
    expect(checksFor(order([measure({})]), [line('JL1', 1000)], noGrace, at('08:59')).checks).toEqual([]);
  });
});

describe('findingsOf', () => {
  const hours = (entries: Array<[string, number, number?]>) =>
    new Map<number, HourlyValue>(
      entries.map(([h, avg, count]) => [at(h).getTime(), { avg, count: count ?? 4 }]),
    );
  const check = { from: at('10:00'), to: at('16:00'), allowed: 125 };

  it('finds nothing for a compliant line', () => {
    const hourly = hours([
      ['10:00', 40],
      ['11:00', 38],
      ['12:00', 125],
      ['13:00', 20],
      ['14:00', 30],
      ['15:00', 31],
    ]);
    expect(findingsOf(check, hourly, at('18:00'), DEFAULT_TOLERANCES)).toEqual({
      findings: [],
      hoursChecked: 6,
      hoursPassed: 6,
    });
  });

  it('groups consecutive failing hours into one finding with the peak and the mean', () => {
    const hourly = hours([
      ['10:00', 1200],
      ['11:00', 1180],
      ['12:00', 1220],
      ['13:00', 60],
      ['14:00', 900],
      ['15:00', 50],
    ]);
    const { findings, hoursChecked, hoursPassed } = findingsOf(
      check,
      hourly,
      at('18:00'),
      DEFAULT_TOLERANCES,
    );
    expect(findings).toEqual([
      {
        kind: 'EXCEEDED',
        from: at('10:00'),
        to: at('13:00'),
        hours: 3,
        observedMax: 1220,
        observedAvg: 1200,
      },
      { kind: 'EXCEEDED', from: at('14:00'), to: at('15:00'), hours: 1, observedMax: 900, observedAvg: 900 },
    ]);
    expect([hoursChecked, hoursPassed]).toEqual([6, 2]);
  });

  it('makes hours without readings a finding of their own, not a pass', () => {
    const hourly = hours([
      ['10:00', 40],
      ['11:00', 0, 0],
      ['14:00', 2000],
      ['15:00', 40],
    ]);
    expect(findingsOf(check, hourly, at('18:00'), DEFAULT_TOLERANCES).findings).toEqual([
      {
        kind: 'MISSING_DATA',
        from: at('11:00'),
        to: at('14:00'),
        hours: 3,
        observedMax: null,
        observedAvg: null,
      },
      {
        kind: 'EXCEEDED',
        from: at('14:00'),
        to: at('15:00'),
        hours: 1,
        observedMax: 2000,
        observedAvg: 2000,
      },
    ]);
  });

  it('does not judge an hour without readings until the late-data minutes have passed after it', () => {
    const hourly = hours([
      ['10:00', 40],
      ['11:00', 40],
      ['12:00', 40],
      ['13:00', 40],
    ]);
    // At 16:30 with 60 late minutes: 14:00–15:00 ended 90 minutes ago (missing), 15:00–16:00 only 30 (not judged).
    const { findings, hoursChecked } = findingsOf(check, hourly, at('16:30'), DEFAULT_TOLERANCES);
    expect(findings).toEqual([
      {
        kind: 'MISSING_DATA',
        from: at('14:00'),
        to: at('15:00'),
        hours: 1,
        observedMax: null,
        observedAvg: null,
      },
    ]);
    expect(hoursChecked).toBe(5);
  });
});

describe('contradictsReport', () => {
  it('flags a finding still failing after the enterprise reported its measures in place', () => {
    const finding = { to: at('13:00') };
    expect(contradictsReport(finding, at('11:00'))).toBe(true);
    expect(contradictsReport(finding, at('13:00'))).toBe(false);
    expect(contradictsReport(finding, null)).toBe(false);
  });
});

describe('reviewProblems', () => {
  it('asks for the reason when a discrepancy is explained away, and bounds the note', () => {
    expect(reviewProblems('CONFIRMED', null)).toEqual([]);
    expect(reviewProblems('EXPLAINED', null)).toEqual([
      { field: 'note', message: '说明:认定为非违规时须写明原因' },
    ]);
    expect(reviewProblems('EXPLAINED', '分表故障,已报修')).toEqual([]);
    expect(reviewProblems('CONFIRMED', '字'.repeat(1001))[0].field).toBe('note');
  });
});
