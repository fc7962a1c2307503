import { POLLUTANTS } from '../rulesets/ruleset.types';
import { revisionTiming } from './timing.rules';
import {
  achievedReduction,
  type Assessment,
  assessmentCsvRows,
  byCounty,
  byGrade,
  byIndustry,
  answeredOrders,
  groupStats,
  onTimeSql,
  type OutcomeTally,
  partyReceiptStats,
  rate,
  responseStats,
  scopeInventory,
  silentEnterprises,
} from './assessment.rules';

const at = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00+08:00`);

/** One enterprise (n = 1) with one order that nobody answered, in 孝义市, grade B, coking; `over` changes it. */
function tally(over: Partial<OutcomeTally> = {}): OutcomeTally {
  return {
    countyCode: '141181',
    countyName: '孝义市',
    countySort: 12,
    grade: 'B',
    gradeName: 'B级',
    gradeSort: 2,
    industryCode: 'COKING',
    industryName: '焦化',
    industrySort: 4,
    orders: 1,
    received: 0,
    receivedOnTime: 0,
    executed: 0,
    executedOnTime: 0,
    answered: 0,
    n: 1,
    ...over,
  };
}

const FENYANG = { countyCode: '141182', countyName: '汾阳市', countySort: 13 };
const onTimeAndDone = { received: 1, receivedOnTime: 1, executed: 1, executedOnTime: 1, answered: 1 };

/** On time, late, received only, never; two counties, three grades, two industries. */
const rows: OutcomeTally[] = [
  tally(onTimeAndDone),
  tally({ grade: 'C', gradeName: 'C级', gradeSort: 4, received: 1, executed: 1, answered: 1 }),
  tally({
    ...FENYANG,
    grade: 'A',
    gradeName: 'A级',
    gradeSort: 1,
    received: 1,
    receivedOnTime: 1,
    answered: 1,
  }),
  tally({ ...FENYANG, industryCode: 'CASTING', industryName: '铸造', industrySort: 15 }),
];

describe('onTimeSql and rate', () => {
  it('counts a deadline met (inclusive) and a done order without a deadline as on time, in SQL', () => {
    expect(onTimeSql('o.received_at', 'o.receipt_due_at')).toBe(
      '(o.received_at IS NOT NULL AND (o.receipt_due_at IS NULL OR o.received_at <= o.receipt_due_at))',
    );
  });

  it('rounds shares to 4 decimals and has none without orders', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(3, 3)).toBe(1);
    expect(rate(0, 0)).toBeNull();
  });
});

describe('responseStats', () => {
  it('counts received, executed and on time over every order', () => {
    expect(responseStats(rows)).toEqual({
      orders: 4,
      enterprises: 4,
      received: 3,
      receivedOnTime: 2,
      executed: 2,
      executedOnTime: 1,
      rates: { received: 0.75, receivedOnTime: 0.5, executed: 0.5, executedOnTime: 0.25 },
    });
  });

  it('counts an enterprise once however many orders it had (upgrade: a second order)', () => {
    const upgraded = [...rows.slice(1), tally({ ...onTimeAndDone, orders: 2, received: 2, answered: 2 })];
    expect(responseStats(upgraded)).toMatchObject({ orders: 5, enterprises: 4, received: 4 });
  });

  it('weighs a tally by its enterprises: 3 alike count as 3 enterprises and 3 × their orders', () => {
    expect(responseStats([tally({ n: 3, orders: 2, received: 1, answered: 1 })])).toMatchObject({
      orders: 6,
      enterprises: 3,
      received: 3,
      rates: { received: 0.5 },
    });
  });

  it('is all zero and null rates without orders', () => {
    expect(responseStats([])).toEqual({
      orders: 0,
      enterprises: 0,
      received: 0,
      receivedOnTime: 0,
      executed: 0,
      executedOnTime: 0,
      rates: { received: null, receivedOnTime: null, executed: null, executedOnTime: null },
    });
  });
});

describe('groupStats', () => {
  it('groups by county, grade and industry in display order', () => {
    expect(groupStats(rows, byCounty).map((g) => [g.code, g.name, g.orders, g.rates.receivedOnTime])).toEqual(
      [
        ['141181', '孝义市', 2, 0.5],
        ['141182', '汾阳市', 2, 0.5],
      ],
    );
    expect(groupStats(rows, byGrade).map((g) => [g.code, g.orders, g.executed])).toEqual([
      ['A', 1, 0],
      ['B', 2, 1],
      ['C', 1, 1],
    ]);
    expect(groupStats(rows, byIndustry)).toEqual([
      {
        code: 'COKING',
        name: '焦化',
        orders: 3,
        enterprises: 3,
        received: 3,
        receivedOnTime: 2,
        executed: 2,
        executedOnTime: 1,
        rates: { received: 1, receivedOnTime: 0.6667, executed: 0.6667, executedOnTime: 0.3333 },
      },
      expect.objectContaining({ code: 'CASTING', orders: 1, received: 0 }),
    ]);
  });
});

describe('silentEnterprises and answeredOrders', () => {
  it('counts the enterprises none of whose orders was answered, and the answered orders', () => {
    const more = [
      ...rows,
      tally({ n: 5 }),
      // answered its first order, not the upgrade's: it did respond
      tally({ orders: 2, received: 1, answered: 1 }),
    ];
    expect(silentEnterprises(more)).toBe(1 + 5);
    expect(answeredOrders(more)).toBe(3 + 1);
    expect(silentEnterprises([])).toBe(0);
  });
});

describe('partyReceiptStats', () => {
  it('counts notices, receipts and receipts by the deadline', () => {
    const due = new Date('2026-11-28T12:00:00Z');
    const p = (receivedAt: string | null) => ({
      revisionSeq: 1,
      noticeKind: 'ISSUE',
      partyKind: 'COUNTY' as const,
      partyName: 'x',
      receiptDueAt: due,
      receivedAt: receivedAt ? new Date(receivedAt) : null,
      signer: null,
    });
    expect(partyReceiptStats([p('2026-11-28T12:00:00Z'), p('2026-11-28T12:00:01Z'), p(null)])).toEqual({
      notices: 3,
      received: 2,
      receivedOnTime: 1,
    });
  });
});

describe('scopeInventory', () => {
  it('sums the counties of the warning', () => {
    expect(
      scopeInventory(
        [
          { areaCode: '141181', so2: 100, nox: 200, pm: 50, vocs: 20 },
          { areaCode: '141182', so2: 50, nox: 100, pm: 50, vocs: 5 },
          { areaCode: '141102', so2: 999, nox: 999, pm: 999, vocs: 999 },
        ],
        ['141181', '141182'],
      ),
    ).toEqual({ inventory: { so2: 150, nox: 300, pm: 100, vocs: 25 }, missing: [] });
  });

  it('leaves the baseline unknown rather than understated when a county has no inventory', () => {
    expect(
      scopeInventory([{ areaCode: '141181', so2: 1, nox: 1, pm: 1, vocs: 1 }], ['141181', '141126']),
    ).toEqual({ inventory: null, missing: ['141126'] });
  });
});

describe('achievedReduction', () => {
  it('compares what executed orders took off with the inventory and the required ratio, per level', () => {
    const [orange, red] = achievedReduction({
      levels: ['ORANGE', 'RED'],
      ratios: { YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 },
      inventory: { so2: 150, nox: 300, pm: 100, vocs: 25 },
      executed: { ORANGE: { enterprises: 2, reduction: { so2: 15, nox: 30, pm: 5.0000001, vocs: 5 } } },
    });
    expect(orange).toMatchObject({
      level: 'ORANGE',
      levelName: '橙色',
      required: 0.2,
      enterprises: 2,
      ok: false,
    });
    expect(orange.pollutants.so2).toEqual({
      baseline: 150,
      reduction: 15,
      ratio: 0.1,
      required: 0.2,
      ok: false,
    });
    expect(orange.pollutants.pm).toEqual({
      baseline: 100,
      reduction: 5,
      ratio: 0.05,
      required: 0.2,
      ok: false,
    });
    expect(orange.pollutants.vocs).toEqual({
      baseline: 25,
      reduction: 5,
      ratio: 0.2,
      required: 0.2,
      ok: true,
    });
    expect(red).toMatchObject({ level: 'RED', enterprises: 0, ok: false });
    expect(red.pollutants.nox).toEqual({ baseline: 300, reduction: 0, ratio: 0, required: 0.3, ok: false });
  });

  it('holds each pollutant to its own share under a per-pollutant ratio', () => {
    const [yellow] = achievedReduction({
      levels: ['YELLOW'],
      ratios: { YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 } },
      inventory: { so2: 100, nox: 100, pm: 100, vocs: 100 },
      executed: { YELLOW: { enterprises: 1, reduction: { so2: 10, nox: 10, pm: 20, vocs: 10 } } },
    });
    expect(yellow.required).toEqual({ so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 });
    expect(POLLUTANTS.map((p) => [yellow.pollutants[p].required, yellow.pollutants[p].ok])).toEqual([
      [0.1, true],
      [0.1, true],
      [0.25, false],
      [0.1, true],
    ]);
    expect(yellow.ok).toBe(false);
  });

  it('has no ratio without a baseline', () => {
    const [level] = achievedReduction({
      levels: ['YELLOW'],
      ratios: { YELLOW: 0.1 },
      inventory: null,
      executed: { YELLOW: { enterprises: 1, reduction: { so2: 1, nox: 1, pm: 1, vocs: 1 } } },
    });
    expect(level.ok).toBeNull();
    expect(level.pollutants.so2).toMatchObject({ baseline: 0, reduction: 1, ratio: null, ok: null });
  });
});

describe('assessmentCsvRows', () => {
  const assessment: Assessment = {
    alert: {
      id: 'x',
      code: '2026-007',
      status: 'LIFTED',
      level: 'ORANGE',
      countyCodes: ['141181'],
      effectiveAt: at('20:00'),
      liftedAt: null,
      rulesetId: 'MEE-2024',
    },
    generatedAt: new Date('2026-11-30T00:00:00Z'),
    basis: '说明',
    totals: responseStats(rows),
    byCounty: groupStats(rows, byCounty),
    byGrade: groupStats(rows, byGrade),
    byIndustry: groupStats(rows, byIndustry),
    neverResponded: [{ id: 'd', name: '=HYPERLINK("http://x")', creditCode: 'CCd', countyCode: '141182' }],
    neverRespondedTotal: 1,
    acknowledgements: [
      {
        enterpriseId: 'a',
        enterpriseName: '甲焦化',
        countyCode: '141181',
        countyName: '孝义市',
        receivedAt: new Date('2026-11-28T03:00:00Z'),
        receivedBy: { name: '王五', phone: '13900000000' },
        executedAt: null,
        reportedBy: null,
      },
    ],
    acknowledgementsTotal: 1,
    listLimit: null,
    parties: {
      stats: { notices: 1, received: 1, receivedOnTime: 1 },
      notices: [
        {
          revisionSeq: 1,
          noticeKind: 'ISSUE',
          partyKind: 'COUNTY',
          partyName: '吕梁市生态环境局孝义市分局',
          receiptDueAt: new Date('2026-11-28T12:00:00Z'),
          receivedAt: new Date('2026-11-28T03:00:00Z'),
          signer: { name: '王建国', phone: '0358-3221234' },
        },
      ],
    },
    failedDeliveries: [
      {
        messageId: 'm1',
        kind: 'ORDER_ISSUED',
        enterpriseId: 'd',
        enterpriseName: '+丁铸造',
        creditCode: 'CCd',
        countyCode: '141182',
        recipients: ['d@test.example'],
        attempts: 1,
        lastError: '550 mailbox unavailable',
        failedAt: new Date('2026-11-28T02:00:00Z'),
      },
    ],
    followUps: {
      total: 3,
      byKind: { PHONE_CALL: 2, VISIT: 1, NOTE: 0 },
      byCounty: [{ code: '141181', name: '孝义市', count: 3 }],
    },
    verification: {
      selfReported: 1,
      inspected: 1,
      compliant: 0,
      violation: 1,
      reportedButViolating: 1,
      metered: 2,
      meterExceeded: 1,
      meterMissing: 0,
      reportedButMeterExceeded: 1,
    },
    reduction: { basis: '', countyCodes: ['141181'], inventoryMissing: [], levels: [] },
    timing: {
      basis: '',
      limits: { draftToApprovalHours: 2, approvalToReleaseHours: 2 },
      revisions: [
        {
          ...revisionTiming(
            {
              revisionId: 'r1',
              seq: 1,
              kind: 'ISSUE',
              proposedAt: at('10:00'),
              decidedAt: at('13:00'),
              notices: 4,
              unsent: 0,
              lastSentAt: at('13:30'),
            },
            { draftToApprovalHours: 2, approvalToReleaseHours: 2 },
            at('20:00'),
          ),
          kindName: '发布',
        },
      ],
    },
  };

  it('counts the follow-ups per county, by kind and in all', () => {
    const csv = assessmentCsvRows(assessment);
    const start = csv.findIndex((r) => r[0] === '【跟进记录】');
    expect(csv.slice(start + 1, start + 7)).toEqual([
      ['区县代码', '区县', '跟进次数'],
      ['141181', '孝义市', '3'],
      ['', '合计·电话', '2'],
      ['', '合计·现场检查', '1'],
      ['', '合计·备注', '0'],
      ['', '合计', '3'],
    ]);
  });

  it('puts verified compliance beside the self-reported (issue 17)', () => {
    const csv = assessmentCsvRows(assessment);
    const start = csv.findIndex((r) => r[0] === '【现场核查】');
    expect(csv.slice(start + 1, start + 3)).toEqual([
      [
        '企业自报落实',
        '现场检查',
        '措施落实',
        '存在违规',
        '自报落实但检查违规',
        '接入计量',
        '监测超出指令',
        '监测数据缺失',
        '自报落实但监测超出',
      ],
      ['1', '1', '0', '1', '1', '2', '1', '0', '1'],
    ]);
  });

  it('writes one titled table per part, with the same numbers as the JSON', () => {
    const csv = assessmentCsvRows(assessment);
    const titles = csv.filter((r) => r.length === 1 && r[0].startsWith('【')).map((r) => r[0]);
    expect(titles).toEqual([
      '【合计】',
      '【按区县】',
      '【按绩效等级】',
      '【按行业】',
      '【未签收也未报告的企业】',
      '【签收与落实报告】',
      '【县级分局和市直部门签收】',
      '【发送失败的通知】',
      '【跟进记录】',
      '【现场核查】',
      '【审批与发布时限】',
      '【减排量(已落实指令)】',
    ]);
    expect(csv).toContainEqual([
      '1',
      '发布',
      '2026-11-28T10:00:00+08:00',
      '2026-11-28T13:00:00+08:00',
      '3',
      '2',
      '超时',
      '2026-11-28T13:30:00+08:00',
      '0.5',
      '2',
      '按时',
      '4',
      '0',
    ]);
    // Times in Beijing time with +08:00, like every export.
    expect(csv[0]).toEqual(['预警 2026-007 总结评估', '2026-11-30T08:00:00+08:00']);
    expect(csv).toContainEqual(['', '合计', '4', '4', '3', '2', '2', '1', '0.75', '0.5', '0.5', '0.25']);
    expect(csv).toContainEqual(['141182', '汾阳市', '2', '2', '1', '1', '0', '0', '0.5', '0.5', '0', '0']);
    expect(csv).toContainEqual([
      'a',
      '甲焦化',
      '孝义市',
      '2026-11-28T11:00:00+08:00',
      '王五',
      '13900000000',
      '',
      '',
      '',
    ]);
  });

  it('escapes text a spreadsheet would run as a formula', () => {
    const cells = assessmentCsvRows(assessment).flat();
    expect(cells).toContain('\'=HYPERLINK("http://x")');
    expect(cells).toContain("'+丁铸造");
    expect(cells.some((c) => /^[=+@]/.test(c))).toBe(false);
  });
});
