import type {
  Emissions,
  Grade,
  MeasureAction,
  MeasureParams,
  VerificationMethod,
} from '../enterprises/enterprise.types';
import { VOLUNTARY_GRADES } from '../enterprises/enterprise.types';

export const ORDER_STATES = [
  'PENDING',
  'SENT',
  'RECEIVED',
  'EXECUTED',
  'OVERDUE',
  'SUPERSEDED',
  'LIFTED',
  /** Written in advance for a change approved ahead of its effective time: told, not yet in force. */
  'SCHEDULED',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_STATE_NAMES: Record<OrderState, string> = {
  PENDING: '待发送',
  SENT: '已送达',
  RECEIVED: '已签收',
  EXECUTED: '已落实',
  OVERDUE: '逾期',
  SUPERSEDED: '已被更新',
  LIFTED: '已解除',
  SCHEDULED: '待生效',
};

/** End notices (a lift or cancellation) are messages to an enterprise, not orders: never counted as orders. */
export const END_NOTICE_TYPES = ['LIFT', 'CANCEL'] as const;

/** MANDATORY measures; VOLUNTARY (A, A+, LEADING); PROTECTED (approved maximum load); LIFT and CANCEL notices. */
export type NoticeType = 'MANDATORY' | 'VOLUNTARY' | 'PROTECTED' | 'LIFT' | 'CANCEL';

/** A measure as the order carries it: the plan's measure with its window as absolute times. */
export interface OrderMeasure {
  line: string | null;
  action: MeasureAction;
  params: MeasureParams;
  description: string;
  reduction: Emissions;
  verification: VerificationMethod;
  fromHour: number | null;
  toHour: number | null;
  /** When the measure applies, from the response's start: null = from the effective time / until the end. */
  fromAt: string | null;
  toAt: string | null;
}

/** The notice an enterprise gets; orders are written by its SQL twin NOTICE_TYPE_SQL, generated from the same grades. */
export function noticeTypeFor(grade: Grade, isProtected: boolean): NoticeType {
  if (isProtected) return 'PROTECTED';
  return VOLUNTARY_GRADES.includes(grade) ? 'VOLUNTARY' : 'MANDATORY';
}

/**
 * Receipt is due before the effective time, or `receiptMinHours` after issue when that is later (issued less
 * than that ahead); the "measures in place" report `reportWithinHours` after the effective time.
 */
export function deadlines(
  issuedAt: Date,
  effectiveAt: Date,
  rules: { receiptMinHours: number; reportWithinHours: number },
): { receiptDueAt: Date; reportDueAt: Date } {
  const earliest = issuedAt.getTime() + rules.receiptMinHours * 3600_000;
  return {
    receiptDueAt: new Date(Math.max(effectiveAt.getTime(), earliest)),
    reportDueAt: new Date(
      Math.max(effectiveAt.getTime(), issuedAt.getTime()) + rules.reportWithinHours * 3600_000,
    ),
  };
}

/** Which measures an order carries: those whose window has not ended by the revision's effective time. */
export function orderMeasures<T extends { fromHour: number | null; toHour: number | null }>(
  measures: T[],
  responseStart: Date,
  effectiveAt: Date,
): Array<T & { fromAt: string | null; toAt: string | null }> {
  const at = (hours: number) => new Date(responseStart.getTime() + hours * 3600_000);
  return measures
    .filter((m) => m.toHour == null || at(m.toHour).getTime() > effectiveAt.getTime())
    .map((m) => ({
      ...m,
      fromAt: m.fromHour ? at(m.fromHour).toISOString() : null,
      toAt: m.toHour != null ? at(m.toHour).toISOString() : null,
    }));
}

export interface OrderDelta {
  added: OrderMeasure[];
  relaxed: OrderMeasure[];
  unchanged: OrderMeasure[];
}

const key = (m: OrderMeasure) => `${m.line ?? ''}|${m.action}|${JSON.stringify(m.params)}|${m.description}`;

/**
 * What an adjustment changes for one enterprise: measures it must newly take (added), measures of the old
 * order it no longer takes (relaxed), and those that stay (unchanged).
 */
export function orderDelta(previous: OrderMeasure[], next: OrderMeasure[]): OrderDelta {
  const before = new Map(previous.map((m) => [key(m), m]));
  const after = new Map(next.map((m) => [key(m), m]));
  return {
    added: next.filter((m) => !before.has(key(m))),
    relaxed: previous.filter((m) => !after.has(key(m))),
    unchanged: next.filter((m) => before.has(key(m))),
  };
}

/** Why a receipt or report is refused (each an error code of its own). */
export type AckRefusalCode = 'ORDER_SUPERSEDED' | 'ORDER_ENDED' | 'ORDER_NOT_YET_IN_FORCE';

/**
 * What a receipt or a report does to an order: the new state, or why it cannot be taken. An order written ahead
 * of its effective time (SCHEDULED) may be received in advance (it stays SCHEDULED, with its receipt time), but
 * measures cannot be in place for an order not yet in force.
 */
export function ackTransition(
  state: OrderState,
  action: 'RECEIPT' | 'REPORT',
  receivedAt: Date | null = null,
): { state: OrderState; changed: boolean } | { code: AckRefusalCode; error: string } {
  if (state === 'SUPERSEDED')
    return { code: 'ORDER_SUPERSEDED', error: '此指令已被新的指令替代,请按最新邮件中的链接操作' };
  if (state === 'LIFTED') return { code: 'ORDER_ENDED', error: '此预警已解除或撤销,无需再确认' };
  if (state === 'SCHEDULED') {
    if (action === 'REPORT')
      return { code: 'ORDER_NOT_YET_IN_FORCE', error: '此指令尚未生效,请在生效后再报告措施落实情况' };
    return { state, changed: receivedAt === null };
  }
  if (action === 'RECEIPT') {
    return state === 'RECEIVED' || state === 'EXECUTED'
      ? { state, changed: false }
      : { state: 'RECEIVED', changed: true };
  }
  return state === 'EXECUTED' ? { state, changed: false } : { state: 'EXECUTED', changed: true };
}

/** How far past the server's clock a reported time may lie: an enterprise's computer clock may run a little fast. */
export const REPORT_CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * What is wrong with a reported "measures in place" time, or null when it can be true: a real time, not before
 * the order was issued to the enterprise, and not later than now (within the clock tolerance). Checked before a
 * report joins a batch, so an impossible time (year 1900, or -10000, which PostgreSQL cannot even store) is the
 * reporter's own 422 and never reaches the shared transaction.
 */
export function measuresInPlaceAtError(at: Date, issuedAt: Date, now: Date): string | null {
  const t = at.getTime();
  if (Number.isNaN(t)) return '请填写措施落实的时间';
  if (t < issuedAt.getTime()) return '落实时间不能早于指令下达时间';
  if (t > now.getTime() + REPORT_CLOCK_TOLERANCE_MS) return '落实时间不能晚于当前时间';
  return null;
}
