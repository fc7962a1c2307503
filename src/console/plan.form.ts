import type { FieldError } from '../common/errors/domain-error';
import type { MeasureAction, MeasureInput, MeasureParams } from '../enterprises/enterprise.types';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { POLLUTANTS, type Pollutant, type WarningLevel } from '../rulesets/ruleset.types';
import { FormBody, one } from './console-forms';

/**
 * The plan editor (一企一策): one block of inputs per measure, named m.<row>.<field>, with one input per action
 * parameter (m.<row>.p.<key>) instead of a JSON column. Every row carries every parameter input (the page's
 * script shows only the chosen action's); the mapping reads only the ones the row's action needs. Pure;
 * unit-tested both ways.
 */

export const POLLUTANT_NAMES: Record<Pollutant, string> = {
  so2: 'SO₂',
  nox: 'NOₓ',
  pm: '颗粒物',
  vocs: 'VOCs',
};

export interface ParamField {
  /** The key in the measure's params (plan.rules checks the same keys). */
  key: string;
  label: string;
  unit?: string;
  kind: 'number' | 'text';
  /** The action cannot do without it (plan.rules refuses the measure). */
  required: boolean;
  actions: readonly MeasureAction[];
}

/** The parameter inputs, each shown for the actions that take it. */
export const PARAM_FIELDS: readonly ParamField[] = [
  {
    key: 'percent',
    label: '限产比例',
    unit: '%',
    kind: 'number',
    required: true,
    actions: ['LIMIT_PERCENT'],
  },
  { key: 'share', label: '停产比例', unit: '%', kind: 'number', required: true, actions: ['STOP_SHARE'] },
  { key: 'unit', label: '停产对象', kind: 'text', required: false, actions: ['STOP_SHARE'] },
  {
    key: 'hours',
    label: '结焦时间',
    unit: '小时',
    kind: 'number',
    required: true,
    actions: ['EXTEND_COKING_HOURS'],
  },
  {
    key: 'tonsPerDay',
    label: '投料上限',
    unit: '吨/日',
    kind: 'number',
    required: true,
    actions: ['FEED_CAP'],
  },
  ...POLLUTANTS.map((p): ParamField => ({
    key: p,
    label: `${POLLUTANT_NAMES[p]}浓度限值`,
    unit: 'mg/m³',
    kind: 'number',
    required: false,
    actions: ['CONCENTRATION_CAP'],
  })),
];
const EDITOR_KEYS = new Set(PARAM_FIELDS.map((f) => f.key));
const fieldsFor = (action: string) => PARAM_FIELDS.filter((f) => f.actions.includes(action as MeasureAction));

/** One measure as the editor holds it: every value as typed. */
export interface PlanRow {
  level: string;
  line: string;
  action: string;
  /** Parameter inputs by key (every key of PARAM_FIELDS may be present, whatever the action). */
  params: Record<string, string>;
  /** Parameters the editor has no input for (from an import), as JSON in a hidden input, carried unchanged. */
  extra: string;
  description: string;
  fromHour: string;
  toHour: string;
  reduction: Record<Pollutant, string>;
  verification: string;
  remove?: boolean;
}

const text = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);

/** A stored measure as editor inputs. */
export function rowFromMeasure(m: MeasureInput): PlanRow {
  const params: Record<string, string> = {};
  const extra: MeasureParams = {};
  for (const [key, value] of Object.entries(m.params ?? {})) {
    if (EDITOR_KEYS.has(key)) params[key] = text(value);
    else extra[key] = value;
  }
  return {
    level: m.level,
    line: m.line ?? '',
    action: m.action,
    params,
    extra: Object.keys(extra).length ? JSON.stringify(extra) : '',
    description: m.description,
    fromHour: text(m.fromHour),
    toHour: text(m.toHour),
    reduction: Object.fromEntries(POLLUTANTS.map((p) => [p, text(m.reduction[p])])) as Record<
      Pollutant,
      string
    >,
    verification: m.verification,
  };
}

/** The editor's rows as posted (m.0 … m.<rowCount-1>; rows the script removed are simply absent). */
export function rowsFromBody(body: FormBody, rowCount: number): PlanRow[] {
  return Array.from({ length: rowCount }, (_, i) => {
    const f = (name: string) => one(body, `m.${i}.${name}`) ?? '';
    return {
      level: f('level'),
      line: f('line'),
      action: f('action'),
      params: Object.fromEntries(
        PARAM_FIELDS.map((p): [string, string] => [p.key, f(`p.${p.key}`)]).filter(([, v]) => v !== ''),
      ),
      extra: f('extra'),
      description: f('description'),
      fromHour: f('fromHour'),
      toHour: f('toHour'),
      reduction: Object.fromEntries(POLLUTANTS.map((p) => [p, f(p)])) as Record<Pollutant, string>,
      verification: f('verification'),
      remove: f('remove') !== '',
    };
  });
}

