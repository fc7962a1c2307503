import { maxLength } from 'class-validator';
import { emailAddressProblem, isEmailAddress, MAX_EMAIL_LENGTH } from '../common/email-address.rules';
import type { FieldError } from '../common/errors/domain-error';
import { POLLUTANTS } from '../rulesets/ruleset.types';
import { creditCodeProblem, normaliseCreditCode } from './credit-code.rules';
import {
  CONTROL_TAGS,
  type Contact,
  type EnterpriseInput,
  GRADES,
  type ProductionLine,
} from './enterprise.types';

export interface ReferenceSets {
  counties: ReadonlySet<string>;
  industries: ReadonlySet<string>;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Largest emission figure (kg/d) accepted anywhere: far above any real source or county, and inside the
 * numeric(14,3) columns, so an absurd number is a 422 rather than a numeric overflow (500).
 */
export const MAX_EMISSION_KG_PER_DAY = 1e10;

/** A measure's response hours are integer columns: beyond this PostgreSQL refuses the value (a 500). */
export const MAX_RESPONSE_HOUR = 2_147_483_647;

/**
 * Longest texts and largest lists an enterprise may hold, whichever way it arrives (API, console, import).
 * Each travels in every order and email to the enterprise: 20 contacts is already a long recipient list.
 */
export const ENTERPRISE_LIMITS = {
  name: 200,
  industry: 40,
  countyCode: 12,
  address: 300,
  protectedReason: 500,
  controlTags: 10,
  contacts: 20,
  contact: { name: 100, role: 100, email: MAX_EMAIL_LENGTH, phone: 50 },
  lines: 200,
  line: { code: 50, name: 200, unit: 30 },
} as const;

/**
 * Text longer than `max` characters (counted as class-validator's MaxLength counts them: a character outside
 * the BMP is one), as a field error; the value itself is not echoed.
 */
export function tooLong(value: string | null | undefined, max: number, label: string): string | null {
  return value != null && !maxLength(value, max)
    ? `${label}不能超过${max}个字符(实际${[...value].length}个)`
    : null;
}

const trimmed = (v: string | null | undefined): string | undefined => {
  const t = typeof v === 'string' ? v.trim() : undefined;
  return t ? t : undefined;
};

/**
 * The one normal form of an enterprise, for the API and the import alike: text trimmed, empty optional text
 * absent (null for columns), codes upper-cased, a production line without a name named by its code. Export
 * writes this form and the import reads it back unchanged.
 */
export function normaliseEnterpriseInput(e: EnterpriseInput): EnterpriseInput {
  // Values of the wrong type (a PATCH with `name: null`) pass through for validateEnterpriseInput to name.
  const text = <T>(v: T): T => (typeof v === 'string' ? (v.trim() as T) : v);
  const code = <T>(v: T): T => (typeof v === 'string' ? (v.trim().toUpperCase() as T) : v);
  const list = <T, U>(v: T[], f: (item: T) => U): U[] => (Array.isArray(v) ? v.map(f) : (v as U[]));
  return {
    ...e,
    creditCode: typeof e.creditCode === 'string' ? normaliseCreditCode(e.creditCode) : e.creditCode,
    name: text(e.name),
    industry: code(e.industry),
    countyCode: text(e.countyCode),
    address: trimmed(e.address) ?? null,
    grade: code(e.grade),
    protectedReason: trimmed(e.protectedReason) ?? null,
    controlTags: list(e.controlTags, code),
    contacts: list(e.contacts, (c): Contact => {
      const role = trimmed(c.role);
      const email = trimmed(c.email);
      const phone = trimmed(c.phone);
      return {
        name: text(c.name),
        ...(role !== undefined ? { role } : {}),
        ...(email !== undefined ? { email } : {}),
        ...(phone !== undefined ? { phone } : {}),
      };
    }),
    lines: list(e.lines, (l): ProductionLine => {
      const lineCode = text(l.code);
      const unit = trimmed(l.unit);
      return {
        code: lineCode,
        name: text(l.name) || lineCode,
        ...(l.capacity != null ? { capacity: l.capacity } : {}),
        ...(unit !== undefined ? { unit } : {}),
      };
    }),
  };
}

/** An address as quoted in a message: JSON-escaped, so line breaks and quotes show as what they are. */
const quoted = (text: string): string => JSON.stringify(text);

/**
 * Every check of an enterprise (the DTO has checked the types), shared by the API, the console and the import:
 * lengths and counts (ENTERPRISE_LIMITS), credit code, county, industry, grade, contacts with at least one
 * valid email (emailAddressProblem), coordinates, protected load, baselines.
 */
export function validateEnterpriseInput(e: EnterpriseInput, refs: ReferenceSets): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const L = ENTERPRISE_LIMITS;
  const long = (field: string, value: string | null | undefined, max: number, label: string): boolean => {
    const problem = tooLong(value, max, label);
    if (problem) add(field, problem);
    return problem !== null;
  };

