import { TOLERANCE_RANGES, tolerancesOf } from '../reconciliation/reconciliation.rules';
import {
  addMeasuresOverride,
  ESCALATION_SOURCES,
  type EscalationSource,
  type WarningEscalation,
} from '../orders/escalation.rules';
import type { ReconciliationTolerances } from './ruleset.types';
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../common/errors/domain-error';
import { MAX_FORECAST_DAYS, PRIMARY_POLLUTANTS } from '../consultations/consultation.rules';
import {
  POLLUTANTS,
  type Pollutant,
  type ReductionRatio,
  requiredRatio,
  type RulesetDefinition,
  type WarningLevel,
} from './ruleset.types';

/**
 * What an administrator may change when deriving a new ruleset version; the level rules stay the base's. Values
 * arrive as sent (the DTO checks only their JSON types), so every one is checked here, each problem named.
 */
export interface RulesetOverrides {
  /** Per level: one share for all four pollutants, or an object of some of them (the others keep the base's). */
  reductionRatios?: Partial<Record<string, unknown>>;
  liftBelowHours?: number;
  leadTimeHours?: number;
  detailedDays?: number;
  deadlines?: { receiptMinHours?: number; reportWithinHours?: number };
  approval?: { draftToApprovalHours?: number; approvalToReleaseHours?: number };
  episodes?: { mergeGapHours?: number; pollutedDay?: { comparison?: unknown; aqi?: unknown } };
  responses?: { warningPollutants?: unknown; ozonePollutants?: unknown };
  /** The meters' tolerances against the orders (src/reconciliation), each within TOLERANCE_RANGES. */
  reconciliation?: Partial<Record<keyof ReconciliationTolerances, unknown>>;
  /** Per tag or JOINT_CONTROL_AREA: NEXT_LEVEL, GRADE_LOWER, {add: [measure template…]}, or null to stop escalating it. */
  escalations?: Partial<Record<string, unknown>>;
}

const isInt = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const isShare = (v: unknown): v is number => typeof v === 'number' && v > 0 && v <= 1;

const RATIO_MESSAGE = '减排比例应大于0且不超过1(如 0.2 表示 20%)';

/**
 * A level's new ratio: a number as it is; an object per pollutant, each share checked and unknown pollutants
 * named, the pollutants it leaves out keeping the base's share for that level (none when the base sets none).
 */
function derivedRatio(
  field: string,
  given: unknown,
  base: ReductionRatio | undefined,
  errors: FieldError[],
): ReductionRatio | null {
  if (typeof given === 'number') {
    if (isShare(given)) return given;
    errors.push({ field, message: RATIO_MESSAGE });
    return null;
  }
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    errors.push({
      field,
      message: '应为一个比例(如 0.2),或按污染物分别填写的对象(如 {"pm": 0.25})',
    });
    return null;
  }
  const entries = Object.entries(given);
  if (entries.length === 0) {
    errors.push({ field, message: `按污染物填写时至少填写一种(可选:${POLLUTANTS.join('、')})` });
    return null;
  }
  const before = errors.length;
  for (const [p, v] of entries) {
    if (!(POLLUTANTS as readonly string[]).includes(p))
      errors.push({ field: `${field}.${p}`, message: `未知污染物 ${p}(可选:${POLLUTANTS.join('、')})` });
    else if (!isShare(v)) errors.push({ field: `${field}.${p}`, message: RATIO_MESSAGE });
  }
  if (errors.length > before) return null;
  const ratio: Partial<Record<Pollutant, number>> = {};
  for (const p of POLLUTANTS) {
    const share = (given as Partial<Record<Pollutant, number>>)[p] ?? requiredRatio(base, p);
    if (share !== null) ratio[p] = share;
  }
  return ratio;
}

/** A list of primary pollutants: known ones (PRIMARY_POLLUTANTS), each once. */
function pollutantList(field: string, given: unknown, errors: FieldError[]): string[] | null {
  if (!Array.isArray(given) || !given.every((v) => typeof v === 'string')) {
    errors.push({ field, message: `应为首要污染物列表(可选:${PRIMARY_POLLUTANTS.join('、')})` });
    return null;
  }
  const before = errors.length;
  given.forEach((v: string, i) => {
    if (!(PRIMARY_POLLUTANTS as readonly string[]).includes(v))
      errors.push({
        field: `${field}[${i}]`,
        message: `未知首要污染物 ${v}(可选:${PRIMARY_POLLUTANTS.join('、')})`,
      });
    else if (given.indexOf(v) !== i) errors.push({ field: `${field}[${i}]`, message: `${v} 重复` });
  });
  return errors.length > before ? null : [...given];
}

