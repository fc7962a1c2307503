import {
  ACTION_NAMES,
  type MeasureAction,
  VERIFICATION_NAMES,
  type VerificationMethod,
} from '../enterprises/enterprise.types';
import { formatTime } from '../common/time';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

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
  const [whole, fraction] = (Math.round(value * 10) / 10).toString().split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
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
