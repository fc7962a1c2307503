import { canonicalJson } from '../audit/audit-chain';
import type { Enterprise } from './enterprise.entity';
import type { EnterpriseInput, MeasureInput } from './enterprise.types';
import type { PlanMeasure } from './plan.entity';

export interface EnterpriseView extends EnterpriseInput {
  id: string;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toEnterpriseInput(e: Enterprise): EnterpriseInput {
  return {
    creditCode: e.creditCode,
    name: e.name,
    industry: e.industryCode,
    countyCode: e.countyCode,
    address: e.address,
    longitude: e.longitude,
    latitude: e.latitude,
    grade: e.grade,
    protected: e.isProtected,
    protectedReason: e.protectedReason,
    protectedMaxLoad: e.protectedMaxLoad,
    controlTags: e.controlTags,
    contacts: e.contacts,
    lines: e.lines,
    baseline: { so2: e.baselineSo2, nox: e.baselineNox, pm: e.baselinePm, vocs: e.baselineVocs },
  };
}

export function toEnterpriseView(e: Enterprise): EnterpriseView {
  return {
    id: e.id,
    ...toEnterpriseInput(e),
    archived: e.archived,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** Entity columns from an input (for insert or update). */
export function toEnterpriseColumns(i: EnterpriseInput): Partial<Enterprise> {
  return {
    creditCode: i.creditCode,
    name: i.name.trim(),
    industryCode: i.industry,
    countyCode: i.countyCode,
    address: i.address ?? null,
    longitude: i.longitude ?? null,
    latitude: i.latitude ?? null,
    grade: i.grade,
    isProtected: i.protected,
    protectedReason: i.protected ? (i.protectedReason ?? null) : null,
    protectedMaxLoad: i.protected ? (i.protectedMaxLoad ?? null) : null,
    controlTags: i.controlTags,
    contacts: i.contacts,
    lines: i.lines,
    baselineSo2: i.baseline.so2,
    baselineNox: i.baseline.nox,
    baselinePm: i.baseline.pm,
    baselineVocs: i.baseline.vocs,
  };
}

export function toMeasureInput(m: PlanMeasure): MeasureInput {
  return {
    level: m.level,
    line: m.line,
    action: m.action,
    params: m.params,
    description: m.description,
    fromHour: m.fromHour,
    toHour: m.toHour,
    reduction: { so2: m.reductionSo2, nox: m.reductionNox, pm: m.reductionPm, vocs: m.reductionVocs },
    verification: m.verification,
  };
}

/** Fields that differ (jsonb key order ignored), as {field: [before, after]} for the audit log. */
export function diff(before: object, after: object): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (canonicalJson(b[key] ?? null) !== canonicalJson(a[key] ?? null))
      changes[key] = [b[key] ?? null, a[key] ?? null];
  }
  return changes;
}
