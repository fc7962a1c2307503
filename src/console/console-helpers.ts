import { readSeedJson } from '../common/paths';
import { type AlertStatus, type ChangeKind, KIND_NAMES, STATUS_NAMES } from '../alerts/alert.rules';
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

/** Industry names by code, from the reference list (seeds/industries.json). */
export const INDUSTRY_NAMES: Record<string, string> = Object.fromEntries(
  readSeedJson<Array<{ code: string; name: string }>>('industries.json').map((i) => [i.code, i.name]),
);

/** Who an audit entry names when it has no account name. */
export const ACTOR_TYPE_NAMES: Record<string, string> = {
  SYSTEM: '系统',
  USER: '工作人员',
  ENTERPRISE: '企业',
  PARTY: '县级分局或市直部门',
  ANONYMOUS: '匿名访问',
};

/** What an audit entry is about, for people. */
export const SUBJECT_NAMES: Record<string, string> = {
  alert: '预警',
  order: '减排指令',
  enterprise: '企业',
  consultation: '会商',
  ruleset: '规则集',
  user: '用户',
  directive: '省级指令',
  party_notice: '分局/部门通知',
  department: '市直部门',
  outbox_message: '通知邮件',
  audit_entry: '审计记录',
  emission_inventory: '排放清单',
  enterprise_import: '清单导入',
  county: '区县',
  inspection: '现场检查',
  grade_review: '绩效分级复核',
};

/** What each outbox message is, for people. */
export const MESSAGE_KIND_NAMES: Record<string, string> = {
  ORDER_ISSUED: '减排指令通知',
  ORDER_ADJUSTED: '指令调整通知',
  ORDER_LIFTED: '解除通知',
  ORDER_CANCELLED: '撤销通知',
  ORDER_EXTENDED: '延长通知',
  REMINDER: '签收/落实提醒',
  ESCALATION: '逾期通报',
  AUDIT_ANCHOR: '审计链锚定',
  HEADS_UP: '预警提示',
  COUNTY_NOTICE: '县级分局通知',
  DEPARTMENT_NOTICE: '市直部门通知',
  PARTY_REMINDER: '分局/部门签收提醒',
  PARTY_ESCALATION: '分局/部门逾期通报',
};

/** Display names by username, as the console puts them on every page it renders (`people`). */
export type People = Record<string, string>;

/** The `people` of the page being rendered, from a helper's options (Handlebars passes them last). */
function peopleOf(options: unknown): People {
  const people = (options as { data?: { root?: { people?: unknown } } } | undefined)?.data?.root?.people;
  return people && typeof people === 'object' ? (people as People) : {};
}

/**
 * Who did something, for people: an account's display name rather than its username (kept only where it names
 * the account: the users page, the login), the system in Chinese, any other name as it is.
 */
export function displayNameOf(name: unknown, people: People): string {
  if (typeof name !== 'string' || name === '') return '—';
  if (name === 'system') return '系统';
  return Object.hasOwn(people, name) ? people[name] : name;
}

/** Plain functions registered as Handlebars helpers; each returns text, which Handlebars escapes. */
export const CONSOLE_HELPERS = {
  eq: (a: unknown, b: unknown) => a === b,
  /** Who did it, in words: the system, accounts by display name (the page's `people`), else the kind of actor. */
  actor: (name: unknown, ...rest: unknown[]) => {
    const type = rest.length > 1 ? rest[0] : undefined;
    return name === 'system' || type === 'SYSTEM'
      ? '系统'
      : typeof name === 'string' && name
        ? displayNameOf(name, peopleOf(rest[rest.length - 1]))
        : (ACTOR_TYPE_NAMES[typeof type === 'string' ? type : ''] ?? '系统');
  },
  alertStatus: (s: unknown) => (typeof s === 'string' ? (STATUS_NAMES[s as AlertStatus] ?? s) : '—'),
  changeKind: (k: unknown) => (typeof k === 'string' ? (KIND_NAMES[k as ChangeKind] ?? k) : '—'),
  /** Chemical formulas as chemists write them, for pages (the PDF's font has no subscripts: it keeps SO2, NOx). */
  chem: (v: unknown) =>
    typeof v === 'string'
      ? v
          .replace(/\bSO2\b/g, 'SO₂')
          .replace(/\bNOx\b/g, 'NOₓ')
          .replace(/\bNO2\b/g, 'NO₂')
      : v,
  industry: (c: unknown) => (typeof c === 'string' ? (INDUSTRY_NAMES[c] ?? c) : '—'),
  subjectName: (t: unknown) => (typeof t === 'string' && t ? (SUBJECT_NAMES[t] ?? t) : '—'),
  messageKind: (k: unknown) => (typeof k === 'string' ? (MESSAGE_KIND_NAMES[k] ?? k) : '—'),
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
  proposer: (name: unknown, options?: unknown) =>
    name === 'system'
      ? '系统(自动提出)'
      : typeof name === 'string'
        ? displayNameOf(name, peopleOf(options))
        : '—',
  /** A username (起草人, 批准人, 录入人 …) as the account's display name. */
  person: (name: unknown, options?: unknown) => displayNameOf(name, peopleOf(options)),
  default: (v: unknown, fallback: unknown) => (v === undefined || v === null || v === '' ? fallback : v),
};
