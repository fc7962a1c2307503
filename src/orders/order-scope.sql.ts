/**
 * The SQL that decides which enterprises an approved revision reaches and how each is classified. Shared by
 * OrdersService (which inserts the orders) and the alert preview (which only counts them), so a preview can
 * never disagree with what approval then writes.
 */

import { VOLUNTARY_GRADES } from '../enterprises/enterprise.types';
import type { escalationParams } from './escalation.rules';

/** Placeholders (e.g. `$3`) of the caller's statement holding each value. */
export interface OrderScopeParams {
  countyCodes: string;
  level: string;
  /** The warning's own effective time: measure windows (elapsed hours) count from it. */
  alertEffectiveAt: string;
  /** When the revision takes effect: measures whose window has ended by then are left out. */
  revisionEffectiveAt: string;
  /**
   * Escalation (escalationParams): the next level up, the escalated control tags (text[]), the 平川四县 switch, the
   * NEXT_LEVEL sources (text[]), the ADD_MEASURES sources' measures (jsonb, `{source: [measure…]}`).
   */
  nextLevel: string;
  escalatedTags: string;
  jointEscalates: string;
  stepUp: string;
  added: string;
  /** GRADE_LOWER (escalationParams): its sources (text[]) and the chains of lower grades (jsonb, `{grade: [g0, g1…]}`). */
  lower: string;
  chains: string;
}

/**
 * escalationSources (escalation.rules.ts) in SQL, over an enterprise `e` and its county `c`: the reasons, in
 * ESCALATION_SOURCES order, from the escalated tags (a text[] placeholder) and the 平川四县 switch (a boolean one).
 */
export function escalatedBySql(escalatedTags: string, jointEscalates: string): string {
  // Without any escalation configured (the seeded rulesets) the per-enterprise arrays are never built.
  return `(CASE WHEN cardinality(${escalatedTags}::text[]) = 0 AND NOT ${jointEscalates}::boolean THEN ARRAY[]::text[]
                ELSE ARRAY(SELECT t FROM unnest(${escalatedTags}::text[]) WITH ORDINALITY AS x(t, n)
                            WHERE t = ANY(e.control_tags) ORDER BY n)
                     || CASE WHEN ${jointEscalates}::boolean AND c.joint_control_area
                             THEN ARRAY['JOINT_CONTROL_AREA'] ELSE ARRAY[]::text[] END END)`;
}

/**
 * measureLevel in SQL: the next level when a reason is a NEXT_LEVEL source (`stepUp`, a text[] placeholder) and the
 * current plan (`pv`) has measures there.
 */
export function measureLevelSql(
  escalatedBy: string,
  level: string,
  nextLevel: string,
  stepUp: string,
): string {
  return `CASE WHEN ${escalatedBy} && ${stepUp}::text[] AND pv.level_measures -> ${nextLevel}::text IS NOT NULL
               THEN ${nextLevel}::text ELSE ${level}::text END`;
}

/**
 * gradeTaken in SQL: the grade lowered once per GRADE_LOWER source among the reasons (`lower`, a text[] placeholder),
 * read off the chains of lower grades (`chains`, a jsonb placeholder from gradeLowerChains).
 */
export function gradeTakenSql(grade: string, escalatedBy: string, lower: string, chains: string): string {
  return `CASE WHEN cardinality(${lower}::text[]) = 0 OR NOT ${escalatedBy} && ${lower}::text[] THEN ${grade}
               ELSE ${chains}::jsonb -> ${grade} ->> (SELECT count(*)::int FROM unnest(${escalatedBy}) r WHERE r = ANY(${lower}::text[]))
          END`;
}

/**
 * addedMeasures in SQL: over the reasons (`escalatedBy`, in order) and the plan's list the order carries (`list`,
 * jsonb, NULL for none), the ADD_MEASURES sources' measures (`added`, a jsonb placeholder) the list lacks, in source
 * then template order, each (action, params) once: a jsonb array, or NULL when none (or no list to add to).
 */
