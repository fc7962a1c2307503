import type { FieldError } from '../common/errors/domain-error';
import { columnLetter, type DropdownList, type XlsxCellKind } from '../common/xlsx-cells';
import { WARNING_LEVELS, type WarningLevel } from '../rulesets/ruleset.types';
import { normaliseCreditCode } from './credit-code.rules';
import { MAX_RESPONSE_HOUR, normaliseEnterpriseInput } from './enterprise.rules';
import { readList, readParams, splitUnescaped, writeList, writeParams } from './list-cell.codec';
import { normaliseMeasures } from './plan.rules';
import {
  ACTION_NAMES,
  type Contact,
  type EnterpriseInput,
  GRADE_NAMES,
  type Grade,
  type MeasureAction,
  type MeasureInput,
  type MeasureParams,
  type ProductionLine,
  VERIFICATION_NAMES,
  type VerificationMethod,
} from './enterprise.types';

/**
 * The reduction-list spreadsheet (XLSX sheet or CSV): one row per measure, the enterprise's columns repeated
 * on each of its rows (an enterprise without measures has one row with the measure columns empty).
 * Import reads it, export writes it, the template shows it: see docs/reduction-list-format.md.
 */
export const COLUMNS = [
  { key: 'creditCode', label: '统一社会信用代码' },
  { key: 'name', label: '企业名称' },
  { key: 'industry', label: '行业代码' },
  { key: 'countyCode', label: '区县代码' },
  { key: 'address', label: '地址' },
  { key: 'longitude', label: '经度' },
  { key: 'latitude', label: '纬度' },
  { key: 'grade', label: '绩效等级' },
  { key: 'protected', label: '保障类' },
  { key: 'protectedReason', label: '保障理由' },
  { key: 'protectedMaxLoad', label: '核定最大负荷(%)' },
  { key: 'controlTags', label: '管控标签' },
  { key: 'contacts', label: '联系人' },
  { key: 'lines', label: '生产线' },
  { key: 'baselineSo2', label: 'SO2基准排放(kg/d)' },
  { key: 'baselineNox', label: 'NOx基准排放(kg/d)' },
  { key: 'baselinePm', label: '颗粒物基准排放(kg/d)' },
  { key: 'baselineVocs', label: 'VOCs基准排放(kg/d)' },
  { key: 'season', label: '清单年度' },
  { key: 'level', label: '预警级别' },
  { key: 'line', label: '生产线/工序' },
  { key: 'action', label: '措施类型' },
  { key: 'params', label: '措施参数' },
  { key: 'description', label: '措施描述' },
  { key: 'fromHour', label: '起始响应小时' },
  { key: 'toHour', label: '截止响应小时' },
  { key: 'reductionSo2', label: 'SO2减排量(kg/d)' },
  { key: 'reductionNox', label: 'NOx减排量(kg/d)' },
  { key: 'reductionPm', label: '颗粒物减排量(kg/d)' },
  { key: 'reductionVocs', label: 'VOCs减排量(kg/d)' },
  { key: 'verification', label: '核查方式' },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]['key'];
export type RawRow = Partial<Record<ColumnKey, string>>;

/** The XLSX cell of each column that is not text: numbers are numeric cells with a number format (issue 20). */
export const COLUMN_KINDS: Partial<Record<ColumnKey, XlsxCellKind>> = {
  longitude: 'coordinate',
  latitude: 'coordinate',
  protectedMaxLoad: 'decimal',
  baselineSo2: 'decimal',
  baselineNox: 'decimal',
  baselinePm: 'decimal',
  baselineVocs: 'decimal',
  fromHour: 'integer',
  toHour: 'integer',
  reductionSo2: 'decimal',
  reductionNox: 'decimal',
  reductionPm: 'decimal',
  reductionVocs: 'decimal',
};

/** What the dropdowns of the coded columns offer: the codes the export writes, with their Chinese names. */
export interface DropdownSources {
  industries: ReadonlyArray<{ code: string; name: string }>;
  counties: ReadonlyArray<{ code: string; name: string }>;
}

