import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/audit-chain';
import { WARNING_LEVELS, type WarningLevel } from '../rulesets/ruleset.types';
import type { Enterprise } from './enterprise.entity';
import { diff, toEnterpriseColumns, toEnterpriseInput } from './enterprise.mapper';
import { type EnterpriseInput, GRADE_NAMES, type Grade, type MeasureInput } from './enterprise.types';
import { type ColumnKey, COLUMNS, toRows } from './reduction-list.layout';

/**
 * What an import would do to each enterprise of the file, worked out before anything is written: the
 * preview shows it, the import writes only what it says changes, and the digest ties the two together.
 */

/** An enterprise as stored now: its fields, whether archived, and its current plan. */
export interface StoredEnterprise {
  id: string;
  input: EnterpriseInput;
  archived: boolean;
  plan: { version: number; season: string; measures: MeasureInput[] } | null;
}

/** An enterprise as the file has it (season already defaulted to the current list season). */
export interface IncomingEnterprise {
  row: number;
  input: EnterpriseInput;
  season: string;
  measures: MeasureInput[];
}

export type ChangeKind = 'added' | 'updated' | 'unchanged';

/** One changed column as people read it in the sheet: its Chinese header, the old and the new cell text. */
export interface FieldChange {
  column: string;
  before: string;
  after: string;
}

export interface PreviewRow {
  row: number;
  creditCode: string;
  name: string;
  countyCode: string;
  kind: ChangeKind;
  /** The enterprise's own fields (or its archived state) change: the row is written. */
  enterpriseChanged: boolean;
  /** Its plan (season or measures) changes: a new plan version. */
  planChanged: boolean;
  changes: FieldChange[];
  /** Per level, measures added and removed, e.g. "黄色预警措施:新增1条、删除1条". */
  measureChanges: string[];
}

const LEVEL_LABELS: Record<WarningLevel, string> = {
  BLUE: '蓝色',
  YELLOW: '黄色',
  ORANGE: '橙色',
  RED: '红色',
};
/** The enterprise columns (the season is a plan change). */
const FIELD_COLUMNS = COLUMNS.slice(0, 18);
const SHOWN_CHARS = 60;

/** The input as the writer would store it (trimmed name, protected fields only when protected …). */
export function storedForm(input: EnterpriseInput): EnterpriseInput {
  return toEnterpriseInput(toEnterpriseColumns(input) as Enterprise);
}

/** A measure as the writer stores it, as comparable text. */
export function measureKey(m: MeasureInput): string {
  return canonicalJson({
    level: m.level,
    line: m.line ?? null,
    action: m.action,
    params: m.params ?? {},
    description: m.description.trim(),
    fromHour: m.fromHour ?? null,
    toHour: m.toHour ?? null,
    reduction: {
      so2: Number(m.reduction.so2),
      nox: Number(m.reduction.nox),
      pm: Number(m.reduction.pm),
      vocs: Number(m.reduction.vocs),
    },
    verification: m.verification,
  });
}

/** Chinese names for the coded cells a person reads in a change (industry names come from the database). */
export interface DisplayNames {
  industries: Record<string, string>;
}

const CONTROL_TAG_NAMES: Record<string, string> = {
  DIFFERENTIATED_CONTROL: '差异化管控',
  NO_DRY_QUENCHING: '未配套干熄焦',
  BUILT_UP_AREA: '建成区',
};

export function classifyEnterprise(
  item: IncomingEnterprise,
  stored: StoredEnterprise | undefined,
  names: DisplayNames = { industries: {} },
): PreviewRow {
  const base = {
    row: item.row,
    creditCode: item.input.creditCode,
    name: item.input.name.trim(),
    countyCode: item.input.countyCode,
  };
  if (!stored)
    return {
      ...base,
      kind: 'added',
      enterpriseChanged: true,
      planChanged: true,
      changes: [],
      measureChanges: [],
    };
  const fieldsDiffer = Object.keys(diff(storedForm(stored.input), storedForm(item.input))).length > 0;
  const changes = fieldsDiffer ? fieldChanges(stored.input, item.input, names) : [];
  if (stored.archived) changes.push({ column: '状态', before: '已归档', after: '恢复为在册' });
  const before = stored.plan;
  // No plan stored and no measures in the file: there is no plan to write (the export leaves the season empty).
  const noPlan = before === null && item.measures.length === 0;
  const seasonDiffers = !noPlan && before?.season !== item.season;
  if (seasonDiffers) changes.push({ column: '清单年度', before: before?.season ?? '', after: item.season });
  const oldKeys = (before?.measures ?? []).map(measureKey);
  const newKeys = item.measures.map(measureKey);
  const measuresDiffer = canonicalJson(oldKeys) !== canonicalJson(newKeys);
  const measureChanges = measuresDiffer ? summariseMeasures(before?.measures ?? [], item.measures) : [];
  const enterpriseChanged = fieldsDiffer || stored.archived;
  const planChanged = !noPlan && (before === null || seasonDiffers || measuresDiffer);
  return {
    ...base,
    kind: enterpriseChanged || planChanged ? 'updated' : 'unchanged',
    enterpriseChanged,
    planChanged,
    changes,
    measureChanges,
  };
}