/** A row the editor leaves out: marked for removal, or with neither an action nor a description. */
export const isSkipped = (r: PlanRow): boolean => Boolean(r.remove) || (!r.action && !r.description);

const NUMBER = /^[-+]?\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

export interface PlanForm {
  plain: { measures: Array<Record<string, unknown>> };
  /** For each measure, the row it came from. */
  rowOf: number[];
  /**
   * What the form itself finds (a number that is not one, a required parameter left empty), as API field paths
   * (measures[k]…). When there are any, `plain` holds a stand-in for each bad value, so the plan's own checks can
   * still run and every error is shown at once.
   */
  errors: FieldError[];
}

/** The rows as the API's plan body (PUT /api/enterprises/:id/plan). */
export function planFromRows(rows: PlanRow[]): PlanForm {
  const measures: Array<Record<string, unknown>> = [];
  const rowOf: number[] = [];
  const errors: FieldError[] = [];
  rows.forEach((r, i) => {
    if (isSkipped(r)) return;
    const k = measures.length;
    const at = `measures[${k}]`;
    const params: MeasureParams = {};
    if (r.extra) {
      try {
        const extra: unknown = JSON.parse(r.extra);
        if (extra && typeof extra === 'object' && !Array.isArray(extra)) Object.assign(params, extra);
        else throw new Error('not an object');
      } catch {
        errors.push({ field: `${at}.params`, message: '附加参数无法读取,请重新打开编辑页' });
      }
    }
    for (const f of fieldsFor(r.action)) {
      const value = r.params[f.key]?.trim() ?? '';
      if (value === '') {
        if (f.required) errors.push({ field: `${at}.params.${f.key}`, message: '请填写' });
      } else if (f.kind === 'text') params[f.key] = value;
      else if (NUMBER.test(value)) params[f.key] = Number(value);
      else {
        errors.push({ field: `${at}.params.${f.key}`, message: `应为数字,填写的是“${value.slice(0, 20)}”` });
        params[f.key] = 0; // stand-in, so the plan's checks still see the parameter
      }
    }
    const reduction: Record<string, number> = {};
    for (const p of POLLUTANTS) {
      const value = r.reduction[p].trim();
      if (value !== '' && !NUMBER.test(value))
        errors.push({
          field: `${at}.reduction.${p}`,
          message: `应为数字(kg/d),填写的是“${value.slice(0, 20)}”`,
        });
      reduction[p] = NUMBER.test(value) ? Number(value) : 0;
    }
    const hour = (key: 'fromHour' | 'toHour') => {
      const value = r[key].trim();
      if (value === '') return null;
      if (INTEGER.test(value)) return Number(value);
      errors.push({ field: `${at}.${key}`, message: '应为不小于0的整数(小时)' });
      return null;
    };
    measures.push({
      level: r.level,
      line: r.line.trim() || null,
      action: r.action,
      params,
      description: r.description,
      fromHour: hour('fromHour'),
      toHour: hour('toHour'),
      reduction,
      verification: r.verification,
    });
    rowOf.push(i);
  });
  return { plain: { measures }, rowOf, errors };
}

/** The editor's form as the API's plan body. */
export function planFromForm(body: FormBody, rowCount: number): PlanForm {
  return planFromRows(rowsFromBody(body, rowCount));
}

/** The errors of the form and of the plan's checks together, one per field (the form's own come first). */
export function mergeErrors(form: FieldError[], checks: FieldError[]): FieldError[] {
  const seen = new Set(form.map((e) => e.field));
  return [...form, ...checks.filter((e) => !seen.has(e.field))];
}

const FIELD_LABELS: Record<string, string> = {
  level: '预警级别',
  line: '生产线/工序',
  action: '措施类型',
  params: '措施参数',
  description: '措施说明',
  fromHour: '起始响应小时',
  toHour: '截止响应小时',
  verification: '核查方式',
};

