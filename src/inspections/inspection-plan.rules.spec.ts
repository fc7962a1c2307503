import {
  drawSample,
  type InspectionCandidate,
  isNonResponder,
  mulberry32,
  reasonText,
  weigh,
} from './inspection-plan.rules';

const candidate = (n: number, over: Partial<InspectionCandidate> = {}): InspectionCandidate => ({
  orderId: `order-${String(n).padStart(3, '0')}`,
  enterpriseId: `ent-${n}`,
  grade: 'B',
  nonResponder: false,
  repeatOffender: false,
  discrepancies: 0,
  ...over,
});

describe('inspection plan weights and reasons', () => {
  it('weighs grades C and D, non-responders, repeat offenders and discrepancies over a base of 1', () => {
    expect(weigh(candidate(1)).weight).toBe(1);
    expect(weigh(candidate(1, { grade: 'A' })).weight).toBe(1);
    expect(weigh(candidate(1, { grade: 'C' }))).toMatchObject({ weight: 3, reasons: ['GRADE_C'] });
    expect(weigh(candidate(1, { grade: 'D' }))).toMatchObject({ weight: 5, reasons: ['GRADE_D'] });
    expect(weigh(candidate(1, { nonResponder: true }))).toMatchObject({
      weight: 4,
      reasons: ['NON_RESPONDER'],
    });
    expect(weigh(candidate(1, { repeatOffender: true }))).toMatchObject({
      weight: 5,
      reasons: ['REPEAT_OFFENDER'],
    });
    // Two discrepancies add 2 each; more than three count as three.
    expect(weigh(candidate(1, { discrepancies: 2 }))).toMatchObject({ weight: 5, reasons: ['DISCREPANCY'] });
    expect(weigh(candidate(1, { discrepancies: 9 })).weight).toBe(7);
    expect(weigh(candidate(1, { grade: 'D', nonResponder: true, repeatOffender: true }))).toMatchObject({
      weight: 12,
      reasons: ['GRADE_D', 'NON_RESPONDER', 'REPEAT_OFFENDER'],
    });
  });

  it('says the reasons in Chinese, or that the pick was random', () => {
    expect(reasonText(['GRADE_D', 'NON_RESPONDER'])).toBe('绩效等级D、未按时签收');
    expect(reasonText(['GRADE_C', 'REPEAT_OFFENDER', 'DISCREPANCY'])).toBe(
      '绩效等级C、以往预警中有违规记录、监测数据与指令不符',
    );
    expect(reasonText([])).toBe('随机抽取');
  });

  it('counts an order as not responded to when received late, or not at all past the deadline', () => {
    const due = new Date('2026-11-28T04:00:00Z');
    const now = new Date('2026-11-28T05:00:00Z');
    expect(isNonResponder({ receivedAt: null, receiptDueAt: due }, now)).toBe(true);
    expect(isNonResponder({ receivedAt: null, receiptDueAt: due }, new Date('2026-11-28T03:00:00Z'))).toBe(
      false,
    );
    expect(isNonResponder({ receivedAt: new Date('2026-11-28T04:30:00Z'), receiptDueAt: due }, now)).toBe(
      true,
    );
    expect(isNonResponder({ receivedAt: new Date('2026-11-28T03:59:00Z'), receiptDueAt: due }, now)).toBe(
      false,
    );
    expect(isNonResponder({ receivedAt: null, receiptDueAt: null }, now)).toBe(false);
  });
});

describe('the weighted draw', () => {
  it('gives the same numbers for the same seed, others for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws the same sample for the same seed whatever order the candidates come in', () => {
    const pool = Array.from({ length: 30 }, (_, i) => candidate(i, { grade: i % 3 === 0 ? 'D' : 'B' }));
    const one = drawSample(pool, 8, 20261128).map((p) => p.candidate.orderId);
    const again = drawSample([...pool].reverse(), 8, 20261128).map((p) => p.candidate.orderId);
    expect(again).toEqual(one);
    expect(new Set(one).size).toBe(8); // without replacement
    const other = drawSample(pool, 8, 7).map((p) => p.candidate.orderId);
    expect(other).not.toEqual(one);
  });

  it('ranks the picks from 1 and keeps their weight and reasons; a size beyond the pool takes everyone', () => {
    const pool = [candidate(1, { grade: 'D', nonResponder: true }), candidate(2)];
    const picks = drawSample(pool, 5, 1);
    expect(picks.map((p) => p.rank)).toEqual([1, 2]);
    const d = picks.find((p) => p.candidate.orderId === 'order-001')!;
    expect([d.weight, d.reasons]).toEqual([8, ['GRADE_D', 'NON_RESPONDER']]);
    expect(drawSample(pool, 0, 1)).toEqual([]);
  });

  it('picks each candidate as often as its weight says, over many seeds', () => {
    // A single pick out of weights 1, 3 (grade C) and 5 (grade D): probabilities 1/9, 3/9, 5/9.
    const pool = [candidate(1), candidate(2, { grade: 'C' }), candidate(3, { grade: 'D' })];
    const runs = 20000;
    const wins: Record<string, number> = {};
    for (let seed = 0; seed < runs; seed++) {
      const [p] = drawSample(pool, 1, seed * 2654435761);
      wins[p.candidate.orderId] = (wins[p.candidate.orderId] ?? 0) + 1;
    }
    expect(wins['order-001'] / runs).toBeCloseTo(1 / 9, 1);
    expect(wins['order-002'] / runs).toBeCloseTo(3 / 9, 1);
    expect(wins['order-003'] / runs).toBeCloseTo(5 / 9, 1);
    // Tighter than toBeCloseTo's 0.05: within 1.5 points of the weight's share.
    expect(Math.abs(wins['order-003'] / runs - 5 / 9)).toBeLessThan(0.015);
    expect(Math.abs(wins['order-001'] / runs - 1 / 9)).toBeLessThan(0.015);
  });

  it('includes a heavy candidate in a sample of two more often than a light one', () => {
    // Weights 12 (D, non-responder, repeat offender) against four of weight 1: in a sample of two it is
    // almost always there; each light one about a fifth of the time (the second place shared by four).
    const pool = [
      candidate(1, { grade: 'D', nonResponder: true, repeatOffender: true }),
      ...[2, 3, 4, 5].map((n) => candidate(n)),
    ];
    const runs = 5000;
    let heavy = 0;
    let light = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const ids = drawSample(pool, 2, seed).map((p) => p.candidate.orderId);
      if (ids.includes('order-001')) heavy++;
      if (ids.includes('order-002')) light++;
    }
    expect(heavy / runs).toBeGreaterThan(0.9);
    expect(light / runs).toBeGreaterThan(0.15);
    expect(light / runs).toBeLessThan(0.35);
  });
});