export function addedMeasuresSql(escalatedBy: string, list: string, added: string): string {
  return `CASE WHEN ${list} IS NULL OR cardinality(${escalatedBy}) = 0 OR ${added}::jsonb = '{}'::jsonb THEN NULL
               ELSE (SELECT jsonb_agg(d.m ORDER BY d.sn, d.tn) FROM (
                       SELECT DISTINCT ON (t.m ->> 'action', t.m -> 'params') t.m, src.n AS sn, t.n AS tn
                         FROM unnest(${escalatedBy}) WITH ORDINALITY AS src(source, n)
                        CROSS JOIN LATERAL jsonb_array_elements(${added}::jsonb -> src.source) WITH ORDINALITY AS t(m, n)
                        WHERE NOT EXISTS (
                                SELECT 1 FROM jsonb_array_elements(${list}) AS p(m)
                                 WHERE p.m ->> 'line' IS NULL AND p.m ->> 'fromHour' IS NULL AND p.m ->> 'toHour' IS NULL
                                   AND p.m ->> 'action' = t.m ->> 'action'
                                   AND COALESCE(p.m -> 'params', '{}'::jsonb) = t.m -> 'params')
                        ORDER BY t.m ->> 'action', t.m -> 'params', src.n, t.n) d) END`;
}

export interface OrderScopeOptions {
  /** Compute `ms` once (orderScopeCtesFrom). */
  materializeMeasures?: boolean;
  /**
   * `ms.list` holds only the measures the ADD_MEASURES reasons add (`[]` for none), and is NULL exactly where the
   * whole list is: for the preview, which reads only whether there is a list (PROBLEM_SQL) and which reasons added to
   * it. The plans' own lists (65 MB at 100,000 enterprises) then stay out of its hash join, which spilled them to
   * disk (the scope statement at 100,000: 1.11-1.14 → 0.91-1.00 s).
   */
  addedOnly?: boolean;
}

/**
 * Two CTEs: `scope` (every non-archived enterprise of the counties, with its current plan version, its reasons and
 * the level it takes) and `ms` (per plan version, that level's measures whose window has not ended, then the
 * measures its ADD_MEASURES reasons add, as the order's jsonb list, or no row when the plan has none there). The
 * lists are precomputed on the plan version (`level_measures`): a revision taking effect at the warning's own start
 * (every issue) copies them as they are; a later one drops the measures whose window (elapsed hours from the
 * warning's start) has ended by then.
 */
export function orderScopeCtes(p: OrderScopeParams, opts: OrderScopeOptions = {}): string {
  const escalatedBy = escalatedBySql(p.escalatedTags, p.jointEscalates);
  const list = opts.addedOnly
    ? `CASE WHEN b.list IS NULL THEN NULL ELSE COALESCE(a.list, '[]'::jsonb) END`
    : `CASE WHEN a.list IS NULL THEN b.list ELSE b.list || a.list END`;
  // The level's list as it is (the WHERE below has it present); addedOnly needs it only where reasons may add to it.
  const levelList = opts.addedOnly
    ? `CASE WHEN cardinality(s.escalated_by) = 0 THEN '[]'::jsonb ELSE pv.level_measures -> s.measure_level END`
    : 'pv.level_measures -> s.measure_level';
  return `scope AS (
         SELECT e.id, e.county_code, e.grade, e.is_protected, e.contacts, pv.id AS version_id, x.escalated_by,
                ${measureLevelSql('x.escalated_by', p.level, p.nextLevel, p.stepUp)} AS measure_level,
                ${gradeTakenSql('e.grade', 'x.escalated_by', p.lower, p.chains)} AS taken_grade
           FROM enterprise e
           JOIN county c ON c.code = e.county_code
           LEFT JOIN plan_version pv ON pv.enterprise_id = e.id AND pv.is_current
           CROSS JOIN LATERAL (SELECT ${escalatedBy} AS escalated_by) x
          WHERE NOT e.archived AND e.county_code = ANY(${p.countyCodes}::varchar[])),
       ms AS ${opts.materializeMeasures ? 'MATERIALIZED ' : ''}(
         SELECT b.plan_version_id, ${list} AS list
           FROM (SELECT pv.id AS plan_version_id, s.escalated_by,
                        CASE WHEN ${p.revisionEffectiveAt}::timestamptz <= ${p.alertEffectiveAt}::timestamptz
                             THEN ${levelList}
                             ELSE (SELECT jsonb_agg(x.m ORDER BY x.n)
                                     FROM jsonb_array_elements(pv.level_measures -> s.measure_level)
                                          WITH ORDINALITY AS x(m, n)
                                    WHERE x.m ->> 'toHour' IS NULL
                                       OR ${p.alertEffectiveAt}::timestamptz + make_interval(hours => (x.m ->> 'toHour')::int)
                                          > ${p.revisionEffectiveAt}::timestamptz)
                        END AS list
                   FROM scope s JOIN plan_version pv ON pv.id = s.version_id
                  WHERE pv.level_measures -> s.measure_level IS NOT NULL) b
           CROSS JOIN LATERAL (SELECT ${addedMeasuresSql('b.escalated_by', 'b.list', p.added)} AS list) a)`;
}

