/**
 * The SQL that decides which enterprises an approved revision reaches and how each is classified. Shared by
 * OrdersService (which inserts the orders) and the alert preview (which only counts them), so a preview can
 * never disagree with what approval then writes.
 */

/** Placeholders (e.g. `$3`) of the caller's statement holding each value. */
export interface OrderScopeParams {
  countyCodes: string;
  level: string;
  /** The warning's own effective time: measure windows (elapsed hours) count from it. */
  alertEffectiveAt: string;
  /** When the revision takes effect: measures whose window has ended by then are left out. */
  revisionEffectiveAt: string;
}

const MEASURE_LIST = `jsonb_agg(jsonb_build_object('line', pm.line, 'action', pm.action, 'params', pm.params, 'description', pm.description,
                  'reduction', jsonb_build_object('so2', pm.reduction_so2::float8, 'nox', pm.reduction_nox::float8, 'pm', pm.reduction_pm::float8, 'vocs', pm.reduction_vocs::float8),
                  'verification', pm.verification, 'fromHour', pm.from_hour, 'toHour', pm.to_hour) ORDER BY pm.seq)`;

/**
 * Two CTEs: `scope` (every non-archived enterprise of the counties, with its current plan version) and `ms`
 * (per plan version, the level's measures whose window has not ended, as the order's jsonb list). A caller
 * that only classifies (the preview) passes `measureList: false`: `ms.list` is then the measures' count,
 * still non-null exactly when the version has one, and building 10,000 jsonb lists is skipped.
 */
export function orderScopeCtes(
  p: OrderScopeParams,
  opts: { measureList: boolean } = { measureList: true },
): string {
  return `scope AS (
         SELECT e.id, e.county_code, e.grade, e.is_protected, e.contacts, pv.id AS version_id
           FROM enterprise e LEFT JOIN plan_version pv ON pv.enterprise_id = e.id AND pv.is_current
          WHERE NOT e.archived AND e.county_code = ANY(${p.countyCodes}::varchar[])),
       ms AS (
         SELECT pm.plan_version_id, ${opts.measureList ? MEASURE_LIST : 'count(*)'} AS list
           FROM plan_measure pm JOIN scope s ON s.version_id = pm.plan_version_id
          WHERE pm.level = ${p.level}
            AND (pm.to_hour IS NULL OR ${p.alertEffectiveAt}::timestamptz + make_interval(hours => pm.to_hour) > ${p.revisionEffectiveAt}::timestamptz)
          GROUP BY pm.plan_version_id)`;
}

/** One row per enterprise in scope (`s`), its measures (`ms`, absent without any) and its distinct emails (`em.emails`). */
export const ORDER_SCOPE_FROM = `scope s
         LEFT JOIN ms ON ms.plan_version_id = s.version_id
         CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT lower(trim(c->>'email')) FROM jsonb_array_elements(s.contacts) c
                                           WHERE coalesce(trim(c->>'email'), '') <> '')::text[] AS emails) em`;

/** Protected first (they run at their approved load), then the voluntary grades (A+, A, LEADING). */
export const NOTICE_TYPE_SQL =
  "CASE WHEN s.is_protected THEN 'PROTECTED' WHEN s.grade IN ('A_PLUS', 'A', 'LEADING') THEN 'VOLUNTARY' ELSE 'MANDATORY' END";

/** What needs a person: no email to send to (checked first: nothing reaches them), or no measures at the level. */
export const PROBLEM_SQL =
  "CASE WHEN cardinality(em.emails) = 0 THEN 'NO_EMAIL' WHEN ms.list IS NULL THEN 'NO_PLAN' END";

/** Orders a lift or cancellation ends (and sends an end notice for); superseded and lifted ones are history. */
export const CURRENT_ORDER_SQL = "state NOT IN ('SUPERSEDED', 'LIFTED')";

/** An end notice's problem: only a missing email (an end notice carries no measures). */
export const END_NOTICE_PROBLEM_SQL = "CASE WHEN cardinality(recipients) = 0 THEN 'NO_EMAIL' END";