  const codeProblem = creditCodeProblem(e.creditCode);
  if (codeProblem) add('creditCode', codeProblem);
  if (!e.name?.trim()) add('name', '企业名称不能为空');
  else long('name', e.name, L.name, '企业名称');
  if (!long('countyCode', e.countyCode, L.countyCode, '区县代码') && !refs.counties.has(e.countyCode))
    add('countyCode', `未知区县代码 ${e.countyCode}`);
  if (!long('industry', e.industry, L.industry, '行业代码') && !refs.industries.has(e.industry))
    add('industry', `未知行业代码 ${e.industry}`);
  if (!(GRADES as readonly string[]).includes(e.grade))
    add('grade', `未知绩效等级 ${e.grade.slice(0, 20)},可选:${GRADES.join(', ')}`);
  long('address', e.address, L.address, '地址');
  long('protectedReason', e.protectedReason, L.protectedReason, '保障理由');
  if (e.longitude != null && (!isNumber(e.longitude) || e.longitude < -180 || e.longitude > 180))
    add('longitude', '经度应在-180到180之间');
  if (e.latitude != null && (!isNumber(e.latitude) || e.latitude < -90 || e.latitude > 90))
    add('latitude', '纬度应在-90到90之间');
  if (
    e.protectedMaxLoad != null &&
    (!isNumber(e.protectedMaxLoad) || e.protectedMaxLoad < 0 || e.protectedMaxLoad > 100)
  ) {
    add('protectedMaxLoad', '核定最大负荷应在0-100(%)之间');
  }
  if (e.protected && e.protectedMaxLoad == null) add('protectedMaxLoad', '保障类企业须填写核定最大负荷(%)');
  if (e.protected && !e.protectedReason?.trim()) add('protectedReason', '保障类企业须填写保障理由');
  if (e.controlTags.length > L.controlTags)
    add('controlTags', `管控标签最多${L.controlTags}个,实际${e.controlTags.length}个`);
  else
    e.controlTags.forEach((tag, i) => {
      if (!(CONTROL_TAGS as readonly string[]).includes(tag))
        add(`controlTags[${i}]`, `未知管控标签 ${tag.slice(0, 40)},可选:${CONTROL_TAGS.join(', ')}`);
    });
  // An over-long list is one error, not one per item: 3,000 contacts would otherwise be 3,000 messages.
  if (e.contacts.length > L.contacts) {
    add('contacts', `联系人最多${L.contacts}个,实际${e.contacts.length}个`);
  } else {
    e.contacts.forEach((c, i) => {
      const f = `contacts[${i}]`;
      if (!c.name?.trim()) add(`${f}.name`, '联系人姓名不能为空');
      else long(`${f}.name`, c.name, L.contact.name, '联系人姓名');
      long(`${f}.role`, c.role, L.contact.role, '联系人职务');
      long(`${f}.phone`, c.phone, L.contact.phone, '联系人电话');
      if (c.email != null && c.email !== '' && !long(`${f}.email`, c.email, L.contact.email, '联系人邮箱')) {
        const problem = emailAddressProblem(c.email);
        if (problem) add(`${f}.email`, `联系人邮箱 ${quoted(c.email)} 无效:${problem}`);
      }
    });
    if (!e.contacts.some((c) => isEmailAddress(c.email)))
      add('contacts', '至少需要一个有电子邮箱的联系人(用于接收减排指令)');
  }
  if (e.lines.length > L.lines) {
    add('lines', `生产线最多${L.lines}条,实际${e.lines.length}条`);
  } else {
    e.lines.forEach((line, i) => {
      const f = `lines[${i}]`;
      if (!line.code?.trim()) add(`${f}.code`, '生产线编号不能为空');
      else long(`${f}.code`, line.code, L.line.code, '生产线编号');
      long(`${f}.name`, line.name, L.line.name, '生产线名称');
      long(`${f}.unit`, line.unit, L.line.unit, '产能单位');
      if (line.capacity != null && (!isNumber(line.capacity) || line.capacity < 0))
        add(`${f}.capacity`, '产能应为非负数');
    });
    const codes = e.lines.map((l) => l.code);
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) add('lines', `生产线编号 ${dup} 重复`);
  }
  for (const p of POLLUTANTS) {
    const v = e.baseline?.[p];
    if (!isNumber(v) || v < 0) add(`baseline.${p}`, `${p} 基准排放应为非负数(kg/d)`);
    else if (v > MAX_EMISSION_KG_PER_DAY)
      add(`baseline.${p}`, `${p} 基准排放不能超过${MAX_EMISSION_KG_PER_DAY} kg/d`);
  }
  return errors;
}
