import type { AlertView } from '../alerts/alert-views.service';
import type { RulesetDefinition } from '../rulesets/ruleset.types';
import {
  adequacyBars,
  partyGroups,
  aqiThresholds,
  countyLevels,
  forecastChart,
  orderProgress,
  upcomingEvents,
} from './console-view.rules';

describe('console view models', () => {
  const apart = () => ({ total: 0, byDelivery: {} });
  it('counts receipts and reports of the orders in force and gives percentages of the total', () => {
    const p = orderProgress({
      total: 8,
      byState: { SENT: 3, RECEIVED: 2, EXECUTED: 1, OVERDUE: 2 },
      byDelivery: { SENT: 6, FAILED: 1, QUEUED: 1 },
      received: 3,
      executed: 1,
      noEmail: 0,
      noPlan: 0,
      scheduled: apart(),
      endNotices: { total: 8, byDelivery: { SENT: 8 } },
    });
    expect(p).toMatchObject({ total: 8, sent: 6, received: 3, executed: 1, overdue: 2, failed: 1 });
    expect(p.pct).toEqual({ sent: 75, received: 37.5, executed: 12.5, overdue: 25, failed: 12.5 });
    const empty = { total: 0, byState: {}, byDelivery: {}, received: 0, executed: 0, noEmail: 0, noPlan: 0 };
    expect(orderProgress({ ...empty, scheduled: apart(), endNotices: apart() }).pct.sent).toBe(0);
  });

  it('keeps the receipts of lifted orders: a lifted warning can show 100%', () => {
    const p = orderProgress({
      total: 2,
      byState: { LIFTED: 2 },
      byDelivery: { SENT: 2 },
      received: 2,
      executed: 2,
      noEmail: 0,
      noPlan: 0,
      scheduled: apart(),
      endNotices: { total: 2, byDelivery: { SENT: 2 } },
    });
    expect(p.pct).toMatchObject({ sent: 100, received: 100, executed: 100 });
  });

  it('shows the highest active level per county and an upcoming one separately', () => {
    const cells = countyLevels(
      [
        { code: '1', name: '甲' },
        { code: '2', name: '乙' },
        { code: '3', name: '丙' },
      ],
      [
        { id: 'a', code: 'W1', status: 'ACTIVE', level: 'YELLOW', countyCodes: ['1', '2'] },
        { id: 'b', code: 'W2', status: 'ACTIVE', level: 'ORANGE', countyCodes: ['2'] },
        { id: 'c', code: 'W3', status: 'ISSUED', level: 'RED', countyCodes: ['3'] },
        { id: 'd', code: 'W4', status: 'LIFTED', level: 'RED', countyCodes: ['1'] },
      ],
    );
    expect(cells.map((c) => [c.code, c.level, c.alertCode, c.upcoming])).toEqual([
      ['1', 'YELLOW', 'W1', null],
      ['2', 'ORANGE', 'W2', null],
      ['3', null, null, 'RED'],
    ]);
  });

  it('lists what happens next, soonest first, dropping what is long past', () => {
    const now = new Date('2026-11-28T08:00:00Z');
    const alert = (over: Partial<AlertView>) =>
      ({
        id: 'x',
        code: 'W',
        status: 'ACTIVE',
        pendingChange: null,
        expectedEndAt: null,
        effectiveAt: now,
        ...over,
      }) as AlertView;
    const events = upcomingEvents(
      [
        alert({ code: 'A', status: 'ISSUED', effectiveAt: new Date('2026-11-29T00:00:00Z') }),
        alert({ code: 'B', expectedEndAt: new Date('2026-11-28T12:00:00Z') }),
        alert({ code: 'C', expectedEndAt: new Date('2026-11-27T00:00:00Z') }),
      ],
      now,
    );
    expect(events.map((e) => [e.alertCode, e.text])).toEqual([
      ['B', '预计结束'],
      ['A', '预警生效'],
    ]);
  });

  it('takes the AQI thresholds from the ruleset with the lowest level each starts', () => {
    const def = {
      levelRules: [
        {
          level: 'YELLOW',
          description: '',
          anyOf: [{ allOf: [{ comparison: 'gt', aqi: 200, days: 2, consecutive: true }] }],
        },
        {
          level: 'ORANGE',
          description: '',
          anyOf: [
            {
              allOf: [
                { comparison: 'gt', aqi: 200, days: 3, consecutive: true },
                { comparison: 'gt', aqi: 300, days: 1, consecutive: false },
              ],
            },
          ],
        },
      ],
    } as unknown as RulesetDefinition;
    expect(aqiThresholds(def)).toEqual([
      { aqi: 200, level: 'YELLOW' },
      { aqi: 300, level: 'ORANGE' },
    ]);
  });

  it('places forecast points on the chart: higher AQI higher up, days left to right', () => {
    const chart = forecastChart(
      [
        { countyCode: '1', date: '2026-11-30', aqi: 250 },
        { countyCode: '1', date: '2026-11-29', aqi: 120 },
      ],
      { '1': '甲' },
      [{ aqi: 200, level: 'YELLOW' }],
    );
    const [s] = chart.series;
    expect(s.name).toBe('甲');
    expect(s.dots[0].x).toBeLessThan(s.dots[1].x);
    expect(s.dots[1].y).toBeLessThan(s.dots[0].y);
    expect(chart.thresholds[0].y).toBeLessThan(s.dots[0].y);
    expect(chart.thresholds[0].y).toBeGreaterThan(s.dots[1].y);
  });
});

describe('adequacyBars', () => {
  it('scales bars so the required mark and the reached ratio both fit', () => {
    const [so2, nox] = adequacyBars({
      so2: { ratio: 0.2, required: 0.3, ok: false },
      nox: { ratio: 0.9, required: 0.3, ok: true },
    });
    expect(so2).toMatchObject({ pollutant: 'SO₂', barWidth: 40, markLeft: 60, ok: false });
    expect(nox.barWidth).toBe(100);
    expect(nox.markLeft).toBeCloseTo(33.3, 1);
  });
});

describe('partyGroups', () => {
  it('groups the notices by the revision that sent them, in order, counting who confirmed', () => {
    const rows = [
      { revisionId: 'r1', revisionSeq: 1, state: 'RECEIVED', kind: 'ISSUE' },
      { revisionId: 'r1', revisionSeq: 1, state: 'SENT', kind: 'ISSUE' },
      { revisionId: 'r2', revisionSeq: 2, state: 'PENDING', kind: 'LIFT' },
      { revisionId: null, revisionSeq: null, state: 'RECEIVED', kind: 'EXPIRE' },
    ];
    const groups = partyGroups(rows, (r) => r.kind);
    expect(groups.map((g) => [g.seq, g.kindName, g.received, g.total, g.rows.length])).toEqual([
      [1, 'ISSUE', 1, 2, 2],
      [2, 'LIFT', 0, 1, 1],
      [null, 'EXPIRE', 1, 1, 1],
    ]);
  });
});
