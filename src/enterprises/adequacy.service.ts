import { addedMeasuresSql, escalatedBySql, measureLevelSql } from '../orders/order-scope.sql';
import { escalationParams, nextLevel } from '../orders/escalation.rules';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { shanghaiDate } from '../common/time';
import { RulesetsService } from '../rulesets/rulesets.service';
import { POLLUTANTS, type Pollutant, type WarningLevel } from '../rulesets/ruleset.types';
import { assessAdequacy, assessScope, type LevelAdequacy, type ScopeAdequacy } from './adequacy.rules';
import { CITY_AREA_CODE } from './emission-inventory.entity';
import type { Emissions, Grade, MeasureInput, ProductionLine } from './enterprise.types';
import { gradeMinimumWarnings, monotonyWarnings, type PlanWarning } from './plan-monotony.rules';

export interface AreaAdequacy {
  areaCode: string;
  name: string;
  levels: LevelAdequacy[];
}

export interface Contributor {
  enterpriseId: string;
  creditCode: string;
  name: string;
  countyCode: string;
  reduction: Emissions;
  /** Share of the area's inventory this enterprise's reduction represents, per pollutant. */
  share: Record<Pollutant, number | null>;
}

/** An enterprise whose plan relaxes on an upgrade or misses its grade's minimum, with its warnings. */
export interface PlanProblem {
  enterpriseId: string;
  creditCode: string;
  name: string;
  countyCode: string;
  grade: Grade;
  /** Warnings of each kind: PLAN_RELAXES and GRADE_MINIMUM. */
  relaxes: number;
  belowMinimum: number;
  warnings: PlanWarning[];
}

export interface PlanChecks {
  /** Non-archived enterprises in scope whose plans were checked (with or without a current plan). */
  checked: number;
  /** Enterprises with at least one PLAN_RELAXES / GRADE_MINIMUM warning. */
  relaxing: number;
  belowMinimum: number;
  /** Those enterprises (either kind), by county and name; at most MAX_PLAN_PROBLEMS. */
  enterprises: PlanProblem[];
  truncated: boolean;
}

export interface AdequacyReport {
  ruleset: { id: string; name: string };
  /** Measures counted: those in force at the start of a response (elapsed hour 0). */
  basis: string;
  city: AreaAdequacy;
  counties: AreaAdequacy[];
  topContributors: Partial<Record<WarningLevel, Contributor[]>>;
  /** Plans that relax on an upgrade or miss their grade's minimum under this ruleset (plan-monotony.rules). */
  planChecks: PlanChecks;
}

const TOP = 10;
const MAX_PLAN_PROBLEMS = 1000;

/**
 * One row per reduction an enterprise's order would count at a level (`county_code`, `level`, so2 … vocs): the
 * current plan's measures in force at hour 0 of the level it takes (measureLevelSql), as summed when the plan was
 * written (`plan_start_reduction`), and the measures its ADD_MEASURES reasons add (addedMeasuresSql: whole
 * response, so in force at hour 0; their reduction the ruleset's, zeros when it gives none), from the same
 * fragments as the orders. `levels` is a FROM item `l(level, next)`; the
 * other arguments are placeholders (escalationParams) and an extra condition on `e`.
 */
function reductionRowsSql(p: {
  levels: string;
  tags: string;
  joint: string;
  stepUp: string;
  added: string;
  where: string;
}): string {
  const from = `FROM plan_version pv
           JOIN enterprise e ON e.id = pv.enterprise_id AND NOT e.archived
           JOIN county c ON c.code = e.county_code
           CROSS JOIN LATERAL (SELECT ${escalatedBySql(p.tags, p.joint)} AS escalated_by) x
           CROSS JOIN ${p.levels}`;
  const level = measureLevelSql('x.escalated_by', 'l.level', 'l.next', p.stepUp);
  return `SELECT e.county_code, l.level, sr.so2, sr.nox, sr.pm, sr.vocs
           ${from}
           JOIN plan_start_reduction sr ON sr.plan_version_id = pv.id AND sr.level = ${level}
          WHERE pv.is_current AND ${p.where}
         UNION ALL
         SELECT e.county_code, l.level, (a.m #>> '{reduction,so2}')::numeric, (a.m #>> '{reduction,nox}')::numeric,
                (a.m #>> '{reduction,pm}')::numeric, (a.m #>> '{reduction,vocs}')::numeric
           ${from}
           CROSS JOIN LATERAL jsonb_array_elements(
                        ${addedMeasuresSql('x.escalated_by', `(pv.level_measures -> (${level}))`, p.added)}) AS a(m)
          WHERE pv.is_current AND cardinality(x.escalated_by) > 0 AND ${p.where}`;
}

