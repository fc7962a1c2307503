import type { FieldError } from '../common/errors/domain-error';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { type GradeMinimum, POLLUTANTS, WARNING_LEVELS, type WarningLevel } from '../rulesets/ruleset.types';
import { MAX_RESPONSE_HOUR, tooLong } from './enterprise.rules';
import {
  ACTION_NAMES,
  type Emissions,
  type Grade,
  MEASURE_ACTIONS,
  type MeasureAction,
  type MeasureInput,
  type MeasureParams,
  type ProductionLine,
  VERIFICATION_METHODS,
  VOLUNTARY_GRADES,
} from './enterprise.types';
import { gradeMinimumWarnings, monotonyWarnings, type PlanWarning } from './plan-monotony.rules';

export type { PlanWarning } from './plan-monotony.rules';

/** What each action's parameters must hold; numbers are checked for range. */
const PARAM_RULES: Partial<
  Record<MeasureAction, Array<{ key: string; min: number; max: number; label: string }>>
> = {
  LIMIT_PERCENT: [{ key: 'percent', min: 0, max: 100, label: '限产比例(%)' }],
  STOP_SHARE: [{ key: 'share', min: 0, max: 100, label: '停产比例(%)' }],
  EXTEND_COKING_HOURS: [{ key: 'hours', min: 1, max: 240, label: '结焦时间(小时)' }],
  FEED_CAP: [{ key: 'tonsPerDay', min: 0, max: 1e7, label: '投料上限(吨/日)' }],
};
const CONCENTRATION_KEYS = ['so2', 'nox', 'pm', 'vocs'];
export const MAX_PARAMS_CHARS = 2000;

/** Longest texts and most measures a plan may hold, whichever way it arrives (API, console, import). */
export const PLAN_LIMITS = { season: 20, measures: 200, line: 200, description: 1000 } as const;

/**
 * The one normal form of a plan's measures, for the API and the import alike: text trimmed, an empty line
 * null, missing hours null. Export writes this form and the import reads it back unchanged.
 */
export function normaliseMeasures(measures: MeasureInput[]): MeasureInput[] {
  return measures.map((m) => ({
    ...m,
    line: m.line?.trim() || null,
    description: m.description.trim(),
    fromHour: m.fromHour ?? null,
    toHour: m.toHour ?? null,
  }));
}

export interface PlanCheck {
  errors: FieldError[];
  warnings: PlanWarning[];
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Problems with one measure's parameters, as field errors under `prefix` (also a ruleset's added measures). */
export function paramErrors(action: MeasureAction, params: MeasureParams, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  // Parameters travel in every order and email of the measure: a few numbers and short notes, not documents.
  const size = JSON.stringify(params).length;
  if (size > MAX_PARAMS_CHARS)
    errors.push({
      field: `${prefix}.params`,
      message: `措施参数过大(${size} 字符,上限 ${MAX_PARAMS_CHARS})`,
    });
  // Only what the spreadsheet can carry back: names without surrounding spaces, text or finite numbers.
  for (const [key, value] of Object.entries(params)) {
    if (key === '' || key !== key.trim())
      errors.push({
        field: `${prefix}.params`,
        message: `措施参数名 ${JSON.stringify(key.slice(0, 50))} 不能为空或以空格开头、结尾`,
      });
    else if (typeof value !== 'string' && !isNumber(value))
      errors.push({ field: `${prefix}.params.${key}`, message: `措施参数 ${key} 应为数值或文字` });
  }
  for (const rule of PARAM_RULES[action] ?? []) {
    const value = params[rule.key];
    if (!isNumber(value))
      errors.push({
        field: `${prefix}.params.${rule.key}`,
        message: `${ACTION_NAMES[action]}需要数值参数 ${rule.key}(${rule.label})`,
      });
    else if (value < rule.min || value > rule.max) {
      errors.push({
        field: `${prefix}.params.${rule.key}`,
        message: `${rule.label}应在${rule.min}-${rule.max}之间,实际为${value}`,
      });
    }
  }
  if (action === 'CONCENTRATION_CAP') {
    const given = CONCENTRATION_KEYS.filter((k) => params[k] !== undefined);
    if (given.length === 0)
      errors.push({
        field: `${prefix}.params`,
        message: '排放浓度限值需至少给出 so2、nox、pm、vocs 之一(mg/m³)',
      });
    for (const k of given) {
      const value = params[k];
      if (!isNumber(value) || value < 0)
        errors.push({ field: `${prefix}.params.${k}`, message: `浓度限值 ${k} 应为非负数(mg/m³)` });
    }
  }
  return errors;
}