const codeList = (title: string, names: Record<string, string | string[]>): DropdownList => {
  const codes = Object.keys(names);
  const first = (code: string) => ([] as string[]).concat(names[code])[0];
  return {
    title,
    values: codes,
    names: codes.map(first),
    prompt: codes.map((c) => `${c}=${first(c)}`).join(';'),
  };
};

/** The dropdown of each coded column (绩效等级, 行业代码, 区县代码, 保障类, 预警级别, 措施类型, 核查方式). */
export function dropdownLists(sources: DropdownSources): Partial<Record<ColumnKey, DropdownList>> {
  const label = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)!.label;
  return {
    industry: {
      title: label('industry'),
      values: sources.industries.map((i) => i.code),
      names: sources.industries.map((i) => i.name),
      prompt: '行业代码,各代码的行业名称见工作表「下拉选项」',
    },
    countyCode: {
      title: label('countyCode'),
      values: sources.counties.map((c) => c.code),
      names: sources.counties.map((c) => c.name),
      prompt: sources.counties.map((c) => `${c.code}=${c.name}`).join(';'),
    },
    grade: codeList(label('grade'), GRADE_NAMES),
    protected: { title: label('protected'), values: ['是', '否'] },
    level: codeList(label('level'), LEVEL_NAMES),
    action: codeList(label('action'), ACTION_NAMES),
    verification: codeList(label('verification'), VERIFICATION_NAMES),
  };
}

/**
 * Text a spreadsheet would run as a formula gets an apostrophe in front (CSV injection); so does text that
 * already starts with apostrophes and then such a character, so that the import, which removes one, gives
 * back exactly what was exported.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes escapeCell on import, so export → import is a round trip. */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const ENTERPRISE_KEYS: ColumnKey[] = COLUMNS.slice(0, 19).map((c) => c.key);
const MEASURE_KEYS: ColumnKey[] = COLUMNS.slice(19).map((c) => c.key);

/** Header text: "中文名(key)". The importer accepts either part. */
export const headerOf = (c: (typeof COLUMNS)[number]): string => `${c.label}(${c.key})`;

const LEVEL_NAMES: Record<WarningLevel, string[]> = {
  BLUE: ['蓝色', '蓝色预警', 'IV级', '四级'],
  YELLOW: ['黄色', '黄色预警', 'III级', '三级'],
  ORANGE: ['橙色', '橙色预警', 'II级', '二级'],
  RED: ['红色', '红色预警', 'I级', '一级'],
};

/** Maps each header cell to a column key; unknown headers are reported, missing required ones too. */
export function mapHeader(cells: string[]): { columns: Array<ColumnKey | null>; errors: FieldError[] } {
  const byName = new Map<string, ColumnKey>();
  for (const c of COLUMNS) {
    byName.set(c.key.toLowerCase(), c.key);
    byName.set(c.label.toLowerCase(), c.key);
    byName.set(headerOf(c).toLowerCase(), c.key);
  }
  const errors: FieldError[] = [];
  const columns = cells.map((cell, i) => {
    const text = cell
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase();
    if (text === '') return null;
    const inParens = /[((]([A-Za-z0-9]+)[))]\s*$/.exec(text)?.[1];
    const key = byName.get(text) ?? (inParens ? byName.get(inParens) : undefined);
    // Named by its letter, as the spreadsheet shows it (the header text is in the message).
    if (!key) errors.push({ row: 1, field: `${columnLetter(i + 1)}列`, message: `无法识别的表头“${cell}”` });
    return key ?? null;
  });
  for (const required of ['creditCode', 'name', 'industry', 'countyCode', 'grade', 'contacts'] as const) {
    if (!columns.includes(required))
      errors.push({
        row: 1,
        field: required,
        message: `缺少必需的列“${COLUMNS.find((c) => c.key === required)!.label}”`,
      });
  }
  return { columns, errors };
}

