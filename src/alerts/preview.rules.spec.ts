import { assessAdequacy, assessScope } from '../enterprises/adequacy.rules';
import type { OrderMeasureLike } from '../campaigns/campaign.rules';
import {
  campaignMergePreview,
  capProblems,
  inventoryMissingNames,
  mergeCounts,
  reductionRows,
  reductionShortfalls,
  withCountyReduction,
  type ReductionRow,
  type ScopeCountRow,
} from './preview.rules';

const counties = [
  { code: '141181', name: '孝义市' },
  { code: '141182', name: '汾阳市' },
  { code: '141102', name: '离石区' },
];
const row = (
  countyCode: string,
  grade: string,
  noticeType: string,
  problem: ScopeCountRow['problem'],
  n: number,
): ScopeCountRow => ({ countyCode, grade, noticeType, problem, n });

describe('mergeCounts', () => {
  const rows = [
    row('141181', 'C', 'MANDATORY', null, 5),
    row('141181', 'C', 'MANDATORY', 'NO_PLAN', 2),
    row('141181', 'A', 'VOLUNTARY', null, 3),
    row('141181', 'A', 'VOLUNTARY', 'NO_EMAIL', 1),
    row('141182', 'B', 'PROTECTED', null, 1),
    row('141182', 'A_PLUS', 'PROTECTED', 'NO_EMAIL', 1), // protected wins over the voluntary grade
  ];

  it('adds up totals, counties and grades from the grouped counts', () => {
    const { totals, byCounty, byGrade } = mergeCounts(rows, counties, { createsOrders: true });
    expect(totals).toEqual({ inScope: 13, orders: 13, voluntary: 4, protected: 2, noPlan: 2, noEmail: 2 });
    expect(byCounty).toEqual([
      {
        countyCode: '141181',
        countyName: '孝义市',
        inScope: 11,
        voluntary: 4,
        protected: 0,
        noPlan: 2,
        noEmail: 1,
      },
      {
        countyCode: '141182',
        countyName: '汾阳市',
        inScope: 2,
        voluntary: 0,
        protected: 2,
        noPlan: 0,
        noEmail: 1,
      },
      {
        countyCode: '141102',
        countyName: '离石区',
        inScope: 0,
        voluntary: 0,
        protected: 0,
        noPlan: 0,
        noEmail: 0,
      },
    ]);
    // Grade order, only grades present.
    expect(byGrade).toEqual([
      { grade: 'A_PLUS', inScope: 1, voluntary: 0, protected: 1, noPlan: 0, noEmail: 1 },
      { grade: 'A', inScope: 4, voluntary: 4, protected: 0, noPlan: 0, noEmail: 1 },
      { grade: 'B', inScope: 1, voluntary: 0, protected: 1, noPlan: 0, noEmail: 0 },
      { grade: 'C', inScope: 7, voluntary: 0, protected: 0, noPlan: 2, noEmail: 0 },
    ]);
  });

  it('counts no orders for an extension (the orders stand) and nothing for an empty scope', () => {
    expect(mergeCounts(rows, counties, { createsOrders: false }).totals.orders).toBe(0);
    const empty = mergeCounts([], counties.slice(0, 1), { createsOrders: true });
    expect(empty.totals).toEqual({
      inScope: 0,
      orders: 0,
      voluntary: 0,
      protected: 0,
      noPlan: 0,
      noEmail: 0,
    });
    expect(empty.byCounty).toHaveLength(1);
    expect(empty.byGrade).toEqual([]);
  });

  it('treats end notices as neither voluntary nor protected, and keeps a county outside the list', () => {
    const { totals, byCounty } = mergeCounts(
      [row('141181', 'A', 'LIFT', null, 2), row('141123', 'C', 'LIFT', 'NO_EMAIL', 1)],
      counties.slice(0, 1),
      { createsOrders: true },
    );
    expect(totals).toEqual({ inScope: 3, orders: 3, voluntary: 0, protected: 0, noPlan: 0, noEmail: 1 });
    expect(byCounty.map((c) => [c.countyCode, c.countyName, c.inScope])).toEqual([
      ['141181', '孝义市', 2],
      ['141123', '141123', 1],
    ]);
  });
});

