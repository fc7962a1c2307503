import { isEmail } from 'class-validator';
import type { FieldError } from '../common/errors/domain-error';
import { POLLUTANTS } from '../rulesets/ruleset.types';
import { creditCodeProblem } from './credit-code.rules';
import { CONTROL_TAGS, type EnterpriseInput, GRADES } from './enterprise.types';

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
 * Domain checks of an enterprise (the DTO has checked the shapes): credit code, county, industry, grade,
 * contacts with at least one valid email, coordinates, protected load, baselines.
 */
export function validateEnterpriseInput(e: EnterpriseInput, refs: ReferenceSets): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });

  const codeProblem = creditCodeProblem(e.creditCode);
  if (codeProblem) add('creditCode', codeProblem);
  if (!e.name?.trim()) add('name', '企业名称不能为空');
  else if (e.name.length > 200) add('name', '企业名称不能超过200个字符');
  if (!refs.counties.has(e.countyCode)) add('countyCode', `未知区县代码 ${e.countyCode}`);
  if (!refs.industries.has(e.industry)) add('industry', `未知行业代码 ${e.industry}`);
  if (!(GRADES as readonly string[]).includes(e.grade))
    add('grade', `未知绩效等级 ${e.grade},可选:${GRADES.join(', ')}`);
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
  e.controlTags.forEach((tag, i) => {
    if (!(CONTROL_TAGS as readonly string[]).includes(tag))
      add(`controlTags[${i}]`, `未知管控标签 ${tag},可选:${CONTROL_TAGS.join(', ')}`);
  });
  e.contacts.forEach((c, i) => {
    if (!c.name?.trim()) add(`contacts[${i}].name`, '联系人姓名不能为空');
    if (c.email != null && c.email !== '' && !isEmail(c.email))
      add(`contacts[${i}].email`, `“${c.email}”不是有效的电子邮箱`);
  });
  if (!e.contacts.some((c) => c.email && isEmail(c.email)))
    add('contacts', '至少需要一个有电子邮箱的联系人(用于接收减排指令)');
  e.lines.forEach((line, i) => {
    if (!line.code?.trim()) add(`lines[${i}].code`, '生产线编号不能为空');
    if (line.capacity != null && (!isNumber(line.capacity) || line.capacity < 0))
      add(`lines[${i}].capacity`, '产能应为非负数');
  });
  const codes = e.lines.map((l) => l.code);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) add('lines', `生产线编号 ${dup} 重复`);
  for (const p of POLLUTANTS) {
    const v = e.baseline?.[p];
    if (!isNumber(v) || v < 0) add(`baseline.${p}`, `${p} 基准排放应为非负数(kg/d)`);
    else if (v > MAX_EMISSION_KG_PER_DAY)
      add(`baseline.${p}`, `${p} 基准排放不能超过${MAX_EMISSION_KG_PER_DAY} kg/d`);
  }
  return errors;
}