export interface ParsedEnterprise {
  input: EnterpriseInput;
  season: string | null;
  measures: MeasureInput[];
  /** Spreadsheet row of the enterprise's first row, and of each measure. */
  row: number;
  measureRows: number[];
}

/**
 * A copy that does not share memory with the text it was cut from. Parsers hand out substrings that keep
 * their whole source chunk alive (V8 sliced strings); holding 10,000 enterprises' names that way kept the
 * entire decoded sheet in memory (≈300 MB for the benchmark list).
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

function enumValue<T extends string>(
  raw: string,
  codes: readonly T[],
  names: Record<T, string | string[]>,
): T | undefined {
  const text = raw.trim();
  const upper = text.toUpperCase();
  if ((codes as readonly string[]).includes(upper)) return upper as T;
  return codes.find((code) => ([] as string[]).concat(names[code]).includes(text));
}

interface RowContext {
  row: number;
  errors: FieldError[];
}

function num(
  raw: string | undefined,
  field: ColumnKey,
  ctx: RowContext,
  opts: { required?: boolean; integer?: boolean } = {},
): number | null {
  const text = (raw ?? '').trim();
  if (text === '') {
    if (opts.required) ctx.errors.push({ row: ctx.row, field, message: '不能为空' });
    return null;
  }
  const value = Number(text.replace(/,/g, ''));
  if (!Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
    ctx.errors.push({ row: ctx.row, field, message: `“${text}”不是${opts.integer ? '整数' : '数值'}` });
    return null;
  }
  // Integers go to integer columns: past their range PostgreSQL would refuse the import with a 500.
  if (opts.integer && Math.abs(value) > MAX_RESPONSE_HOUR) {
    ctx.errors.push({ row: ctx.row, field, message: `“${text}”超出范围` });
    return null;
  }
  return value;
}

function parseContacts(raw: string | undefined): Contact[] {
  return readList(raw).map(([name = '', role = '', email = '', phone = '']) => ({
    name,
    ...(role ? { role } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  }));
}

function parseLines(raw: string | undefined, ctx: RowContext): ProductionLine[] {
  return readList(raw).map(([code = '', name = '', capacity = '', unit = '']) => {
    const cap = capacity === '' ? undefined : Number(capacity);
    if (cap !== undefined && !Number.isFinite(cap))
      ctx.errors.push({
        row: ctx.row,
        field: 'lines',
        message: `生产线 ${code.slice(0, 50)} 的产能“${capacity.slice(0, 30)}”不是数值`,
      });
    return {
      code,
      name,
      ...(cap !== undefined && Number.isFinite(cap) ? { capacity: cap } : {}),
      ...(unit ? { unit } : {}),
    };
  });
}

function parseParams(raw: string | undefined, ctx: RowContext): MeasureParams {
  const { params, bad } = readParams(raw);
  for (const item of bad)
    ctx.errors.push({
      row: ctx.row,
      field: 'params',
      message: `措施参数“${item.slice(0, 50)}”应写作 名称=值,如 percent=20`,
    });
  return params;
}

export const formatParams = (params: MeasureParams): string => writeParams(params);

const PROTECTED_YES = ['是', 'y', 'yes', 'true', '1'];
const PROTECTED_NO = ['否', 'n', 'no', 'false', '0', ''];

function parseEnterprise(raw: RawRow, ctx: RowContext): { input: EnterpriseInput; season: string | null } {
  const { input, season } = readEnterprise(raw, ctx);
  return { input: normaliseEnterpriseInput(input), season };
}

function readEnterprise(raw: RawRow, ctx: RowContext): { input: EnterpriseInput; season: string | null } {
  const text = (k: ColumnKey) => (raw[k] ?? '').trim();
  const grade = enumValue(text('grade'), Object.keys(GRADE_NAMES) as Grade[], GRADE_NAMES);
  if (!grade && text('grade') !== '')
    ctx.errors.push({ row: ctx.row, field: 'grade', message: `未知绩效等级“${text('grade')}”` });
  if (text('grade') === '') ctx.errors.push({ row: ctx.row, field: 'grade', message: '不能为空' });
  const protectedText = text('protected').toLowerCase();
  if (![...PROTECTED_YES, ...PROTECTED_NO].includes(protectedText)) {
    ctx.errors.push({ row: ctx.row, field: 'protected', message: `“${text('protected')}”应为 是 或 否` });
  }
  const baseline = {
    so2: num(raw.baselineSo2, 'baselineSo2', ctx, { required: true }) ?? 0,
    nox: num(raw.baselineNox, 'baselineNox', ctx, { required: true }) ?? 0,
    pm: num(raw.baselinePm, 'baselinePm', ctx, { required: true }) ?? 0,
    vocs: num(raw.baselineVocs, 'baselineVocs', ctx, { required: true }) ?? 0,
  };
  return {
    input: {
      creditCode: normaliseCreditCode(text('creditCode')),
      name: text('name'),
      industry: text('industry').toUpperCase(),
      countyCode: text('countyCode'),
      address: text('address') || null,
      longitude: num(raw.longitude, 'longitude', ctx),
      latitude: num(raw.latitude, 'latitude', ctx),
      grade: grade ?? ('' as Grade),
      protected: PROTECTED_YES.includes(protectedText),
      protectedReason: text('protectedReason') || null,
      protectedMaxLoad: num(raw.protectedMaxLoad, 'protectedMaxLoad', ctx),
      controlTags: splitUnescaped(raw.controlTags ?? '', ';;\n,,、')
        .map((t) => t.trim().toUpperCase())
        .filter((t) => t !== ''),
      contacts: parseContacts(raw.contacts),
      lines: parseLines(raw.lines, ctx),
      baseline,
    },
    season: text('season') || null,
  };
}

function parseMeasure(raw: RawRow, ctx: RowContext): MeasureInput {
  const text = (k: ColumnKey) => (raw[k] ?? '').trim();
  const level = enumValue(text('level'), WARNING_LEVELS, LEVEL_NAMES);
  if (!level) ctx.errors.push({ row: ctx.row, field: 'level', message: `未知预警级别“${text('level')}”` });
  const action = enumValue(text('action'), Object.keys(ACTION_NAMES) as MeasureAction[], ACTION_NAMES);
  if (!action) ctx.errors.push({ row: ctx.row, field: 'action', message: `未知措施类型“${text('action')}”` });
  const verification = enumValue(
    text('verification'),
    Object.keys(VERIFICATION_NAMES) as VerificationMethod[],
    VERIFICATION_NAMES,
  );
  if (!verification)
    ctx.errors.push({
      row: ctx.row,
      field: 'verification',
      message: `未知核查方式“${text('verification')}”`,
    });
  return {
    level: level ?? ('' as WarningLevel),
    line: text('line') || null,
    action: action ?? ('' as MeasureAction),
    params: parseParams(raw.params, ctx),
    description: text('description'),
    fromHour: num(raw.fromHour, 'fromHour', ctx, { integer: true }),
    toHour: num(raw.toHour, 'toHour', ctx, { integer: true }),
    reduction: {
      so2: num(raw.reductionSo2, 'reductionSo2', ctx, { required: true }) ?? 0,
      nox: num(raw.reductionNox, 'reductionNox', ctx, { required: true }) ?? 0,
      pm: num(raw.reductionPm, 'reductionPm', ctx, { required: true }) ?? 0,
      vocs: num(raw.reductionVocs, 'reductionVocs', ctx, { required: true }) ?? 0,
    },
    verification: verification ?? ('' as VerificationMethod),
  };
}

/**
 * Groups rows into enterprises with their measures, one row at a time (a 90,000-row sheet is never held
 * whole). Reports by row and column: rows of one enterprise that disagree, an enterprise whose rows are not
 * together (a duplicate credit code), unparseable cells. Domain rules (credit code check, counties, plan
 * checks) are applied afterwards by the import service.
 *
 * With `onComplete`, each enterprise is handed over once its rows are over (the next enterprise starts, or
 * `finish()`) and none is kept, so that an import of 100,000 enterprises holds a chunk of them, not the file;
 * without it they are collected in `enterprises`.
 */