/** Is the measure in force at this elapsed hour of the response? */
export function inForceAt(m: Pick<MeasureInput, 'fromHour' | 'toHour'>, hour: number): boolean {
  return (m.fromHour ?? 0) <= hour && (m.toHour == null || hour < m.toHour);
}

/**
 * The reductions a level's plan achieves at the start of the response: the sum of the measures in force
 * at hour 0. Adequacy and the "larger than baseline" check use this.
 */
export function levelReduction(measures: MeasureInput[], level: WarningLevel): Emissions {
  const total: Emissions = { so2: 0, nox: 0, pm: 0, vocs: 0 };
  for (const m of measures) {
    if (m.level !== level || !inForceAt(m, 0)) continue;
    for (const p of POLLUTANTS) total[p] += m.reduction[p];
  }
  return total;
}

/**
 * Checks an enterprise's measures. Errors (nothing may be written): unknown action/verification, a level the
 * ruleset lacks, bad parameters, negative or non-numeric reductions, a window that ends before it starts, a
 * level's total reduction above the enterprise's baseline. Warnings (accepted): a higher level that drops or
 * relaxes a lower level's measure (plan-monotony.rules), a grade's ruleset minimum not met, a higher level
 * reducing less than a lower one, an A/A+/LEADING enterprise with mandatory measures.
 */
export function checkPlan(input: {
  grade: Grade;
  baseline: Emissions;
  season?: string | null;
  measures: MeasureInput[];
  levels: readonly WarningLevel[];
  /** Protected (保障类): held to its approved load, not to its grade's minimum. */
  protected?: boolean;
  /** The enterprise's lines: a grade minimum such as STOP must hold for each. */
  lines?: readonly ProductionLine[];
  /** The ruleset's gradeMinimums. */
  gradeMinimums?: Partial<Record<string, GradeMinimum>>;
}): PlanCheck {
  const errors: FieldError[] = [];
  const warnings: PlanWarning[] = [];
  const seasonTooLong = tooLong(input.season, PLAN_LIMITS.season, '清单年度');
  if (seasonTooLong) errors.push({ field: 'season', message: seasonTooLong });
  if (input.measures.length > PLAN_LIMITS.measures) {
    errors.push({
      field: 'measures',
      message: `一家企业最多${PLAN_LIMITS.measures}条措施,实际${input.measures.length}条`,
    });
    return { errors, warnings };
  }
  input.measures.forEach((m, i) => {
    const f = `measures[${i}]`;
    if (!(WARNING_LEVELS as readonly string[]).includes(m.level))
      errors.push({ field: `${f}.level`, message: `未知预警级别 ${m.level.slice(0, 20)}` });
    else if (!input.levels.includes(m.level)) {
      errors.push({
        field: `${f}.level`,
        message: `现行规则集没有${m.level}级别(可用:${input.levels.join('、')})`,
      });
    }
    if (!(MEASURE_ACTIONS as readonly string[]).includes(m.action)) {
      errors.push({
        field: `${f}.action`,
        message: `未知措施类型 ${m.action.slice(0, 40)},可选:${MEASURE_ACTIONS.join(', ')}`,
      });
    } else {
      errors.push(...paramErrors(m.action, m.params ?? {}, f));
    }
    if (!(VERIFICATION_METHODS as readonly string[]).includes(m.verification)) {
      errors.push({
        field: `${f}.verification`,
        message: `未知核查方式 ${m.verification.slice(0, 40)},可选:${VERIFICATION_METHODS.join(', ')}`,
      });
    }
    if (!m.description?.trim()) errors.push({ field: `${f}.description`, message: '措施描述不能为空' });
    for (const [key, max, label] of [
      ['description', PLAN_LIMITS.description, '措施描述'],
      ['line', PLAN_LIMITS.line, '生产线/工序'],
    ] as const) {
      const problem = tooLong(m[key], max, label);
      if (problem) errors.push({ field: `${f}.${key}`, message: problem });
    }
    for (const p of POLLUTANTS) {
      const v = m.reduction?.[p];
      if (!isNumber(v)) errors.push({ field: `${f}.reduction.${p}`, message: `${p} 减排量应为数值(kg/d)` });
      else if (v < 0) errors.push({ field: `${f}.reduction.${p}`, message: `${p} 减排量不能为负数` });
      else if (v > input.baseline[p]) {
        errors.push({
          field: `${f}.reduction.${p}`,
          message: `${p} 减排量 ${v} 超过企业基准排放 ${input.baseline[p]} kg/d`,
        });
      }
    }
    for (const key of ['fromHour', 'toHour'] as const) {
      const v = m[key];
      if (v != null && (!Number.isInteger(v) || v < 0 || v > MAX_RESPONSE_HOUR))
        errors.push({ field: `${f}.${key}`, message: `响应小时数应为0-${MAX_RESPONSE_HOUR}之间的整数` });
    }
    if (m.fromHour != null && m.toHour != null && m.toHour <= m.fromHour) {
      errors.push({ field: `${f}.toHour`, message: '措施截止小时应晚于起始小时' });
    }
  });
  if (errors.length) return { errors, warnings };

  const present = input.levels.filter((level) => input.measures.some((m) => m.level === level));
  for (const level of present) {
    const total = levelReduction(input.measures, level);
    for (const p of POLLUTANTS) {
      if (total[p] > input.baseline[p] + 1e-9) {
        errors.push({
          field: `measures(${level}).reduction.${p}`,
          message: `${level}级措施 ${p} 减排合计 ${round(total[p])} 超过企业基准排放 ${input.baseline[p]} kg/d`,
        });
      }
    }
  }
  warnings.push(...planWarnings(input));
  return { errors, warnings };
}

