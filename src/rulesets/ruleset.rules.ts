import type { FieldError } from '../common/errors/domain-error';
import type { RulesetDefinition, WarningLevel } from './ruleset.types';

/** What an administrator may change when deriving a new ruleset version; the level rules stay the base's. */
export interface RulesetOverrides {
  reductionRatios?: Partial<Record<string, number>>;
  liftBelowHours?: number;
  leadTimeHours?: number;
  deadlines?: { receiptMinHours?: number; reportWithinHours?: number };
}

const hours = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * A new version's definition: the base's, with the overrides applied. Returns the field errors, and the
 * changes as {path: [before, after]} for the audit log. Ratios exist only for the base's levels.
 */
export function deriveDefinition(
  base: { levels: readonly WarningLevel[]; definition: RulesetDefinition },
  overrides: RulesetOverrides,
): { definition: RulesetDefinition; changes: Record<string, [unknown, unknown]>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const changes: Record<string, [unknown, unknown]> = {};
  const definition: RulesetDefinition = structuredClone(base.definition);
  const set = (path: string, before: unknown, after: unknown) => {
    if (before !== after) changes[path] = [before, after];
  };
  for (const [level, ratio] of Object.entries(overrides.reductionRatios ?? {})) {
    const field = `reductionRatios.${level}`;
    if (!(base.levels as readonly string[]).includes(level))
      errors.push({ field, message: `基础规则集没有${level}级别(可选:${base.levels.join('、')})` });
    else if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= 1))
      errors.push({ field, message: '减排比例应大于0且不超过1(如 0.2 表示 20%)' });
    else {
      set(field, definition.reductionRatios[level as WarningLevel], ratio);
      definition.reductionRatios[level as WarningLevel] = ratio;
    }
  }
  for (const [key, min, max] of [
    ['liftBelowHours', 1, 240],
    ['leadTimeHours', 0, 168],
  ] as const) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!hours(v, min, max)) errors.push({ field: key, message: `应为 ${min}-${max} 之间的整数小时` });
    else {
      set(key, definition[key], v);
      definition[key] = v;
    }
  }
  for (const [key, min, max] of [
    ['receiptMinHours', 0, 72],
    ['reportWithinHours', 0, 72],
  ] as const) {
    const v = overrides.deadlines?.[key];
    if (v === undefined) continue;
    if (!hours(v, min, max))
      errors.push({ field: `deadlines.${key}`, message: `应为 ${min}-${max} 之间的整数小时` });
    else {
      set(`deadlines.${key}`, definition.deadlines[key], v);
      definition.deadlines[key] = v;
    }
  }
  return { definition, changes, errors };
}

/** A ruleset id: upper-case letters, digits and dashes, like the seeded MEE-2024. */
export const RULESET_ID_PATTERN = /^[A-Z][A-Z0-9-]{2,39}$/;