export class ReductionListParser {
  readonly errors: FieldError[] = [];
  readonly enterprises: ParsedEnterprise[] = [];
  /** Each credit code's first row: a code seen again later is a duplicate. */
  private readonly seen = new Map<string, number>();
  private current: ParsedEnterprise | undefined;
  private firstCells: RawRow = {};

  constructor(private readonly onComplete?: (e: ParsedEnterprise) => void) {}

  /** After the last row: hands over the last enterprise. */
  finish(): void {
    if (this.current && this.onComplete) this.onComplete(this.current);
    this.current = undefined;
  }

  push(row: number, cells: RawRow): void {
    const raw: RawRow = {};
    let blank = true;
    for (const [k, v] of Object.entries(cells) as Array<[ColumnKey, string | undefined]>) {
      raw[k] = ownString(unescapeCell(v ?? ''));
      if (blank && raw[k].trim() !== '') blank = false;
    }
    if (blank) return;
    const ctx: RowContext = { row, errors: this.errors };
    const code = normaliseCreditCode(raw.creditCode ?? '');
    if (code === '') {
      this.errors.push({ row, field: 'creditCode', message: '不能为空' });
      return;
    }
    let current = this.current;
    if (!current || current.input.creditCode !== code) {
      const earlier = this.seen.get(code);
      if (earlier !== undefined) {
        this.errors.push({
          row,
          field: 'creditCode',
          message: `统一社会信用代码 ${code} 重复:已在第${earlier}行出现,同一企业的行须连续`,
        });
        return;
      }
      if (current && this.onComplete) this.onComplete(current);
      const { input, season } = parseEnterprise(raw, ctx);
      current = { input, season, measures: [], row, measureRows: [] };
      this.current = current;
      this.firstCells = raw;
      this.seen.set(code, row);
      if (!this.onComplete) this.enterprises.push(current);
    } else {
      for (const key of ENTERPRISE_KEYS) {
        if ((raw[key] ?? '').trim() !== (this.firstCells[key] ?? '').trim()) {
          this.errors.push({ row, field: key, message: `与第${current.row}行同一企业的信息不一致` });
        }
      }
    }
    if (MEASURE_KEYS.some((k) => (raw[k] ?? '').trim() !== '')) {
      current.measures.push(normaliseMeasures([parseMeasure(raw, ctx)])[0]);
      current.measureRows.push(row);
    }
  }
}

