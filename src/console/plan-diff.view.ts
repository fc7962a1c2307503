import { measureParams } from '../documents/notice-document';
import {
  ACTION_NAMES,
  type MeasureInput,
  VERIFICATION_NAMES,
  type VerificationMethod,
} from '../enterprises/enterprise.types';
import type { FieldChange } from '../enterprises/plan-diff.rules';
import type { PlanDiffView, PlanVersionView } from '../enterprises/enterprises.service';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { measureFieldLabel, PARAM_FIELDS, plainWords } from './plan.form';

/** The plan's versions and their differences as the console shows them, in words. Pure; unit-tested. */

const SOURCE_NAMES: Record<string, string> = { API: '在线编辑', IMPORT: '清单导入', SEED: '初始数据' };

export interface VersionRow {
  version: number;
  season: string;
  createdAt: Date;
  /** The user's display name; 系统 for the service itself. */
  by: string;
  source: string;
  measureCount: number;
  relaxations: string[];
}

export function versionRows(versions: PlanVersionView[]): VersionRow[] {
  return versions.map((v) => ({
    version: v.version,
    season: v.season,
    createdAt: v.createdAt,
    by: v.createdByName ?? (v.createdBy === 'system' || v.createdBy === null ? '系统' : v.createdBy),
    source: SOURCE_NAMES[v.source] ?? v.source,
    measureCount: v.measureCount,
    relaxations: v.relaxations.map((r) => plainWords(r.message)),
  }));
}

const number = (v: number): string => String(Math.round(v * 1000) / 1000);

/** A compared field's value in words, with its unit. */
export function fieldValue(field: string, value: string | number | null): string {
  if (field === 'fromHour') return value === null ? '响应开始时' : `第${value}小时`;
  if (field === 'toHour') return value === null ? '响应结束' : `第${value}小时`;
  if (value === null || value === '') return '无';
  if (field.startsWith('reduction.')) return `${typeof value === 'number' ? number(value) : value} kg/d`;
  if (field === 'verification') return VERIFICATION_NAMES[value as VerificationMethod] ?? String(value);
  const param = /^params\.(.+)$/.exec(field);
  if (param) {
    const unit = PARAM_FIELDS.find((f) => f.key === param[1])?.unit;
    return unit ? `${value} ${unit}` : String(value);
  }
  return String(value);
}

export interface MeasureSummary {
  line: string;
  action: string;
  params: string;
  description: string;
}

const summary = (m: MeasureInput): MeasureSummary => ({
  line: m.line?.trim() || '全厂',
  action: ACTION_NAMES[m.action] ?? m.action,
  params: measureParams(m.action, m.params ?? {}),
  description: m.description,
});

export interface ChangeRow {
  field: string;
  label: string;
  before: string;
  after: string;
}

const changeRow = (c: FieldChange): ChangeRow => ({
  field: c.field,
  label: measureFieldLabel(c.field),
  before: fieldValue(c.field, c.before),
  after: fieldValue(c.field, c.after),
});

/** The diff, level by level, with measures and changes in words. */
export function planDiffView(diff: PlanDiffView) {
  return {
    counts: diff.counts,
    from: versionRows([diff.from])[0],
    to: versionRows([diff.to])[0],
    levels: diff.levels.map((l) => ({
      level: l.level,
      levelName: `${LEVEL_NAMES[l.level]}预警`,
      added: l.added.map(summary),
      removed: l.removed.map(summary),
      changed: l.changed.map((c) => ({ ...summary(c.after), changes: c.changes.map(changeRow) })),
      unchanged: l.unchanged.length,
      any: l.added.length + l.removed.length + l.changed.length > 0,
    })),
  };
}