/** A contact `c` one can send to: a non-blank email. The recipients are these, trimmed, lower-cased, distinct. */
const CONTACT_HAS_EMAIL = "coalesce(trim(c->>'email'), '') <> ''";

/** One row per enterprise in scope (`s`), its measures (`ms`, absent without any) and its distinct emails (`em.emails`). */
export const ORDER_SCOPE_FROM = `scope s
         LEFT JOIN ms ON ms.plan_version_id = s.version_id
         CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT lower(trim(c->>'email')) FROM jsonb_array_elements(s.contacts) c
                                           WHERE ${CONTACT_HAS_EMAIL})::text[] AS emails) em`;

/**
 * ORDER_SCOPE_FROM for the preview, which counts who has no email but sends nothing: `em.has_email` (some contact
 * has one) in place of the list, whose per-enterprise DISTINCT cost 0.2 s at 100,000 enterprises.
 */
export const PREVIEW_SCOPE_FROM = `scope s
         LEFT JOIN ms ON ms.plan_version_id = s.version_id
         CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(s.contacts) c
                                             WHERE ${CONTACT_HAS_EMAIL}) AS has_email) em`;

/** Constant identifiers (grades, kinds) as an SQL list; anything else is a programming error, never quoted blindly. */
function sqlList(values: readonly string[]): string {
  for (const v of values) if (!/^[A-Z_]+$/.test(v)) throw new Error(`not an SQL-safe constant: ${v}`);
  return values.map((v) => `'${v}'`).join(', ');
}

/**
 * noticeTypeFor (order.rules.ts) in SQL, built from the same data: protected first (they run at their approved
 * load), then VOLUNTARY_GRADES. test/e2e/notice-type-sql.e2e-spec.ts runs both over every grade.
 */
export function noticeTypeSql(grade: string): string {
  return `CASE WHEN s.is_protected THEN 'PROTECTED' WHEN ${grade} IN (${sqlList(VOLUNTARY_GRADES)}) THEN 'VOLUNTARY' ELSE 'MANDATORY' END`;
}

export const NOTICE_TYPE_SQL = noticeTypeSql('s.grade');

/** The notice type of an order in scope (orderScopeCtes): by the grade it is treated as (GRADE_LOWER). */
export const SCOPE_NOTICE_TYPE_SQL = noticeTypeSql('s.taken_grade');

/** What needs a person: no email to send to (checked first: nothing reaches them), or no measures at the level. */
const problemSql = (noEmail: string) =>
  `CASE WHEN ${noEmail} THEN 'NO_EMAIL' WHEN ms.list IS NULL THEN 'NO_PLAN' END`;