/** The warnings of a plan already free of errors (also run over stored plans for the adequacy page). */
export function planWarnings(input: {
  grade: Grade;
  protected?: boolean;
  measures: MeasureInput[];
  levels: readonly WarningLevel[];
  lines?: readonly ProductionLine[];
  gradeMinimums?: Partial<Record<string, GradeMinimum>>;
}): PlanWarning[] {
  const warnings: PlanWarning[] = [
    ...monotonyWarnings(input.measures, input.levels),
    ...gradeMinimumWarnings({
      grade: input.grade,
      protected: input.protected,
      measures: input.measures,
      levels: input.levels,
      lines: input.lines,
      minimums: input.gradeMinimums,
    }),
  ];
  const present = input.levels.filter((l) => input.measures.some((m) => m.level === l));
  for (let i = 1; i < present.length; i++) {
    const lower = levelReduction(input.measures, present[i - 1]);
    const higher = levelReduction(input.measures, present[i]);
    const less = POLLUTANTS.filter((p) => higher[p] + 1e-9 < lower[p]);
    if (less.length)
      warnings.push({
        code: 'LEVEL_REDUCTION_LOWER',
        level: present[i],
        line: null,
        message: `${LEVEL_NAMES[present[i]]}预警措施的 ${less.join('、')} 减排量低于${LEVEL_NAMES[present[i - 1]]}预警`,
        measureIndex: input.measures.findIndex((m) => m.level === present[i]),
      });
  }
  if (VOLUNTARY_GRADES.includes(input.grade) && input.measures.some((m) => m.action !== 'VOLUNTARY')) {
    warnings.push({
      code: 'VOLUNTARY_GRADE_MANDATORY',
      level: null,
      line: null,
      message: 'A/A+/引领性企业按规定自主减排,却含有强制性措施',
      measureIndex: input.measures.findIndex((m) => m.action !== 'VOLUNTARY'),
    });
  }
  return warnings;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;