/** A measure's field in words: 限产比例, SO₂减排量, 核查方式 … */
export function measureFieldLabel(field: string): string {
  const param = /^params\.(.+)$/.exec(field);
  if (param) return PARAM_FIELDS.find((f) => f.key === param[1])?.label ?? '措施参数';
  const reduction = /^reduction\.(\w+)$/.exec(field);
  if (reduction) return `${POLLUTANT_NAMES[reduction[1] as Pollutant] ?? reduction[1]}减排量`;
  return FIELD_LABELS[field] ?? '措施';
}

/** Codes a rule message may still carry (so2, ORANGE) in the words the page uses. */
export function plainWords(message: string): string {
  return message
    .replace(/\b(so2|nox|pm|vocs)\b/g, (p) => POLLUTANT_NAMES[p as Pollutant])
    .replace(/\b(BLUE|YELLOW|ORANGE|RED)\b/g, (l) => LEVEL_NAMES[l as WarningLevel]);
}

export interface PlacedError {
  /** The measure (its position among the rows sent, from 0), or null for the plan as a whole. */
  measure: number | null;
  /** The input it belongs to, as named after m.<row>. (p.percent, so2, level …), or null. */
  input: string | null;
  /** "第2条措施 限产比例：应在0-100之间…" */
  text: string;
  message: string;
}

/** Where an error of the plan belongs on the editor, and how it reads. */
export function placeError(e: FieldError): PlacedError {
  const message = plainWords(e.message);
  const m = /^measures\[(\d+)\]\.?(.*)$/.exec(e.field);
  if (m) {
    const k = Number(m[1]);
    const field = m[2];
    const input = field.startsWith('params.')
      ? `p.${field.slice(7)}`
      : field.startsWith('reduction.')
        ? field.slice(10)
        : field || null;
    return { measure: k, input, text: `第${k + 1}条措施 ${measureFieldLabel(field)}：${message}`, message };
  }
  const total = /^measures\((\w+)\)\.reduction\.(\w+)$/.exec(e.field);
  if (total) {
    const level = LEVEL_NAMES[total[1] as WarningLevel] ?? total[1];
    const pollutant = POLLUTANT_NAMES[total[2] as Pollutant] ?? total[2];
    return { measure: null, input: null, text: `${level}预警 ${pollutant}减排合计：${message}`, message };
  }
  const label = e.field === 'season' ? '清单年度' : '措施';
  return { measure: null, input: null, text: `${label}：${message}`, message };
}

export interface EditorRow {
  index: number;
  /** 第N条措施, as the errors count them. */
  number: number;
  levels: Array<{ code: string; name: string; selected: boolean }>;
  row: PlanRow;
  params: Array<ParamField & { value: string; error: string | null; forActions: string }>;
  /** Errors by input (level, p.percent, so2 …); `row` for those of the measure as a whole. */
  errors: Record<string, string>;
  hasError: boolean;
}

/**
 * The editor's rows for the page: the level choices (the levels of the ruleset in force; a row's own level is
 * kept as a choice when that ruleset lacks it, so opening and saving never changes it silently), the parameter
 * inputs with their values, and each error next to its input.
 */
export function editorRows(
  rows: PlanRow[],
  levels: readonly WarningLevel[],
  errors: PlacedError[] = [],
): EditorRow[] {
  return rows.map((row, index) => {
    const mine = errors.filter((e) => e.measure === index);
    const byInput: Record<string, string> = {};
    for (const e of mine) {
      const key = e.input ?? 'row';
      byInput[key] = byInput[key] ? `${byInput[key]};${e.message}` : e.message;
    }
    const choices: string[] = [...levels];
    if (row.level && !choices.includes(row.level)) choices.push(row.level);
    return {
      index,
      number: index + 1,
      levels: choices.map((code) => ({
        code,
        name: levels.includes(code as WarningLevel)
          ? `${LEVEL_NAMES[code as WarningLevel]}预警`
          : `${LEVEL_NAMES[code as WarningLevel] ?? '未知'}预警(现行规则集无此级别)`,
        selected: code === row.level,
      })),
      row,
      params: PARAM_FIELDS.map((f) => ({
        ...f,
        value: row.params[f.key] ?? '',
        error: byInput[`p.${f.key}`] ?? null,
        forActions: f.actions.join(' '),
      })),
      errors: byInput,
      hasError: mine.length > 0,
    };
  });
}

/** An empty row for a new measure. */
export const blankRow = (): PlanRow => ({
  level: '',
  line: '',
  action: '',
  params: {},
  extra: '',
  description: '',
  fromHour: '',
  toHour: '',
  reduction: { so2: '', nox: '', pm: '', vocs: '' },
  verification: '',
});