export const PROBLEM_SQL = problemSql('cardinality(em.emails) = 0');

/** PROBLEM_SQL over PREVIEW_SCOPE_FROM: no recipient is no contact with an email. */
export const PREVIEW_PROBLEM_SQL = problemSql('NOT em.has_email');

/**
 * The orders in force: superseded and lifted ones are history, scheduled ones not yet in force, and end notices
 * are messages, not orders. A lift or cancellation ends these (and sends an end notice for each).
 */
export const CURRENT_ORDER_SQL =
  "state NOT IN ('SUPERSEDED', 'LIFTED', 'SCHEDULED') AND notice_type NOT IN ('LIFT', 'CANCEL')";

/** An end notice's problem: only a missing email (an end notice carries no measures). */
export const END_NOTICE_PROBLEM_SQL = "CASE WHEN cardinality(recipients) = 0 THEN 'NO_EMAIL' END";

/**
 * The campaign orders in force at a time (`at`, a timestamptz placeholder), one per enterprise: of the campaigns issued
 * or in force whose period holds that time, the latest; its measures and the campaign's name (issue 18: a warning on
 * top of a campaign takes the stricter of the two). A set to join on `enterprise_id`: looked up per order instead,
 * PostgreSQL intersected both order indexes once per row (7.8 s for a warning's 10,000 orders).
 */
export function campaignsInForceSql(at: string): string {
  return `SELECT DISTINCT ON (c.enterprise_id) c.enterprise_id, c.measures, ca.campaign->>'name' AS name
            FROM alert ca JOIN reduction_order c ON c.alert_id = ca.id
           WHERE ca.kind = 'CAMPAIGN' AND ca.status IN ('ISSUED', 'ACTIVE')
             AND c.state NOT IN ('SUPERSEDED', 'LIFTED', 'SCHEDULED') AND c.notice_type NOT IN ('LIFT', 'CANCEL')
             AND ca.effective_at <= ${at}::timestamptz
             AND (ca.expected_end_at IS NULL OR ca.expected_end_at > ${at}::timestamptz)
           ORDER BY c.enterprise_id, ca.effective_at DESC`;
}

/** Whether any campaign is issued or in force at a time: without one, no order needs the merge (one cheap probe). */
export const CAMPAIGN_AT_SQL = `SELECT EXISTS (SELECT 1 FROM alert WHERE kind = 'CAMPAIGN' AND status IN ('ISSUED', 'ACTIVE')
         AND effective_at <= $1::timestamptz AND (expected_end_at IS NULL OR expected_end_at > $1::timestamptz)) AS any`;

/**
 * Over `cn` (a row of campaignsInForceSql, or nulls): what a warning's end notice says of the campaign underneath, e.g.
 * 预警解除后,贵单位恢复执行2026—2027年秋冬季差异化错峰生产措施:停产。 (NULL without a campaign).
 */
export const AFTER_WARNING_SQL = `('预警解除后,贵单位恢复执行' || cn.name || '措施:'
       || (SELECT string_agg(x.m ->> 'description', '、' ORDER BY x.n) FROM jsonb_array_elements(cn.measures) WITH ORDINALITY AS x(m, n))
       || '。')`;

/**
 * The warning orders in force that still hold at a time (`at`, a timestamptz placeholder: a campaign's start), one per
 * enterprise: of the warnings issued or in force whose expected end (if any) is after that time, the latest; its id
 * and measures, the warning's code and level (issue 18: a campaign's order approved during a warning names it, for
 * its notice to say which measure applies while the warning lasts). A set to join on `enterprise_id` (looked up per order, PostgreSQL intersects two indexes
 * per row: seconds at 10,000); its one WHERE may be narrowed by the caller.
 */