/**
 * A new version's definition: the base's, with the overrides applied. Returns the field errors (every problem
 * of the request, at once), and the changes as {path: [before, after]} for the audit log. Ratios exist only for
 * the base's levels.
 */
export function deriveDefinition(
  base: { levels: readonly WarningLevel[]; definition: RulesetDefinition },
  overrides: RulesetOverrides,
): { definition: RulesetDefinition; changes: Record<string, [unknown, unknown]>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const changes: Record<string, [unknown, unknown]> = {};
  const definition: RulesetDefinition = structuredClone(base.definition);
  const set = (path: string, before: unknown, after: unknown) => {
    if (!isDeepStrictEqual(before, after)) changes[path] = [before ?? null, after];
  };
  for (const [level, given] of Object.entries(overrides.reductionRatios ?? {})) {
    const field = `reductionRatios.${level}`;
    if (!(base.levels as readonly string[]).includes(level)) {
      errors.push({ field, message: `基础规则集没有${level}级别(可选:${base.levels.join('、')})` });
      continue;
    }
    const before = definition.reductionRatios[level as WarningLevel];
    const ratio = derivedRatio(field, given, before, errors);
    if (ratio === null) continue;
    set(field, before, ratio);
    definition.reductionRatios[level as WarningLevel] = ratio;
  }

  // Whole hours (and days) within a range, each at its path.
  const d = definition;
  const integer = (
    path: string,
    v: number | undefined,
    [min, max, unit]: readonly [number, number, string],
    read: () => number | undefined,
    write: (v: number) => void,
  ) => {
    if (v === undefined) return;
    if (!isInt(v, min, max)) {
      errors.push({ field: path, message: `应为 ${min}-${max} 之间的整数${unit}` });
      return;
    }
    set(path, read(), v);
    write(v);
  };
  const o = overrides;
  integer(
    'liftBelowHours',
    o.liftBelowHours,
    [1, 240, '小时'],
    () => d.liftBelowHours,
    (v) => (d.liftBelowHours = v),
  );
  integer(
    'leadTimeHours',
    o.leadTimeHours,
    [0, 168, '小时'],
    () => d.leadTimeHours,
    (v) => (d.leadTimeHours = v),
  );
  integer(
    'detailedDays',
    o.detailedDays,
    [1, MAX_FORECAST_DAYS, '天'],
    () => d.detailedDays,
    (v) => (d.detailedDays = v),
  );
  for (const key of ['receiptMinHours', 'reportWithinHours'] as const)
    integer(
      `deadlines.${key}`,
      o.deadlines?.[key],
      [0, 72, '小时'],
      () => d.deadlines[key],
      (v) => (d.deadlines[key] = v),
    );
  for (const key of ['draftToApprovalHours', 'approvalToReleaseHours'] as const)
    integer(
      `approval.${key}`,
      o.approval?.[key],
      [1, 72, '小时'],
      () => d.approval[key],
      (v) => (d.approval[key] = v),
    );
  integer(
    'episodes.mergeGapHours',
    o.episodes?.mergeGapHours,
    [0, 240, '小时'],
    () => d.episodes.mergeGapHours,
    (v) => (d.episodes.mergeGapHours = v),
  );

  const polluted = overrides.episodes?.pollutedDay;
  if (polluted !== undefined) {
    const field = 'episodes.pollutedDay';
    if (polluted === null || typeof polluted !== 'object' || Array.isArray(polluted))
      errors.push({ field, message: '应为 {"comparison": "gt" 或 "gte", "aqi": 0-500}' });
    else {
      const { comparison, aqi } = polluted;
      const before = errors.length;
      if (comparison !== undefined && comparison !== 'gt' && comparison !== 'gte')
        errors.push({
          field: `${field}.comparison`,
          message: '应为 gt(AQI 大于)或 gte(AQI 大于等于)',
        });
      if (aqi !== undefined && !isInt(aqi, 0, 500))
        errors.push({ field: `${field}.aqi`, message: '应为 0-500 之间的整数' });
      if (errors.length === before) {
        const current = d.episodes.pollutedDay;
        const next = {
          comparison: (comparison as 'gt' | 'gte' | undefined) ?? current.comparison,
          aqi: (aqi as number | undefined) ?? current.aqi,
        };
        set(field, current, next);
        d.episodes.pollutedDay = next;
      }
    }
  }

  const lists = {
    warningPollutants: d.responses.warningPollutants,
    ozonePollutants: d.responses.ozonePollutants,
  };
  let listsOk = true;
  for (const key of ['warningPollutants', 'ozonePollutants'] as const) {
    const given = overrides.responses?.[key];
    if (given === undefined) continue;
    const list = pollutantList(`responses.${key}`, given, errors);
    if (list === null) listsOk = false;
    else lists[key] = list;
  }
  if (listsOk && overrides.responses) {
    const w = overrides.responses.warningPollutants;
    if (w !== undefined && lists.warningPollutants.length === 0) {
      listsOk = false;
      errors.push({ field: 'responses.warningPollutants', message: '至少一种首要污染物计入颜色预警' });
    }
    const both = lists.ozonePollutants.filter((p) => lists.warningPollutants.includes(p));
    if (both.length) {
      listsOk = false;
      // Named on the list that was sent (on ozonePollutants when both were).
      const field =
        overrides.responses.ozonePollutants !== undefined
          ? 'responses.ozonePollutants'
          : 'responses.warningPollutants';
      errors.push({
        field,
        message: `${both.join('、')} 不能同时计入颜色预警和臭氧污染应对`,
      });
    }
    if (listsOk)
      for (const key of ['warningPollutants', 'ozonePollutants'] as const) {
        if (overrides.responses[key] === undefined) continue;
        set(`responses.${key}`, d.responses[key], lists[key]);
        d.responses[key] = lists[key];
      }
  }

  for (const [key, given] of Object.entries(overrides.reconciliation ?? {})) {
    if (given === undefined) continue;
    const field = `reconciliation.${key}`;
    const range = TOLERANCE_RANGES[key as keyof ReconciliationTolerances];
    if (!range) {
      errors.push({ field, message: `未知的核查容差(可选:${Object.keys(TOLERANCE_RANGES).join('、')})` });
      continue;
    }
    const [min, max, label] = range;
    const whole = key === 'graceHours' || key === 'lateDataMinutes';
    if (
      typeof given !== 'number' ||
      !Number.isFinite(given) ||
      given < min ||
      given > max ||
      (whole && !Number.isInteger(given))
    ) {
      errors.push({ field, message: `${label}应为 ${min}-${max} 之间的${whole ? '整数' : '数'}` });
      continue;
    }
    const before = tolerancesOf(d)[key as keyof ReconciliationTolerances];
    set(field, before, given);
    d.reconciliation = { ...d.reconciliation, [key]: given };
  }
  for (const [source, given] of Object.entries(overrides.escalations ?? {})) {
    if (given === undefined) continue;
    const field = `escalations.${source}`;
    if (!(ESCALATION_SOURCES as readonly string[]).includes(source)) {
      errors.push({ field, message: `未知的从严管控对象(可选:${ESCALATION_SOURCES.join('、')})` });
      continue;
    }
    let value: WarningEscalation | null;
    if (given === 'NEXT_LEVEL' || given === 'GRADE_LOWER' || given === null) value = given;
    else if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
      value = addMeasuresOverride(field, given as Record<string, unknown>, errors);
      if (!value) continue;
    } else {
      errors.push({
        field,
        message:
          '应为 NEXT_LEVEL(执行高一级预警措施)、GRADE_LOWER(按低一级绩效等级管控)、{"add": [措施…]}(另加所列措施)或 null(不从严)',
      });
      continue;
    }
    const key = source as EscalationSource;
    const before = d.escalations?.[key] ?? null;
    set(field, before, value);
    const next = { ...d.escalations };
    if (value === null) delete next[key];
    else next[key] = value;
    d.escalations = next;
  }
  return { definition, changes, errors };
}

/** A ruleset id: upper-case letters, digits and dashes, like the seeded MEE-2024. */
export const RULESET_ID_PATTERN = /^[A-Z][A-Z0-9-]{2,39}$/;
