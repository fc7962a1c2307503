import type { EntityManager } from 'typeorm';
import { WARNING_LEVELS } from '../rulesets/ruleset.types';
import type { EnterpriseInput, MeasureInput } from './enterprise.types';
import { monotonyWarnings } from './plan-monotony.rules';

export interface PlanReplacement {
  enterpriseId: string;
  season: string;
  measures: MeasureInput[];
}

/**
 * Set-based writes of the reduction list, shared by the import, the demo seed and the plan editor:
 * one statement per table whatever the number of enterprises (10,000 in the benchmark).
 */
export async function upsertEnterprises(
  m: EntityManager,
  inputs: EnterpriseInput[],
): Promise<Map<string, { id: string; inserted: boolean }>> {
  const result = new Map<string, { id: string; inserted: boolean }>();
  const CHUNK = 5000;
  for (let start = 0; start < inputs.length; start += CHUNK) {
    const chunk = inputs.slice(start, start + CHUNK);
    const rows = await m.query<Array<{ id: string; credit_code: string; inserted: boolean }>>(
      `INSERT INTO enterprise (credit_code, name, industry_code, county_code, address, longitude, latitude, grade,
                               is_protected, protected_reason, protected_max_load, control_tags, contacts, lines,
                               baseline_so2, baseline_nox, baseline_pm, baseline_vocs, archived)
       SELECT u.credit_code, u.name, u.industry_code, u.county_code, u.address, u.longitude, u.latitude, u.grade,
              u.is_protected, u.protected_reason, u.protected_max_load,
              ARRAY(SELECT jsonb_array_elements_text(u.control_tags)), u.contacts, u.lines,
              u.so2, u.nox, u.pm, u.vocs, false
         FROM unnest($1::varchar[], $2::text[], $3::varchar[], $4::varchar[], $5::text[], $6::float8[], $7::float8[],
                     $8::text[], $9::boolean[], $10::text[], $11::numeric[], $12::jsonb[], $13::jsonb[], $14::jsonb[],
                     $15::numeric[], $16::numeric[], $17::numeric[], $18::numeric[])
              AS u(credit_code, name, industry_code, county_code, address, longitude, latitude, grade, is_protected,
                   protected_reason, protected_max_load, control_tags, contacts, lines, so2, nox, pm, vocs)
       ON CONFLICT (credit_code) DO UPDATE SET
         name = EXCLUDED.name, industry_code = EXCLUDED.industry_code, county_code = EXCLUDED.county_code,
         address = EXCLUDED.address, longitude = EXCLUDED.longitude, latitude = EXCLUDED.latitude,
         grade = EXCLUDED.grade, is_protected = EXCLUDED.is_protected, protected_reason = EXCLUDED.protected_reason,
         protected_max_load = EXCLUDED.protected_max_load, control_tags = EXCLUDED.control_tags,
         contacts = EXCLUDED.contacts, lines = EXCLUDED.lines, baseline_so2 = EXCLUDED.baseline_so2,
         baseline_nox = EXCLUDED.baseline_nox, baseline_pm = EXCLUDED.baseline_pm, baseline_vocs = EXCLUDED.baseline_vocs,
         archived = false, updated_at = now()
       RETURNING id, credit_code, (xmax = 0) AS inserted`,
      [
        chunk.map((e) => e.creditCode),
        chunk.map((e) => e.name.trim()),
        chunk.map((e) => e.industry),
        chunk.map((e) => e.countyCode),
        chunk.map((e) => e.address ?? null),
        chunk.map((e) => e.longitude ?? null),
        chunk.map((e) => e.latitude ?? null),
        chunk.map((e) => e.grade),
        chunk.map((e) => e.protected),
        chunk.map((e) => (e.protected ? (e.protectedReason ?? null) : null)),
        chunk.map((e) => (e.protected ? (e.protectedMaxLoad ?? null) : null)),
        chunk.map((e) => JSON.stringify(e.controlTags)),
        chunk.map((e) => JSON.stringify(e.contacts)),
        chunk.map((e) => JSON.stringify(e.lines)),
        chunk.map((e) => e.baseline.so2),
        chunk.map((e) => e.baseline.nox),
        chunk.map((e) => e.baseline.pm),
        chunk.map((e) => e.baseline.vocs),
      ],
    );
    for (const r of rows) result.set(r.credit_code, { id: r.id, inserted: r.inserted });
  }
  return result;
}

/**
 * A measure row `pm` in force at the start of a response (elapsed hour 0). `from_hour IS NULL OR from_hour = 0`
 * rather than `COALESCE(from_hour, 0) = 0`: the same rows, but PostgreSQL estimates the COALESCE at 0.5 % of them.
 */
const IN_FORCE_AT_START =
  '(pm.from_hour IS NULL OR pm.from_hour = 0) AND (pm.to_hour IS NULL OR pm.to_hour > 0)';