/** The enterprise columns whose cell text differs, old → new (long cells cut short). */
function fieldChanges(before: EnterpriseInput, after: EnterpriseInput, names: DisplayNames): FieldChange[] {
  const [b] = toRows(storedForm(before), null, []);
  const [a] = toRows(storedForm(after), null, []);
  const shown = (key: ColumnKey, text: string): string => {
    if (key === 'grade') return GRADE_NAMES[text as Grade] ?? text;
    if (key === 'industry') return names.industries[text] ?? text;
    if (key === 'controlTags')
      return text
        .split(';')
        .filter(Boolean)
        .map((t) => CONTROL_TAG_NAMES[t] ?? t)
        .join('、');
    return shorten(text);
  };
  const changes = FIELD_COLUMNS.filter((c) => (b[c.key] ?? '') !== (a[c.key] ?? '')).map((c) => ({
    column: c.label,
    before: shown(c.key, b[c.key] ?? ''),
    after: shown(c.key, a[c.key] ?? ''),
  }));
  // Values equal as text but not as stored (e.g. a number's precision): still say which field.
  return changes.length ? changes : [{ column: '企业信息', before: '', after: '有改动' }];
}

/** Per level: how many measures the file adds and drops (a measure edited counts as one of each). */
export function summariseMeasures(before: MeasureInput[], after: MeasureInput[]): string[] {
  const lines: string[] = [];
  for (const level of WARNING_LEVELS) {
    const old = before.filter((m) => m.level === level).map(measureKey);
    const neu = after.filter((m) => m.level === level).map(measureKey);
    const remaining = [...old];
    let added = 0;
    for (const key of neu) {
      const at = remaining.indexOf(key);
      if (at >= 0) remaining.splice(at, 1);
      else added++;
    }
    const removed = remaining.length;
    const parts = [added ? `新增${added}条` : '', removed ? `删除${removed}条` : ''].filter(Boolean);
    if (parts.length) lines.push(`${LEVEL_LABELS[level]}预警措施:${parts.join('、')}`);
    else if (canonicalJson(old) !== canonicalJson(neu)) lines.push(`${LEVEL_LABELS[level]}预警措施:顺序调整`);
  }
  return lines;
}

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

export function countKinds(rows: PreviewRow[]): Record<ChangeKind, number> {
  const counts = { added: 0, updated: 0, unchanged: 0 };
  for (const r of rows) counts[r.kind]++;
  return counts;
}

/**
 * Names exactly what an import of this file would do now: the file's bytes, and for each of its enterprises
 * the stored state it would change (or that there is none) and its warnings. Any change in between (an edit,
 * another import, a ruleset that warns differently) gives another digest.
 */
export function importDigest(
  fileSha256: string,
  items: Array<{ creditCode: string; stored: StoredEnterprise | undefined }>,
  warnings: Array<{ message: string }>,
): string {
  const digester = importDigester(fileSha256);
  digester.add(items);
  return digester.digest(warnings);
}

/**
 * `importDigest` taken a chunk of the file's enterprises at a time (in file order), so that an import need not
 * hold them all: `add` each chunk, then `digest` with the warnings. The same value as `importDigest`.
 */
export function importDigester(fileSha256: string): {
  add(items: Array<{ creditCode: string; stored: StoredEnterprise | undefined }>): void;
  digest(warnings: Array<{ message: string }>): string;
} {
  const hash = createHash('sha256');
  hash.update(`${fileSha256}\n`);
  const add = (items: Array<{ creditCode: string; stored: StoredEnterprise | undefined }>): void => {
    for (const { creditCode, stored } of items)
      hash.update(
        `${creditCode}:${
          stored
            ? canonicalJson([
                stored.id,
                storedForm(stored.input),
                stored.archived,
                stored.plan && [
                  stored.plan.version,
                  stored.plan.season,
                  stored.plan.measures.map(measureKey),
                ],
              ])
            : 'none'
        }\n`,
      );
  };
  const digest = (warnings: Array<{ message: string }>): string => {
    for (const w of warnings) hash.update(`${w.message}\n`);
    return hash.digest('hex');
  };
  return { add, digest };
}