export function warningsInForceSql(at: string): string {
  return `SELECT DISTINCT ON (w.enterprise_id) w.id, w.enterprise_id, w.measures, wa.code, wa.level
            FROM alert wa JOIN reduction_order w ON w.alert_id = wa.id
           WHERE wa.kind = 'WARNING' AND wa.status IN ('ISSUED', 'ACTIVE')
             AND w.state NOT IN ('SUPERSEDED', 'LIFTED', 'SCHEDULED') AND w.notice_type NOT IN ('LIFT', 'CANCEL')
             AND (wa.expected_end_at IS NULL OR wa.expected_end_at > ${at}::timestamptz)
           ORDER BY w.enterprise_id, wa.effective_at DESC`;
}

/** Whether any warning is issued or in force past a time: without one, no campaign order needs the note (a probe). */
export const WARNING_PAST_SQL = `SELECT EXISTS (SELECT 1 FROM alert WHERE kind = 'WARNING' AND status IN ('ISSUED', 'ACTIVE')
         AND (expected_end_at IS NULL OR expected_end_at > $1::timestamptz)) AS any`;

/**
 * orderScopeCtes over eleven parameters from `$first` on, in the order orderScopeValues gives them. `materializeMeasures`
 * computes `ms` once: PostgreSQL inlines a CTE referenced once, which is what the orders' INSERT wants (inlined 95 ms,
 * materialised 435 ms at 10,000), but under the campaign merge's join the inlined one re-scanned the whole scope once
 * per merged row (7,692 × 10,000: 9.6 s; materialised 0.2 s).
 */
export function orderScopeCtesFrom(first: number, opts: OrderScopeOptions = {}): string {
  const $ = (i: number) => `$${first + i}`;
  return orderScopeCtes(
    {
      countyCodes: $(0),
      level: $(1),
      alertEffectiveAt: $(2),
      revisionEffectiveAt: $(3),
      nextLevel: $(4),
      escalatedTags: $(5),
      jointEscalates: $(6),
      stepUp: $(7),
      added: $(8),
      lower: $(9),
      chains: $(10),
    },
    opts,
  );
}

/** The eleven values of orderScopeCtesFrom, for a revision's counties, level and times under its escalation rules. */
export function orderScopeValues(
  revision: { countyCodes: string[]; level: string; effectiveAt: Date },
  alertEffectiveAt: Date,
  escalation: ReturnType<typeof escalationParams>,
): unknown[] {
  return [
    revision.countyCodes,
    revision.level,
    alertEffectiveAt,
    revision.effectiveAt,
    escalation.nextLevel,
    escalation.tags,
    escalation.joint,
    escalation.stepUp,
    JSON.stringify(escalation.added),
    escalation.lower,
    JSON.stringify(escalation.chains),
  ];
}

/**
 * Over orderScopeValues as $1–$11: each enterprise of the scope with a campaign order in force when the revision takes
 * effect, its warning measures, lines and the campaign's measures and name, for mergeWithCampaign. The approval
 * (campaignMerges) writes from these rows and the preview (campaignMerge) shows them: one statement for both.
 */
export const CAMPAIGN_MERGE_ROWS_SQL = `WITH ${orderScopeCtesFrom(1, { materializeMeasures: true })}, cn AS MATERIALIZED (${campaignsInForceSql('$4')})
       SELECT s.id, e.name, s.county_code, e.lines, COALESCE(ms.list, '[]'::jsonb) AS list,
              cn.measures AS campaign, cn.name AS campaign_name
         FROM scope s JOIN enterprise e ON e.id = s.id
         LEFT JOIN ms ON ms.plan_version_id = s.version_id
         JOIN cn ON cn.enterprise_id = s.id
        ORDER BY s.county_code, e.name, s.id`;

/** A row of CAMPAIGN_MERGE_ROWS_SQL. */
export interface CampaignMergeSqlRow<M> {
  id: string;
  name: string;
  county_code: string;
  lines: Array<{ code: string; name: string }> | null;
  list: M[];
  campaign: M[];
  campaign_name: string;
}