/** Adds a new current plan version with its measures for each enterprise; returns the version numbers. */
export async function replacePlans(
  m: EntityManager,
  plans: PlanReplacement[],
  opts: { source: 'API' | 'IMPORT' | 'SEED'; importId?: string | null; createdBy: string | null },
): Promise<Map<string, { versionId: string; version: number }>> {
  const versions = new Map<string, { versionId: string; version: number }>();
  if (plans.length === 0) return versions;
  const ids = plans.map((p) => p.enterpriseId);
  await m.query(
    'UPDATE plan_version SET is_current = false WHERE enterprise_id = ANY($1::uuid[]) AND is_current',
    [ids],
  );
  const inserted = await m.query<Array<{ id: string; enterprise_id: string; version: number }>>(
    `INSERT INTO plan_version (enterprise_id, version, season, is_current, source, import_id, created_by, relaxations)
     SELECT u.enterprise_id,
            COALESCE((SELECT max(pv.version) FROM plan_version pv WHERE pv.enterprise_id = u.enterprise_id), 0) + 1,
            u.season, true, $3, $4, $5, u.relaxations
       FROM unnest($1::uuid[], $2::text[], $6::jsonb[]) AS u(enterprise_id, season, relaxations)
     RETURNING id, enterprise_id, version`,
    [
      ids,
      plans.map((p) => p.season),
      opts.source,
      opts.importId ?? null,
      opts.createdBy,
      // A version's relaxations depend on its measures alone (levels in their fixed order), so they are
      // worked out once here, by the same rule the plan checks use.
      plans.map((p) => JSON.stringify(monotonyWarnings(p.measures, WARNING_LEVELS))),
    ],
  );
  for (const r of inserted) versions.set(r.enterprise_id, { versionId: r.id, version: r.version });

  const rows = plans.flatMap((p) =>
    p.measures.map((measure, seq) => ({ versionId: versions.get(p.enterpriseId)!.versionId, seq, measure })),
  );
  const CHUNK = 20000;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await m.query(
      `INSERT INTO plan_measure (plan_version_id, level, seq, line, action, params, description, from_hour, to_hour,
                                 reduction_so2, reduction_nox, reduction_pm, reduction_vocs, verification)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::jsonb[], $7::text[],
                            $8::int[], $9::int[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[], $14::text[])`,
      [
        chunk.map((r) => r.versionId),
        chunk.map((r) => r.measure.level),
        chunk.map((r) => r.seq + 1),
        chunk.map((r) => r.measure.line ?? null),
        chunk.map((r) => r.measure.action),
        chunk.map((r) => JSON.stringify(r.measure.params ?? {})),
        chunk.map((r) => r.measure.description.trim()),
        chunk.map((r) => r.measure.fromHour ?? null),
        chunk.map((r) => r.measure.toHour ?? null),
        chunk.map((r) => r.measure.reduction.so2),
        chunk.map((r) => r.measure.reduction.nox),
        chunk.map((r) => r.measure.reduction.pm),
        chunk.map((r) => r.measure.reduction.vocs),
        chunk.map((r) => r.measure.verification),
      ],
    );
  }
  // Each new version's measures per level, in the shape orders carry, built by PostgreSQL from the rows just
  // written (building them in JS for 10,000 plans cost ~200 MB of short-lived strings during an import).
  const versionIds = [...versions.values()].map((v) => v.versionId);
  await m.query(
    `UPDATE plan_version pv SET level_measures = x.lists
       FROM (${LEVEL_MEASURES_SQL} AND pm.plan_version_id = ANY($1::uuid[]) GROUP BY pm.plan_version_id, pm.level) l
                 GROUP BY plan_version_id) x
      WHERE pv.id = x.plan_version_id`,
    [versionIds],
  );
  // And per level the sums of the measures in force at hour 0, which the adequacy report reads instead of the rows.
  await m.query(
    `INSERT INTO plan_start_reduction (plan_version_id, level, so2, nox, pm, vocs)
     SELECT pm.plan_version_id, pm.level, sum(pm.reduction_so2), sum(pm.reduction_nox), sum(pm.reduction_pm),
            sum(pm.reduction_vocs)
       FROM plan_measure pm
      WHERE pm.plan_version_id = ANY($1::uuid[]) AND ${IN_FORCE_AT_START}
      GROUP BY pm.plan_version_id, pm.level`,
    [versionIds],
  );
  return versions;
}

/**
 * The start of the aggregation of a version's measure rows into `{level: [measure, …]}`, as orders carry them
 * (a measure ending at hour 0 never applies and is left out). Callers add their filter and close it.
 */
const LEVEL_MEASURES_SQL = `SELECT plan_version_id, jsonb_object_agg(level, list) AS lists
         FROM (SELECT pm.plan_version_id, pm.level,
                      jsonb_agg(jsonb_build_object('line', pm.line, 'action', pm.action, 'params', pm.params,
                        'description', pm.description,
                        'reduction', jsonb_build_object('so2', pm.reduction_so2::float8, 'nox', pm.reduction_nox::float8,
                                                        'pm', pm.reduction_pm::float8, 'vocs', pm.reduction_vocs::float8),
                        'verification', pm.verification, 'fromHour', pm.from_hour, 'toHour', pm.to_hour) ORDER BY pm.seq) AS list
                 FROM plan_measure pm WHERE pm.to_hour IS DISTINCT FROM 0`;

/** The list season a plan made on this date belongs to: lists are revised each autumn (Oct 1 → next Sept 30). */
export function listSeason(shanghaiDate: string): string {
  const [year, month] = shanghaiDate.split('-').map(Number);
  return month >= 10 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}
