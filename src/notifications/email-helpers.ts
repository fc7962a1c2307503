import {
  ACTION_NAMES,
  type MeasureAction,
  VERIFICATION_NAMES,
  type VerificationMethod,
} from '../enterprises/enterprise.types';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { TIME_ZONE } from '../common/time';

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026年11月29日 00:00" in Asia/Shanghai. */
export function formatTime(value: Date | string | null): string {
  if (value === null || value === '') return '—';
  const parts = Object.fromEntries(TIME.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

export const LEVEL_COLORS: Record<WarningLevel, string> = {
  BLUE: '#1f5fbf',
  YELLOW: '#f5c400',
  ORANGE: '#f08c00',
  RED: '#d0021b',
};

export function levelColor(level: WarningLevel): string {
  return LEVEL_COLORS[level];
}

/** Dark text on yellow, white elsewhere. */
export function levelTextColor(level: WarningLevel): string {
  return level === 'YELLOW' ? '#1f2933' : '#ffffff';
}

export function levelName(level: WarningLevel): string {
  return LEVEL_NAMES[level];
}

export function actionName(action: MeasureAction): string {
  return ACTION_NAMES[action] ?? action;
}

export function verificationName(method: VerificationMethod): string {
  return VERIFICATION_NAMES[method] ?? method;
}

/** kg/d with thousands separators and at most one decimal. */
export function formatKg(value: number): string {
  return new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(value);
}

/** When a measure applies, in words. */
export function measureWindow(m: { fromAt: string | null; toAt: string | null }): string {
  if (m.fromAt && m.toAt) return `${formatTime(m.fromAt)} 至 ${formatTime(m.toAt)}`;
  if (m.fromAt) return `自 ${formatTime(m.fromAt)} 起`;
  if (m.toAt) return `至 ${formatTime(m.toAt)} 止`;
  return '预警期间全程';
}

export const EMAIL_HELPERS = {
  time: formatTime,
  levelColor,
  levelTextColor,
  levelName,
  actionName,
  verificationName,
  kg: formatKg,
  window: measureWindow,
  eq: (a: unknown, b: unknown) => a === b,
};