describe('capProblems', () => {
  it('keeps at most the cap and says when more were found', () => {
    expect(capProblems([1, 2, 3], 3)).toEqual({ problems: [1, 2, 3], problemsTruncated: false });
    expect(capProblems([1, 2, 3, 4], 3)).toEqual({ problems: [1, 2, 3], problemsTruncated: true });
    expect(capProblems([], 3)).toEqual({ problems: [], problemsTruncated: false });
  });
});

describe('reductionRows', () => {
  it('lists each pollutant with the adequacy ratio and verdict at the level', () => {
    const [orange] = assessAdequacy({
      levels: ['ORANGE'],
      ratios: { ORANGE: 0.2 },
      inventory: { so2: 1000, nox: 2000, pm: 500, vocs: 0 },
      reductions: { ORANGE: { so2: 200, nox: 300, pm: 100, vocs: 5 } },
    });
    expect(reductionRows(orange)).toEqual([
      { pollutant: 'so2', baseline: 1000, reduction: 200, ratio: 0.2, required: 0.2, ok: true },
      { pollutant: 'nox', baseline: 2000, reduction: 300, ratio: 0.15, required: 0.2, ok: false },
      { pollutant: 'pm', baseline: 500, reduction: 100, ratio: 0.2, required: 0.2, ok: true },
      // No baseline: the ratio is unknown, not met and not failed.
      { pollutant: 'vocs', baseline: 0, reduction: 5, ratio: null, required: 0.2, ok: null },
    ]);
  });
});

describe('withCountyReduction', () => {
  const e = (v: number) => ({ so2: v, nox: v, pm: v, vocs: v });
  const { byCounty } = mergeCounts([row('141181', 'C', 'MANDATORY', null, 2)], counties.slice(0, 2), {
    createsOrders: true,
  });

  it("gives each county its own rows, in the shape of the scope's reduction", () => {
    const scope = assessScope({
      level: 'ORANGE',
      ratios: { ORANGE: 0.2 },
      countyCodes: ['141181', '141182'],
      inventory: new Map([
        ['141181', { so2: 1000, nox: 2000, pm: 500, vocs: 400 }],
        ['141182', e(500)],
      ]),
      reductions: new Map([['141181', e(150)]]),
    });
    const [xiaoyi, fenyang] = withCountyReduction(byCounty, scope);
    expect(xiaoyi).toMatchObject({ countyCode: '141181', countyName: '孝义市', inScope: 2 });
    expect(xiaoyi.reduction).toEqual([
      { pollutant: 'so2', baseline: 1000, reduction: 150, ratio: 0.15, required: 0.2, ok: false },
      { pollutant: 'nox', baseline: 2000, reduction: 150, ratio: 0.075, required: 0.2, ok: false },
      { pollutant: 'pm', baseline: 500, reduction: 150, ratio: 0.3, required: 0.2, ok: true },
      { pollutant: 'vocs', baseline: 400, reduction: 150, ratio: 0.375, required: 0.2, ok: true },
    ]);
    // Same keys as the top-level rows.
    expect(Object.keys(xiaoyi.reduction[0]).sort()).toEqual(
      Object.keys(reductionRows(scope.adequacy)[0]).sort(),
    );
    expect(fenyang.reduction.map((r) => [r.reduction, r.ok])).toEqual([
      [0, false],
      [0, false],
      [0, false],
      [0, false],
    ]);
  });

  it('leaves the rows empty without a reduction to assess (lift, cancellation)', () => {
    expect(withCountyReduction(byCounty, null).map((c) => c.reduction)).toEqual([[], []]);
  });
});

