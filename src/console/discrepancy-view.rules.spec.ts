import type { DiscrepancyView } from '../reconciliation/discrepancies.service';
import {
  durationText,
  filterOptions,
  queueFilters,
  queueQuery,
  queueQueryString,
  queueRow,
  reconciliationRows,
  spanText,
  valueText,
} from './discrepancy-view.rules';

const ALERT = '3f2b8c1e-5d4a-4b6f-9e7d-1a2b3c4d5e6f';

describe('the discrepancy queue’s filters', () => {
  it('keeps the known filters from the URL and drops anything else', () => {
    expect(
      queueFilters({
        alert: ALERT,
        county: '141126',
        kind: 'EXCEEDED',
        flagged: 'true',
        reviewed: 'false',
        page: '3',
        other: 'x',
      }),
    ).toEqual({
      alert: ALERT,
      county: '141126',
      kind: 'EXCEEDED',
      flagged: 'true',
      reviewed: 'false',
      page: 3,
    });
    expect(
      queueFilters({ alert: 'not-an-id', county: '石楼', kind: 'WRONG', flagged: 'yes', page: '0' }),
    ).toEqual({ page: 1 });
    expect(queueFilters({ page: '-2' }).page).toBe(1);
    expect(queueFilters({ kind: ['MISSING_DATA', 'EXCEEDED'] }).kind).toBe('MISSING_DATA');
  });

  it('writes them back as a query string without empty ones or page 1, for links and the review’s return', () => {
    const f = queueFilters({ alert: ALERT, kind: 'MISSING_DATA', page: '2' });
    expect(queueQueryString(f)).toBe(`alert=${ALERT}&kind=MISSING_DATA&page=2`);
    expect(queueQueryString(f, 1)).toBe(`alert=${ALERT}&kind=MISSING_DATA`);
    expect(queueQueryString({ page: 1 })).toBe('');
  });

  it('asks the service for 50 a page, the flags as booleans', () => {
    expect(queueQuery(queueFilters({ flagged: 'false', reviewed: 'true', page: '2' }))).toEqual({
      alert: undefined,
      county: undefined,
      kind: undefined,
      flagged: false,
      reviewed: true,
      page: 2,
      pageSize: 50,
    });
  });

  it('marks the chosen options', () => {
    const o = filterOptions(queueFilters({ kind: 'EXCEEDED', reviewed: 'false' }));
    expect(o.kinds.map((k) => [k.name, k.selected])).toEqual([
      ['超出指令允许值', true],
      ['数据缺失', false],
    ]);
    expect(o.reviewed.filter((r) => r.selected).map((r) => r.name)).toEqual(['待核实']);
    expect(o.flagged.some((r) => r.selected)).toBe(false);
    expect(o.outcomes.map((r) => r.code)).toEqual(['CONFIRMED', 'EXPLAINED']);
  });
});

describe('times and values on the pages', () => {
  it('shows a finding’s hours in Beijing time', () => {
    expect(spanText('2026-12-01T03:00:00Z', '2026-12-01T08:00:00Z')).toBe('12月1日 11:00–16:00');
    expect(spanText(new Date('2026-12-01T12:00:00Z'), new Date('2026-12-01T16:00:00Z'))).toBe(
      '12月1日 20:00–24:00',
    );
    expect(spanText('2026-12-01T14:00:00Z', '2026-12-01T19:00:00Z')).toBe('12月1日 22:00–12月2日 03:00');
    expect(spanText('2026-11-30T14:00:00Z', '2026-12-01T16:00:00Z')).toBe('11月30日 22:00–12月2日 00:00');
  });

  it('gives values their unit and at most one decimal', () => {
    expect(valueText(990, 'POWER_KW')).toBe('990 kW');
    expect(valueText(45.26, 'SO2')).toBe('45.3 mg/m³');
    expect(valueText(null, 'NOX')).toBe('—');
    expect(durationText(350.4)).toBe('350 毫秒');
    expect(durationText(2430)).toBe('2.4 秒');
    expect(durationText(null)).toBe('—');
  });
});

describe('a queue row', () => {
  const base: DiscrepancyView = {
    id: 'd1',
    alertId: ALERT,
    alertCode: '2026-003',
    orderId: 'o1',
    enterpriseId: 'e1',
    enterpriseName: '石楼核查停产焦化有限公司',
    countyCode: '141126',
    countyName: '石楼县',
    pointId: 'p1',
    pointCode: 'JL1',
    pointName: '1号焦炉',
    pointKind: 'LINE_POWER',
    measureIndex: 0,
    action: 'STOP',
    actionName: '停产',
    metric: 'POWER_KW',
    metricName: '用电功率(kW)',
    kind: 'EXCEEDED',
    kindName: '超出指令允许值',
    fromAt: new Date('2026-12-01T03:00:00Z'),
    toAt: new Date('2026-12-01T08:00:00Z'),
    hours: 5,
    allowed: 100,
    reference: 1000,
    observedMax: 1000,
    observedAvg: 995.5,
    selfReported: true,
    firstFoundAt: new Date('2026-12-01T09:00:00Z'),
    computedAt: new Date('2026-12-01T09:00:00Z'),
    review: null,
  };

  it('shows the point, the hours, the allowance and what was measured; the form only to a reviewer, once', () => {
    const row = queueRow(base, true);
    expect(row).toMatchObject({
      pointLabel: 'JL1 1号焦炉',
      span: '12月1日 11:00–16:00',
      allowedText: '≤ 100 kW',
      observed: { max: '1000 kW', avg: '995.5 kW' },
      reviewable: true,
    });
    expect(queueRow(base, false).reviewable).toBe(false);
    const reviewed = {
      ...base,
      review: {
        outcome: 'CONFIRMED' as const,
        outcomeName: '属实(未落实措施)',
        note: null,
        reviewedBy: 'shilou',
        reviewedAt: new Date(),
      },
    };
    expect(queueRow(reviewed, true).reviewable).toBe(false);
  });

  it('shows no measurement for missing data, and the code alone for an unnamed point', () => {
    const row = queueRow(
      { ...base, kind: 'MISSING_DATA', observedMax: null, observedAvg: null, pointName: null },
      true,
    );
    expect(row.observed).toBeNull();
    expect(row.pointLabel).toBe('JL1');
  });
});

describe('the warning page’s 监测核查 table', () => {
  const counts = (n: number) => ({
    orders: n,
    checks: n,
    unmetered: 1,
    hoursChecked: 10 * n,
    hoursPassed: 10 * n - 2,
    exceeded: n,
    missing: 1,
    flagged: 0,
  });
  it('has a row per county with the failed hours, and a total when there are several', () => {
    const one = reconciliationRows({ ...counts(2), byCounty: [{ countyName: '石楼县', ...counts(2) }] });
    expect(one.counties).toEqual([
      {
        name: '石楼县',
        orders: 2,
        checks: 2,
        unmetered: 1,
        hoursChecked: 20,
        hoursFailed: 2,
        exceeded: 2,
        missing: 1,
        flagged: 0,
      },
    ]);
    expect(one.total).toBeNull();
    const two = reconciliationRows({
      ...counts(5),
      byCounty: [
        { countyName: '孝义市', ...counts(3) },
        { countyName: '石楼县', ...counts(2) },
      ],
    });
    expect(two.counties.map((c) => c.name)).toEqual(['孝义市', '石楼县']);
    expect(two.total).toMatchObject({ name: '合计', orders: 5, exceeded: 5 });
  });
});
