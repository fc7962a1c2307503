import type { Grade } from '../enterprises/enterprise.types';

/**
 * The inspection plan (检查计划) of a warning: a reproducible weighted sample of its enterprises with orders in force.
 * Pure: the service reads the candidates, these rules weigh and draw.
 */

/**
 * Why an enterprise is more likely to be inspected, and how much each reason adds to the base weight of 1.
 * A documented constant table (docs/inspections.md): grades C and D reduce the most and are the most likely to
 * cut corners; a non-responder and a repeat offender more so; a discrepancy (meters against the order) weighs per
 * finding (src/reconciliation: those of the warning not explained away by an officer).
 */
export const INSPECTION_WEIGHTS = {
  base: 1,
  grade: { C: 2, D: 4 } as Partial<Record<Grade, number>>,
  nonResponder: 3,
  repeatOffender: 4,
  /** Per discrepancy found for the order, at most `discrepancyCap` of them counted. */
  discrepancy: 2,
  discrepancyCap: 3,
} as const;

export type PickReason = 'GRADE_C' | 'GRADE_D' | 'NON_RESPONDER' | 'REPEAT_OFFENDER' | 'DISCREPANCY';

export const PICK_REASON_NAMES: Record<PickReason, string> = {
  GRADE_C: '绩效等级C',
  GRADE_D: '绩效等级D',
  NON_RESPONDER: '未按时签收',
  REPEAT_OFFENDER: '以往预警中有违规记录',
  DISCREPANCY: '监测数据与指令不符',
};

/** Said of a pick with no reason to weigh it: drawn at the base weight. */
export const NO_REASON_TEXT = '随机抽取';

export const PLAN_SIZE_MAX = 500;

/** One enterprise the plan may pick: its order in force and what weighs it. */
export interface InspectionCandidate {
  orderId: string;
  enterpriseId: string;
  grade: Grade;
  /** Its order was not received by its receipt deadline (late, or not at all and the deadline has passed). */
  nonResponder: boolean;
  /** It had a confirmed violation (an inspection found one) during an earlier warning. */
  repeatOffender: boolean;
  /** Discrepancies the meters showed for the enterprise during the warning, not explained away. */
  discrepancies: number;
}

export interface WeightedCandidate<C extends InspectionCandidate = InspectionCandidate> {
  candidate: C;
  weight: number;
  reasons: PickReason[];
}

/** The weight of a candidate under `INSPECTION_WEIGHTS`, and the reasons that raised it, in a fixed order. */
export function weigh<C extends InspectionCandidate>(c: C): WeightedCandidate<C> {
  const w = INSPECTION_WEIGHTS;
  const reasons: PickReason[] = [];
  let weight = w.base;
  const gradeBonus = w.grade[c.grade] ?? 0;
  if (gradeBonus > 0) {
    weight += gradeBonus;
    reasons.push(c.grade === 'D' ? 'GRADE_D' : 'GRADE_C');
  }
  if (c.nonResponder) {
    weight += w.nonResponder;
    reasons.push('NON_RESPONDER');
  }
  if (c.repeatOffender) {
    weight += w.repeatOffender;
    reasons.push('REPEAT_OFFENDER');
  }
  const found = Math.min(Math.max(Math.trunc(c.discrepancies), 0), w.discrepancyCap);
  if (found > 0) {
    weight += found * w.discrepancy;
    reasons.push('DISCREPANCY');
  }
  return { candidate: c, weight, reasons };
}

/** The reasons in words: "绩效等级D、未按时签收", or "随机抽取" when nothing raised the weight. */
export function reasonText(reasons: readonly PickReason[]): string {
  return reasons.length ? reasons.map((r) => PICK_REASON_NAMES[r]).join('、') : NO_REASON_TEXT;
}

/** mulberry32: a small, well-known 32-bit PRNG; the same seed gives the same numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SEED_MAX = 4294967295;

export interface Pick<C extends InspectionCandidate = InspectionCandidate> extends WeightedCandidate<C> {
  /** 1 for the first pick (the highest key). */
  rank: number;
  /** The Efraimidis–Spirakis key, as ln(u)/w (the log of u^(1/w): the same order, no underflow). */
  key: number;
}

/**
 * Draws `size` candidates without replacement, each with probability proportional to its weight (Efraimidis–
 * Spirakis: key u^(1/w), the largest keys win). Reproducible: the candidates are put in order of their order id
 * first, so the same seed and the same candidates give the same picks whatever order they came in.
 */
export function drawSample<C extends InspectionCandidate>(
  candidates: readonly C[],
  size: number,
  seed: number,
): Array<Pick<C>> {
  const random = mulberry32(seed);
  const ordered = [...candidates].sort((a, b) =>
    a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0,
  );
  const keyed = ordered.map((c) => {
    const weighted = weigh(c);
    // 1 - random() is in (0, 1]: ln never sees 0.
    const key = Math.log(1 - random()) / weighted.weight;
    return { ...weighted, key };
  });
  keyed.sort((a, b) => b.key - a.key || (a.candidate.orderId < b.candidate.orderId ? -1 : 1));
  return keyed.slice(0, Math.max(0, Math.trunc(size))).map((k, i) => ({ ...k, rank: i + 1 }));
}

/**
 * Whether an order counts as not responded to: not received by its receipt deadline (received late, or not yet and
 * the deadline has passed). An order without a receipt deadline owes none.
 */
export function isNonResponder(
  order: { receivedAt: Date | null; receiptDueAt: Date | null },
  now: Date,
): boolean {
  if (!order.receiptDueAt) return false;
  const due = order.receiptDueAt.getTime();
  return order.receivedAt ? order.receivedAt.getTime() > due : now.getTime() > due;
}
