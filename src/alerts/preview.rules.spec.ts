import { assessAdequacy } from '../enterprises/adequacy.rules';
import { capProblems, mergeCounts, reductionRows, type ScopeCountRow } from './preview.rules';

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