describe('reductionShortfalls', () => {
  const rowOf = (pollutant: ReductionRow['pollutant'], ratio: number | null, required: number | null) => ({
    pollutant,
    baseline: 1000,
    reduction: ratio === null ? 0 : ratio * 1000,
    ratio,
    required,
    ok: ratio === null || required === null ? null : ratio >= required,
  });

  it('names every county and pollutant short of its ratio, in Chinese with the county name', () => {
    const shortfalls = reductionShortfalls({
      byCounty: [
        {
          countyCode: '141102',
          countyName: '离石区',
          reduction: [rowOf('so2', 0.35, 0.3), rowOf('nox', 0.31, 0.3)],
        },
        {
          countyCode: '141126',
          countyName: '石楼县',
          reduction: [rowOf('so2', 0.27, 0.3), rowOf('nox', 0.3, 0.3), rowOf('pm', 0.125, 0.3)],
        },
        { countyCode: '141181', countyName: '孝义市', reduction: [rowOf('vocs', 0.1, 0.125)] },
      ],
    });
    expect(shortfalls.map((s) => s.text)).toEqual([
      '石楼县 SO₂ 27.0% < 30%',
      '石楼县 颗粒物 12.5% < 30%',
      '孝义市 VOCs 10.0% < 12.5%',
    ]);
    expect(shortfalls[0]).toEqual({
      countyCode: '141126',
      countyName: '石楼县',
      pollutant: 'so2',
      ratio: 0.27,
      required: 0.3,
      text: '石楼县 SO₂ 27.0% < 30%',
    });
  });

  it('shows as many decimals as it takes to tell a near miss from the ratio', () => {
    const near = (ratio: number) =>
      reductionShortfalls({
        byCounty: [{ countyCode: '141126', countyName: '石楼县', reduction: [rowOf('nox', ratio, 0.3)] }],
      })[0].text;
    expect(near(0.2996)).toBe('石楼县 NOₓ 29.96% < 30%');
    expect(near(0.29999)).toBe('石楼县 NOₓ 29.999% < 30%');
  });

  it('holds each pollutant to its own share under a per-pollutant ratio', () => {
    const e = (so2: number, nox: number, pm: number, vocs: number) => ({ so2, nox, pm, vocs });
    const scope = assessScope({
      level: 'YELLOW',
      ratios: { YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 } },
      countyCodes: ['141126'],
      inventory: new Map([['141126', e(1000, 1000, 1000, 1000)]]),
      reductions: new Map([['141126', e(100, 120, 200, 100)]]),
    });
    const byCounty = withCountyReduction(
      [
        {
          countyCode: '141126',
          countyName: '石楼县',
          inScope: 1,
          voluntary: 0,
          protected: 0,
          noPlan: 0,
          noEmail: 0,
        },
      ],
      scope,
    );
    expect(byCounty[0].reduction.map((r) => [r.pollutant, r.required, r.ok])).toEqual([
      ['so2', 0.1, true],
      ['nox', 0.1, true],
      ['pm', 0.25, false],
      ['vocs', 0.1, true],
    ]);
    expect(reductionShortfalls({ byCounty }).map((s) => s.text)).toEqual(['石楼县 颗粒物 20.0% < 25%']);
  });

  it('does not flag unknown ratios, levels without a requirement, or empty rows', () => {
    expect(
      reductionShortfalls({
        byCounty: [
          { countyCode: '141130', countyName: '交口县', reduction: [rowOf('so2', null, 0.3)] },
          { countyCode: '141102', countyName: '离石区', reduction: [rowOf('so2', 0.01, null)] },
          { countyCode: '141181', countyName: '孝义市', reduction: [] },
        ],
      }),
    ).toEqual([]);
  });
});

describe('inventoryMissingNames', () => {
  it('lists the counties without an inventory by name', () => {
    expect(
      inventoryMissingNames({
        byCounty: [
          { countyCode: '141126', countyName: '石楼县' },
          { countyCode: '141130', countyName: '交口县' },
        ],
        inventoryMissing: ['141126', '141130', '149999'],
      }),
    ).toBe('石楼县、交口县、149999');
    expect(inventoryMissingNames({ byCounty: [], inventoryMissing: [] })).toBe('');
  });
});

