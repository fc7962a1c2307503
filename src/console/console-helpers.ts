import {
  inventoryMissingNames,
  POLLUTANT_LABELS,
  reductionShortfalls,
  type ReductionShortfall,
} from '../alerts/preview.rules';
import { ORDER_STATE_NAMES } from '../orders/order.rules';
import { GRADE_NAMES } from '../enterprises/enterprise.types';
import { formatTime } from '../common/time';
import { formatKg, LEVEL_COLORS } from '../notifications/email-helpers';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/** Labels the console shows for codes; unknown codes show as they are. */
export const DELIVERY_STATE_NAMES: Record<string, string> = {
  QUEUED: '排队中',
  SENDING: '发送中',
  SENT: '已发送',
  RETRYING: '重试中',
  FAILED: '发送失败',
};

export const NOTICE_TYPE_NAMES: Record<string, string> = {
  MANDATORY: '强制减排',
  VOLUNTARY: '自主减排',
  PROTECTED: '保障类',
};

/** Plain functions registered as Handlebars helpers; each returns text, which Handlebars escapes. */
export const CONSOLE_HELPERS = {
  eq: (a: unknown, b: unknown) => a === b,
  /** Any of the arguments is truthy (Handlebars passes its options object last). */
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  /** A repeated form field arrives as an array, or a plain string when only one box was ticked. */
  includes: (list: unknown, item: unknown) => (Array.isArray(list) ? list.includes(item) : list === item),
  /** Literal lists in templates: (array "A" "B"); Handlebars passes its options object last. */
  array: (...args: unknown[]) => args.slice(0, -1),
  time: (v: unknown) => (v instanceof Date || typeof v === 'string' ? formatTime(v) : '—'),
  levelName: (l: unknown) => LEVEL_NAMES[l as WarningLevel] ?? (typeof l === 'string' && l ? l : '无'),
  levelColor: (l: unknown) => LEVEL_COLORS[l as WarningLevel] ?? '#cbd2d9',
  orderState: (s: unknown) =>
    typeof s === 'string' ? (ORDER_STATE_NAMES[s as keyof typeof ORDER_STATE_NAMES] ?? s) : '—',
  deliveryState: (s: unknown) => (typeof s === 'string' && s ? (DELIVERY_STATE_NAMES[s] ?? s) : '—'),
  noticeType: (n: unknown) => (typeof n === 'string' ? (NOTICE_TYPE_NAMES[n] ?? n) : '—'),
  grade: (g: unknown) => (typeof g === 'string' ? (GRADE_NAMES[g as keyof typeof GRADE_NAMES] ?? g) : '—'),
  kg: (v: unknown) => (typeof v === 'number' ? formatKg(v) : '—'),
  percent: (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—'),
  pollutant: (p: unknown) =>
    typeof p === 'string' ? (POLLUTANT_LABELS[p as keyof typeof POLLUTANT_LABELS] ?? p) : '—',
  /** The preview's counties and pollutants short of the ratio, each as a line to flag (empty: none). */
  reductionShortfalls: (preview: unknown): ReductionShortfall[] =>
    preview && typeof preview === 'object' && Array.isArray((preview as { byCounty?: unknown }).byCounty)
      ? reductionShortfalls(preview as Parameters<typeof reductionShortfalls>[0])
      : [],
  inventoryMissingNames: (preview: unknown) =>
    inventoryMissingNames(preview as Parameters<typeof inventoryMissingNames>[0]),
  json: (v: unknown) => JSON.stringify(v, null, 2),
  /** Who proposed a change: the system's own proposals (e.g. after a provincial directive's lift) in Chinese. */
  proposer: (name: unknown) => (name === 'system' ? '系统(自动提出)' : typeof name === 'string' ? name : '—'),
  default: (v: unknown, fallback: unknown) => (v === undefined || v === null || v === '' ? fallback : v),
};