/** Parses rows already in memory (tests, small files). */
export function parseRows(rows: Array<{ row: number; cells: RawRow }>): {
  enterprises: ParsedEnterprise[];
  errors: FieldError[];
} {
  const parser = new ReductionListParser();
  for (const { row, cells } of rows) parser.push(row, cells);
  return { enterprises: parser.enterprises, errors: parser.errors };
}

/** Where a field error from the domain checks sits in the sheet: the row and column to point at. */
export function locateError(e: ParsedEnterprise, field: string): { row: number; field: string } {
  const measure = /^measures\[(\d+)\]\.?(.*)$/.exec(field);
  if (measure) {
    const rest = measure[2];
    const column = rest.startsWith('reduction.')
      ? `reduction${capitalise(rest.slice(10))}`
      : rest.startsWith('params')
        ? 'params'
        : rest;
    return { row: e.measureRows[Number(measure[1])] ?? e.row, field: column };
  }
  const levelTotal = /^measures\((\w+)\)\.reduction\.(\w+)$/.exec(field);
  if (levelTotal) {
    const index = e.measures.findIndex((m) => m.level === levelTotal[1]);
    return { row: e.measureRows[index] ?? e.row, field: `reduction${capitalise(levelTotal[2])}` };
  }
  const base = /^baseline\.(\w+)$/.exec(field);
  if (base) return { row: e.row, field: `baseline${capitalise(base[1])}` };
  return { row: e.row, field: field.replace(/\[\d+\].*$/, '') };
}

