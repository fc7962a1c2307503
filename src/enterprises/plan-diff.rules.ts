import { DomainError } from '../common/errors/domain-error';
import { POLLUTANTS, WARNING_LEVELS, type WarningLevel } from '../rulesets/ruleset.types';
import type { MeasureInput } from './enterprise.types';

/**
 * What changed between two versions of an enterprise's plan (一企一策), level by level. A measure is the "same"
 * measure in both versions when it has the same level, line or process and action; the fields compared are the
 * rest (parameters one by one, description, hours, each pollutant's reduction, verification). Pure; unit-tested.
 */

/** A compared field: `params.<key>`, `description`, `fromHour`, `toHour`, `reduction.<pollutant>`, `verification`. */
export interface FieldChange {
  field: string;
  before: string | number | null;
  after: string | number | null;
}

export interface ChangedMeasure {
  before: MeasureInput;
  after: MeasureInput;
  changes: FieldChange[];
}

export interface LevelDiff {
  level: WarningLevel;
  added: MeasureInput[];
  removed: MeasureInput[];
  changed: ChangedMeasure[];
  unchanged: MeasureInput[];
}

export interface PlanDiff {
  /** Levels lowest first; a level appears when either version has measures for it. */
  levels: LevelDiff[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
}

const lineOf = (m: MeasureInput): string => m.line?.trim() ?? '';

/** The key a measure is matched by across versions: level, line or process (blank = whole plant), action. */
export const measureKey = (m: MeasureInput): string => [m.level, lineOf(m), m.action].join('\u0000');

/** The fields of a measure as compared, in the order a person reads them. */
function fieldsOf(m: MeasureInput): Map<string, string | number | null> {
  const fields = new Map<string, string | number | null>();
  for (const key of Object.keys(m.params ?? {}).sort()) fields.set(`params.${key}`, m.params![key]);
  fields.set('description', m.description.trim());
  fields.set('fromHour', m.fromHour ?? null);
  fields.set('toHour', m.toHour ?? null);
  for (const p of POLLUTANTS) fields.set(`reduction.${p}`, m.reduction[p]);
  fields.set('verification', m.verification);
  return fields;
}

/** Field by field, what differs between two matched measures (a parameter only in one side counts, as null on the other). */
export function measureChanges(before: MeasureInput, after: MeasureInput): FieldChange[] {
  const a = fieldsOf(before);
  const b = fieldsOf(after);
  const names = [...new Set([...a.keys(), ...b.keys()])];
  // Parameters first, in name order, then the fixed fields in their order.
  const order = (f: string) => (f.startsWith('params.') ? 0 : 1);
  names.sort((x, y) => order(x) - order(y) || (order(x) === 0 ? x.localeCompare(y) : 0));
  const changes: FieldChange[] = [];
  for (const field of names) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (x !== y) changes.push({ field, before: x, after: y });
  }
  return changes;
}

/**
 * The measures added, removed, changed and unchanged from `before` to `after`, per level. Measures sharing a key
 * within one version (two rows for one line and action) are paired in their order in the plan.
 */
export function diffPlans(before: MeasureInput[], after: MeasureInput[]): PlanDiff {
  const levels: LevelDiff[] = [];
  for (const level of WARNING_LEVELS) {
    const old = before.filter((m) => m.level === level);
    const now = after.filter((m) => m.level === level);
    if (old.length === 0 && now.length === 0) continue;
    const diff: LevelDiff = { level, added: [], removed: [], changed: [], unchanged: [] };
    const pending = new Map<string, MeasureInput[]>();
    for (const m of old) pending.set(measureKey(m), [...(pending.get(measureKey(m)) ?? []), m]);
    for (const m of now) {
      const match = pending.get(measureKey(m))?.shift();
      if (!match) {
        diff.added.push(m);
        continue;
      }
      const changes = measureChanges(match, m);
      if (changes.length) diff.changed.push({ before: match, after: m, changes });
      else diff.unchanged.push(m);
    }
    // What is left of the old version had no counterpart, in the old version's order.
    const left = new Set([...pending.values()].flat());
    diff.removed.push(...old.filter((m) => left.has(m)));
    levels.push(diff);
  }
  const count = (k: 'added' | 'removed' | 'changed' | 'unchanged') =>
    levels.reduce((n, l) => n + l[k].length, 0);
  return {
    levels,
    counts: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      unchanged: count('unchanged'),
    },
  };
}

const VERSION_LABELS = { from: '对比的原版本', to: '对比的新版本' } as const;

/**
 * A version number from a query (?from=2&to=5). Left out: the fallback (null: there is none), or a 422 when no
 * fallback is given (required); a 422 naming the field in Chinese when it is not a version number.
 */
export function versionParam(text: unknown, field: 'from' | 'to', fallback?: number | null): number | null {
  if (text === undefined || (typeof text === 'string' && text.trim() === '')) {
    if (fallback !== undefined) return fallback;
    throw DomainError.validation([{ field, message: `请指定${VERSION_LABELS[field]}` }]);
  }
  if (typeof text !== 'string' || !/^\d{1,6}$/.test(text.trim()) || Number(text) < 1)
    throw DomainError.validation([{ field, message: `${VERSION_LABELS[field]}应为版本号(正整数)` }]);
  return Number(text);
}