interface TotalRow {
  county_code: string;
  level: WarningLevel;
  so2: string;
  nox: string;
  pm: string;
  vocs: string;
}

@Injectable()
export class AdequacyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rulesets: RulesetsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Per level and pollutant, the list's summed reductions against the inventory and the ruleset's
   * required ratio, city-wide and per county; two aggregate queries whatever the list size.
   */
  async report(opts: { countyCode?: string; rulesetId?: string }): Promise<AdequacyReport> {
    const ruleset = opts.rulesetId
      ? await this.rulesets.get(opts.rulesetId)
      : await this.rulesets.inEffectOn(shanghaiDate(this.clock.now()));
    const counties = await this.dataSource.query<Array<{ code: string; name: string }>>(
      'SELECT code, name FROM county ORDER BY sort_order',
    );
    if (opts.countyCode && !counties.some((c) => c.code === opts.countyCode)) {
      throw DomainError.validation([{ field: 'countyCode', message: `未知区县代码 ${opts.countyCode}` }]);
    }
    const inventoryRows = await this.dataSource.query<
      Array<{ area_code: string; so2: string; nox: string; pm: string; vocs: string }>
    >('SELECT area_code, so2, nox, pm, vocs FROM emission_inventory');
    const inventory = new Map(inventoryRows.map((r) => [r.area_code, toEmissions(r)]));
    // Per level L of the ruleset, each enterprise counts the measures it would take at L: its plan's at L, or at the
    // next level up when the ruleset holds one of its tags or its county to NEXT_LEVEL (measureLevel,
    // escalation.rules.ts), and those its ADD_MEASURES reasons add (addedMeasures).
    const esc = escalationParams(ruleset.levels[0], ruleset.levels, ruleset.definition.escalations);
    const scope = opts.countyCode ?? null;
    const areaInventory = inventory.get(scope ?? CITY_AREA_CODE) ?? null;
    // Three independent reads on three pooled connections: PostgreSQL runs them side by side.
    const [totals, topContributors, planChecks] = await Promise.all([
      this.dataSource.query<TotalRow[]>(
        `SELECT r.county_code, r.level, sum(r.so2) AS so2, sum(r.nox) AS nox, sum(r.pm) AS pm, sum(r.vocs) AS vocs
         FROM (${reductionRowsSql({
           levels: 'unnest($1::text[], $2::text[]) AS l(level, next)',
           tags: '$3',
           joint: '$4',
           stepUp: '$5',
           added: '$6',
           where: 'true',
         })}) r
        GROUP BY r.county_code, r.level`,
        [
          ruleset.levels,
          ruleset.levels.map((l) => nextLevel(l, ruleset.levels)),
          esc.tags,
          esc.joint,
          esc.stepUp,
          JSON.stringify(esc.added),
        ],
      ),
      this.topContributors(ruleset.levels, scope, areaInventory),
      this.planChecks(ruleset.levels, ruleset.definition.gradeMinimums, scope),
    ]);
    const byCounty = new Map<string, Partial<Record<WarningLevel, Emissions>>>();
    const city: Partial<Record<WarningLevel, Emissions>> = {};
    for (const row of totals) {
      const sums = toEmissions(row);
      const county = byCounty.get(row.county_code) ?? {};
      county[row.level] = sums;
      byCounty.set(row.county_code, county);
      city[row.level] = add(city[row.level], sums);
    }
    const assess = (code: string, reductions: Partial<Record<WarningLevel, Emissions>>) =>
      assessAdequacy({
        levels: ruleset.levels,
        ratios: ruleset.definition.reductionRatios,
        inventory: inventory.get(code) ?? null,
        reductions,
      });

    return {
      ruleset: { id: ruleset.id, name: ruleset.name },
      basis: '按预警响应开始时(第0小时)执行的措施统计;分母为全社会排放清单(kg/d)',
      city: { areaCode: CITY_AREA_CODE, name: '吕梁市', levels: assess(CITY_AREA_CODE, city) },
      counties: counties
        .filter((c) => !scope || c.code === scope)
        .map((c) => ({ areaCode: c.code, name: c.name, levels: assess(c.code, byCounty.get(c.code) ?? {}) })),
      topContributors,
      planChecks,
    };
  }

  /**
   * The plans in scope that relax on an upgrade or miss their grade's minimum. Relaxations are read from the
   * plan versions (worked out when each was written); measures are read only where a rule still needs them: a
   * version written before that column, or an enterprise whose grade the ruleset sets a minimum for (an
   * enterprise without a plan is checked as an empty one: a D-grade enterprise without one misses its minimum).
   */
  private async planChecks(
    levels: readonly WarningLevel[],
    gradeMinimums: Parameters<typeof gradeMinimumWarnings>[0]['minimums'],
    countyCode: string | null,
  ): Promise<PlanChecks> {
    const graded = Object.keys(gradeMinimums ?? {});
    const [{ checked }] = await this.dataSource.query<Array<{ checked: number }>>(
      'SELECT count(*)::int AS checked FROM enterprise e WHERE NOT e.archived AND ($1::varchar IS NULL OR e.county_code = $1)',
      [countyCode],
    );
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        credit_code: string;
        name: string;
        county_code: string;
        grade: Grade;
        is_protected: boolean;
        lines: ProductionLine[];
        version_id: string | null;
        relaxations: PlanWarning[] | null;
        /** A rule still needs the measures: relaxations not recorded, or a grade with a minimum. */
        needs_measures: boolean;
      }>
    >(
      `SELECT e.id, e.credit_code, e.name, e.county_code, e.grade, e.is_protected, e.lines, pv.id AS version_id,
              pv.relaxations,
              (pv.id IS NOT NULL AND pv.relaxations IS NULL) OR (e.grade = ANY($2::text[]) AND NOT e.is_protected)
                AS needs_measures
         FROM enterprise e
         LEFT JOIN plan_version pv ON pv.enterprise_id = e.id AND pv.is_current
        WHERE NOT e.archived AND ($1::varchar IS NULL OR e.county_code = $1)
          AND ((pv.id IS NOT NULL AND (pv.relaxations IS NULL OR pv.relaxations <> '[]'::jsonb))
               OR (e.grade = ANY($2::text[]) AND NOT e.is_protected))`,
      [countyCode, graded],
    );
    const wanted = rows.filter((r) => r.needs_measures && r.version_id).map((r) => r.version_id!);
    const measureRows = wanted.length
      ? await this.dataSource.query<
          Array<{
            plan_version_id: string;
            level: WarningLevel;
            line: string | null;
            action: MeasureInput['action'];
            params: MeasureInput['params'];
            description: string;
            from_hour: number | null;
            to_hour: number | null;
          }>
        >(
          `SELECT plan_version_id, level, line, action, params, description, from_hour, to_hour
             FROM plan_measure WHERE plan_version_id = ANY($1::uuid[]) ORDER BY plan_version_id, seq`,
          [wanted],
        )
      : [];
    // Only the fields the plan rules read (no reductions or verification).
    const measuresOf = new Map<string, MeasureInput[]>();
    for (const m of measureRows) {
      const list = measuresOf.get(m.plan_version_id) ?? [];
      list.push({
        level: m.level,
        line: m.line,
        action: m.action,
        params: m.params,
        description: m.description,
        fromHour: m.from_hour,
        toHour: m.to_hour,
      } as MeasureInput);
      measuresOf.set(m.plan_version_id, list);
    }
    const problems: PlanProblem[] = [];
    for (const r of rows) {
      const measures = (r.version_id && measuresOf.get(r.version_id)) || [];
      const warnings = [
        ...(r.relaxations ?? monotonyWarnings(measures, levels)),
        ...gradeMinimumWarnings({
          grade: r.grade,
          protected: r.is_protected,
          measures,
          levels,
          lines: r.lines,
          minimums: gradeMinimums,
        }),
      ];
      if (warnings.length === 0) continue;
      problems.push({
        enterpriseId: r.id,
        creditCode: r.credit_code,
        name: r.name,
        countyCode: r.county_code,
        grade: r.grade,
        relaxes: warnings.filter((w) => w.code === 'PLAN_RELAXES').length,
        belowMinimum: warnings.filter((w) => w.code === 'GRADE_MINIMUM').length,
        warnings,
      });
    }
    problems.sort(
      (a, b) =>
        a.countyCode.localeCompare(b.countyCode) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        a.enterpriseId.localeCompare(b.enterpriseId),
    );
    return {
      checked,
      relaxing: problems.filter((p) => p.relaxes > 0).length,
      belowMinimum: problems.filter((p) => p.belowMinimum > 0).length,
      enterprises: problems.slice(0, MAX_PLAN_PROBLEMS),
      truncated: problems.length > MAX_PLAN_PROBLEMS,
    };
  }

  /**
   * Adequacy of one warning's scope: at its level, the summed reductions of the non-archived enterprises of
   * these counties (measures in force at hour 0, as in the report) against the counties' inventories, for the
   * scope as a whole and for each county (`assessScope`). One statement whatever the number of counties or
   * enterprises. A county without an inventory leaves its baseline, and the scope's, unknown (ratio and ok
   * null) rather than understated; it is named in `inventoryMissing`.
   */
  async forCounties(
    opts: { countyCodes: string[]; level: WarningLevel; rulesetId: string },
    manager?: EntityManager,
    /** Per county, a reduction to add (the preview's campaign merge, campaignMergePreview). */
    added?: ReadonlyMap<string, Emissions>,
  ): Promise<ScopeAdequacy> {
    const db = manager ?? this.dataSource; // the caller's (read-only) transaction, for one consistent snapshot
    const ruleset = await this.rulesets.get(opts.rulesetId);
    const esc = escalationParams(opts.level, ruleset.levels, ruleset.definition.escalations);
    type Sums = { so2: string; nox: string; pm: string; vocs: string };
    const rows = await db.query<Array<{ code: string; inventory: Sums | null; reduction: Sums | null }>>(
      `SELECT c.code,
              CASE WHEN i.area_code IS NULL THEN NULL
                   ELSE json_build_object('so2', i.so2, 'nox', i.nox, 'pm', i.pm, 'vocs', i.vocs) END AS inventory,
              CASE WHEN r.county_code IS NULL THEN NULL
                   ELSE json_build_object('so2', r.so2, 'nox', r.nox, 'pm', r.pm, 'vocs', r.vocs) END AS reduction
         FROM unnest($2::varchar[]) AS c(code)
         LEFT JOIN emission_inventory i ON i.area_code = c.code
         LEFT JOIN (
           SELECT r.county_code, sum(r.so2) AS so2, sum(r.nox) AS nox, sum(r.pm) AS pm, sum(r.vocs) AS vocs
             FROM (${reductionRowsSql({
               levels: '(SELECT $1::text AS level, $3::text AS next) l',
               tags: '$4',
               joint: '$5',
               stepUp: '$6',
               added: '$7',
               where: 'e.county_code = ANY($2::varchar[])',
             })}) r
            GROUP BY r.county_code) r ON r.county_code = c.code`,
      [
        opts.level,
        opts.countyCodes,
        esc.nextLevel,
        esc.tags,
        esc.joint,
        esc.stepUp,
        JSON.stringify(esc.added),
      ],
    );
    const inventory = new Map<string, Emissions>();
    const reductions = new Map<string, Emissions>();
    for (const row of rows) {
      if (row.inventory) inventory.set(row.code, toEmissions(row.inventory));
      if (row.reduction) reductions.set(row.code, toEmissions(row.reduction));
    }
    for (const [code, extra] of added ?? []) {
      const base = reductions.get(code) ?? { so2: 0, nox: 0, pm: 0, vocs: 0 };
      reductions.set(code, {
        so2: base.so2 + extra.so2,
        nox: base.nox + extra.nox,
        pm: base.pm + extra.pm,
        vocs: base.vocs + extra.vocs,
      });
    }
    return assessScope({
      level: opts.level,
      ratios: ruleset.definition.reductionRatios,
      countyCodes: opts.countyCodes,
      inventory,
      reductions,
    });
  }

  private async topContributors(
    levels: readonly WarningLevel[],
    countyCode: string | null,
    inv: Emissions | null,
  ): Promise<AdequacyReport['topContributors']> {
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        credit_code: string;
        name: string;
        county_code: string;
        level: WarningLevel;
        so2: string;
        nox: string;
        pm: string;
        vocs: string;
      }>
    >(
      // Per level, a bounded top-N sort over narrow rows (id, credit code, sums) instead of a window over every
      // enterprise's row sorted whole; names are joined for the ten kept. Same order: score, then credit code.
      `WITH per AS MATERIALIZED (
         SELECT e.id, e.credit_code, sr.level, sr.so2, sr.nox, sr.pm, sr.vocs
           FROM plan_start_reduction sr
           JOIN plan_version pv ON pv.id = sr.plan_version_id AND pv.is_current
           JOIN enterprise e ON e.id = pv.enterprise_id AND NOT e.archived
          WHERE $1::varchar IS NULL OR e.county_code = $1)
       SELECT t.id, t.credit_code, e.name, e.county_code, t.level, t.so2, t.nox, t.pm, t.vocs
         FROM unnest($6::text[]) WITH ORDINALITY AS l(level, n)
        CROSS JOIN LATERAL (
          SELECT s.* FROM (
            SELECT per.*, COALESCE(so2 / NULLIF($2::numeric, 0), 0) + COALESCE(nox / NULLIF($3::numeric, 0), 0)
                        + COALESCE(pm / NULLIF($4::numeric, 0), 0) + COALESCE(vocs / NULLIF($5::numeric, 0), 0) AS score
              FROM per WHERE per.level = l.level) s
           ORDER BY s.score DESC, s.credit_code
           LIMIT ${TOP}) t
         JOIN enterprise e ON e.id = t.id
        ORDER BY l.n, t.score DESC, t.credit_code`,
      [countyCode, inv?.so2 ?? 0, inv?.nox ?? 0, inv?.pm ?? 0, inv?.vocs ?? 0, levels],
    );
    const result: AdequacyReport['topContributors'] = {};
    for (const level of levels) {
      result[level] = rows
        .filter((r) => r.level === level)
        .map((r) => {
          const reduction = toEmissions(r);
          const share = Object.fromEntries(
            POLLUTANTS.map((p) => [p, inv && inv[p] > 0 ? reduction[p] / inv[p] : null]),
          ) as Contributor['share'];
          return {
            enterpriseId: r.id,
            creditCode: r.credit_code,
            name: r.name,
            countyCode: r.county_code,
            reduction,
            share,
          };
        });
    }
    return result;
  }
}

function toEmissions(r: {
  so2: string | number;
  nox: string | number;
  pm: string | number;
  vocs: string | number;
}): Emissions {
  return { so2: Number(r.so2), nox: Number(r.nox), pm: Number(r.pm), vocs: Number(r.vocs) };
}

function add(a: Emissions | undefined, b: Emissions): Emissions {
  return a ? { so2: a.so2 + b.so2, nox: a.nox + b.nox, pm: a.pm + b.pm, vocs: a.vocs + b.vocs } : { ...b };
}