const ITEM_FIELD_LABELS: Record<string, Record<string, string>> = {
  contacts: { name: '联系人姓名', role: '联系人职务', email: '联系人邮箱', phone: '联系人电话' },
  lines: { code: '生产线编号', name: '生产线名称', capacity: '生产线产能', unit: '生产线产能单位' },
};

/**
 * A field as a person finds it in the sheet: the column's Chinese header, and for one contact or production
 * line which one and which part ("联系人邮箱(第2个)"). Takes a column key, a domain field path
 * (`contacts[1].email`, `measures[0].params.hours`) or a column the layout does not know ("G列", "「备注」列").
 */
export function fieldLabel(field: string): string {
  const item = /^(contacts|lines)\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (item) {
    const part = item[3] ? ITEM_FIELD_LABELS[item[1]][item[3]] : undefined;
    return `${part ?? columnLabel(item[1])}(第${Number(item[2]) + 1}个)`;
  }
  const param = /^measures\[\d+\]\.params\.(.+)$/.exec(field);
  if (param) return `措施参数 ${param[1]}`;
  if (/^measures\(\w+\)/.test(field)) return columnLabel(locateColumn(field));
  const measure = /^measures\[\d+\]\.?(.*)$/.exec(field);
  if (measure) return measure[1] ? columnLabel(locateColumn(field)) : '措施';
  if (field === 'measures') return '措施';
  if (field === 'file') return '文件';
  return columnLabel(locateColumn(field));
}

const locateColumn = (field: string): string =>
  locateError({ row: 0, measureRows: [], measures: [] } as unknown as ParsedEnterprise, field).field;

const columnLabel = (key: string): string => COLUMNS.find((c) => c.key === key)?.label ?? key;

const capitalise = (s: string): string => (s === 'pm' ? 'Pm' : s.charAt(0).toUpperCase() + s.slice(1));

/** The rows of one enterprise for export (at least one). */
export function toRows(e: EnterpriseInput, season: string | null, measures: MeasureInput[]): RawRow[] {
  const common: RawRow = {
    creditCode: e.creditCode,
    name: e.name,
    industry: e.industry,
    countyCode: e.countyCode,
    address: e.address ?? '',
    longitude: e.longitude == null ? '' : String(e.longitude),
    latitude: e.latitude == null ? '' : String(e.latitude),
    grade: e.grade,
    protected: e.protected ? '是' : '否',
    protectedReason: e.protectedReason ?? '',
    protectedMaxLoad: e.protectedMaxLoad == null ? '' : String(e.protectedMaxLoad),
    controlTags: e.controlTags.join(';'),
    contacts: writeList(e.contacts.map((c) => [c.name, c.role, c.email, c.phone])),
    lines: writeList(e.lines.map((l) => [l.code, l.name, l.capacity, l.unit])),
    baselineSo2: String(e.baseline.so2),
    baselineNox: String(e.baseline.nox),
    baselinePm: String(e.baseline.pm),
    baselineVocs: String(e.baseline.vocs),
    season: season ?? '',
  };
  if (measures.length === 0) return [common];
  return measures.map((m) => ({
    ...common,
    level: m.level,
    line: m.line ?? '',
    action: m.action,
    params: formatParams(m.params ?? {}),
    description: m.description,
    fromHour: m.fromHour == null ? '' : String(m.fromHour),
    toHour: m.toHour == null ? '' : String(m.toHour),
    reductionSo2: String(m.reduction.so2),
    reductionNox: String(m.reduction.nox),
    reductionPm: String(m.reduction.pm),
    reductionVocs: String(m.reduction.vocs),
    verification: m.verification,
  }));
}