describe('campaignMergePreview: a warning approved under a campaign in force', () => {
  const name = '2026—2027年秋冬季差异化错峰生产';
  const m = (over: Partial<OrderMeasureLike>): OrderMeasureLike => ({
    line: null,
    action: 'LIMIT_PERCENT',
    params: {},
    description: '',
    reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
    verification: 'OTHER',
    fromHour: null,
    toHour: null,
    ...over,
  });
  const lines = [
    { code: 'L1', name: '1#矿热炉' },
    { code: 'L2', name: '2#矿热炉' },
  ];
  const limit30 = m({ params: { percent: 30 }, description: '错峰期间限产30%' });
  const rows = [
    {
      enterpriseId: 'a',
      name: '中阳C级铁合金',
      countyCode: '141129',
      lines,
      warning: [
        m({
          line: 'L1',
          action: 'STOP',
          description: '1#矿热炉停产',
          reduction: { so2: 30, nox: 0, pm: 0, vocs: 0 },
        }),
        m({
          line: 'L2',
          params: { percent: 20 },
          description: '2#矿热炉限产20%',
          reduction: { so2: 6, nox: 0, pm: 0, vocs: 0 },
        }),
      ],
      campaign: [limit30],
      campaignName: name,
    },
    {
      // Its warning measure starts at hour 6: the campaign's limit, in force from the start, takes its reduction.
      enterpriseId: 'b',
      name: '中阳B级铁合金',
      countyCode: '141129',
      lines: [lines[0]],
      warning: [
        m({
          line: 'L1',
          params: { percent: 10 },
          description: '限产10%',
          fromHour: 6,
          reduction: { so2: 5, nox: 1, pm: 0, vocs: 0 },
        }),
      ],
      campaign: [limit30],
      campaignName: name,
    },
    {
      // The warning's stop is the stricter on its one line: the campaign changes nothing there.
      enterpriseId: 'c',
      name: '孝义D级铁合金',
      countyCode: '141181',
      lines: [],
      warning: [m({ action: 'STOP', description: '停产', reduction: { so2: 8, nox: 0, pm: 0, vocs: 0 } })],
      campaign: [limit30],
      campaignName: name,
    },
  ];

  it('counts the enterprises merged and those a campaign measure binds, per campaign', () => {
    const p = campaignMergePreview(rows, 20);
    expect([p.enterprises, p.campaignStricter, p.campaigns]).toEqual([3, 2, [{ name, n: 3 }]]);
  });

  it('lists the merged lines with their basis, as the orders will carry them, up to the cap', () => {
    const p = campaignMergePreview(rows, 2);
    expect(p.samplesTruncated).toBe(true);
    expect(p.samples.map((s) => s.enterpriseId)).toEqual(['a', 'b']);
    expect(p.samples[0].measures).toEqual([
      {
        line: 'L1',
        lineName: '1#矿热炉',
        description: `1#矿热炉停产(预警措施严于${name}要求)`,
        basis: 'WARNING',
        basisReason: `预警措施严于${name}要求`,
      },
      {
        line: 'L2',
        lineName: '2#矿热炉',
        description: `错峰期间限产30%(${name}要求严于预警措施)`,
        basis: 'CAMPAIGN',
        basisReason: `${name}要求严于预警措施`,
      },
    ]);
    expect(p.samples[1].measures.map((x) => [x.lineName, x.basis])).toEqual([['全厂', 'CAMPAIGN']]);
    expect(campaignMergePreview(rows, 3).samplesTruncated).toBe(false);
  });

  it('adds to a county’s reduction only what the merge brings into force at the start', () => {
    const p = campaignMergePreview(rows, 20);
    // 中阳县: a's reduction is unchanged (the displaced 6 stays 6); b's 5/1 from hour 6 now count from the start.
    expect(p.reductionAdded.get('141129')).toEqual({ so2: 5, nox: 1, pm: 0, vocs: 0 });
    expect(p.reductionAdded.get('141181')).toEqual({ so2: 0, nox: 0, pm: 0, vocs: 0 });
  });
});
