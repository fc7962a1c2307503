import { pageSql, ScopedFilter } from '../common/sql/scoped-filter';
import { hourlyAverages } from '../reconciliation/hourly-averages';
import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { ALL_COUNTIES, type CountyScope, inCountyScope } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { shanghaiDate } from '../common/time';
import {
  type Finding,
  type FindingKind,
  METRIC_NAMES,
  type MeteredPoint,
  type Metric,
} from '../reconciliation/reconciliation.rules';
import {
  checkKey,
  checkSpan,
  type ConditionInForce,
  conditionChecks,
  evaluateChecks,
  LIMIT_KEYS,
  type Limits,
  STANDING_FINDING_NAMES,
  STANDING_TOLERANCES,
  type StandingCheck,
  type StandingConditionInput,
  standingConditionProblems,
  validOn,
} from './standing-condition.rules';

export interface StandingConditionView {
  id: string;
  enterpriseId: string;
  countyCode: string;
  name: string;
  basis: string;
  /** Outlet codes it applies to; empty: every outlet of the enterprise. */
  outlets: string[];
  limits: { so2: number | null; nox: number | null; pm: number | null; vocs: number | null };
  validFrom: string;
  validTo: string | null;
  /** Valid today (Beijing date). */
  inForce: boolean;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
}

export interface StandingFindingView {
  id: string;
  conditionId: string;
  conditionName: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  countyName: string;
  pointId: string;
  pointCode: string;
  pointName: string | null;
  metric: Metric;
  metricName: string;
  kind: FindingKind;
  kindName: string;
  fromAt: Date;
  toAt: Date;
  hours: number;
  allowed: number;
  observedMax: number | null;
  observedAvg: number | null;
  firstFoundAt: Date;
  computedAt: Date;
}

export interface StandingCheckRun {
  computedAt: Date;
  durationMs: number;
  from: Date;
  to: Date;
  conditions: number;
  checks: number;
  unmetered: number;
  hoursChecked: number;
  hoursPassed: number;
  exceeded: number;
  missing: number;
}

export interface StandingFindingQuery {
  county?: string;
  enterprise?: string;
  kind?: FindingKind;
  page?: number;
  pageSize?: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** A `date` column read as `::text`: YYYY-MM-DD. */
const day = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const SELECT_CONDITION = `
  SELECT id, enterprise_id, county_code, name, basis, outlet_codes, limit_so2::float8 AS limit_so2,
         limit_nox::float8 AS limit_nox, limit_pm::float8 AS limit_pm, limit_vocs::float8 AS limit_vocs,
         valid_from::text AS valid_from, valid_to::text AS valid_to, created_by_name, created_at, updated_by_name,
         updated_at
    FROM standing_condition`;

const SELECT_FINDING = `
  SELECT f.*, sc.name AS condition_name, e.name AS enterprise_name, c.name AS county_name, p.code AS point_code,
         p.name AS point_name
    FROM standing_condition_finding f
    JOIN standing_condition sc ON sc.id = f.condition_id
    JOIN enterprise e ON e.id = f.enterprise_id
    JOIN county c ON c.code = f.county_code
    JOIN metering_point p ON p.id = f.point_id`;

function findingView(r: Record<string, unknown>): StandingFindingView {
  const metric = r.metric as Metric;
  const kind = r.kind as FindingKind;
  return {
    id: r.id as string,
    conditionId: r.condition_id as string,
    conditionName: r.condition_name as string,
    enterpriseId: r.enterprise_id as string,
    enterpriseName: r.enterprise_name as string,
    countyCode: r.county_code as string,
    countyName: r.county_name as string,
    pointId: r.point_id as string,
    pointCode: r.point_code as string,
    pointName: (r.point_name as string | null) ?? null,
    metric,
    metricName: METRIC_NAMES[metric] ?? metric,
    kind,
    kindName: STANDING_FINDING_NAMES[kind],
    fromAt: r.from_at as Date,
    toAt: r.to_at as Date,
    hours: r.hours as number,
    allowed: r.allowed as number,
    observedMax: num(r.observed_max),
    observedAvg: num(r.observed_avg),
    firstFoundAt: r.first_found_at as Date,
    computedAt: r.computed_at as Date,
  };
}

/**
 * Standing conditions (常态管控条件, issue 18, seed item 5) and their check on the CEMS readings: the one writer of
 * standing_condition and standing_condition_finding. A check covers the last 48 hours of every condition in force in
 * a fixed number of set-based queries (conditions, outlets, findings carried over, one hourly aggregate, and one
 * transaction deleting the findings gone and upserting the rest), whatever the number of enterprises.
 */
@Injectable()
export class StandingConditionsService {
  private readonly logger = new Logger(StandingConditionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private async enterprise(id: string, scope: CountyScope): Promise<{ id: string; county_code: string }> {
    if (!isUuid(id)) throw DomainError.notFound('企业');
    const [e] = await this.dataSource.query<Array<{ id: string; county_code: string }>>(
      `SELECT id, county_code FROM enterprise WHERE id = $1`,
      [id],
    );
    // Another county's enterprise answers like an unknown one.
    if (!e || !inCountyScope(scope, e.county_code)) throw DomainError.notFound('企业');
    return e;
  }

  private view(r: Record<string, unknown>, today: string): StandingConditionView {
    const validFrom = day(r.valid_from)!;
    const validTo = day(r.valid_to);
    return {
      id: r.id as string,
      enterpriseId: r.enterprise_id as string,
      countyCode: r.county_code as string,
      name: r.name as string,
      basis: r.basis as string,
      outlets: (r.outlet_codes as string[] | null) ?? [],
      limits: {
        so2: num(r.limit_so2),
        nox: num(r.limit_nox),
        pm: num(r.limit_pm),
        vocs: num(r.limit_vocs),
      },
      validFrom,
      validTo,
      inForce: validOn({ validFrom, validTo }, today),
      createdBy: r.created_by_name as string,
      createdAt: r.created_at as Date,
      updatedBy: r.updated_by_name as string,
      updatedAt: r.updated_at as Date,
    };
  }

  private async current(
    m: EntityManager | DataSource,
    enterpriseId: string,
  ): Promise<StandingConditionView[]> {
    const rows = await m.query<Array<Record<string, unknown>>>(
      `${SELECT_CONDITION} WHERE enterprise_id = $1 AND archived_at IS NULL ORDER BY valid_from, name`,
      [enterpriseId],
    );
    const today = shanghaiDate(this.clock.now());
    return rows.map((r) => this.view(r, today));
  }

  /** The enterprise's current conditions (a county officer: their counties' enterprises only). */
  async list(enterpriseId: string, scope: CountyScope = ALL_COUNTIES): Promise<StandingConditionView[]> {
    await this.enterprise(enterpriseId, scope);
    return this.current(this.dataSource, enterpriseId);
  }

  /**
   * Replaces the enterprise's conditions with these: kept by name (one of the same name is updated in place and
   * keeps its id and findings), those left out archived (their findings stay, as history; they are checked no
   * more). Audited as `standing-conditions.replaced`.
   */
  async replace(
    enterpriseId: string,
    input: { conditions: StandingConditionInput[] },
    actor: Actor,
  ): Promise<StandingConditionView[]> {
    const e = await this.enterprise(enterpriseId, ALL_COUNTIES);
    const outlets = await this.dataSource.query<Array<{ code: string }>>(
      `SELECT code FROM metering_point WHERE enterprise_id = $1 AND kind = 'OUTLET_CEMS'`,
      [enterpriseId],
    );
    const problems = standingConditionProblems(
      input.conditions,
      outlets.map((o) => o.code),
    );
    if (problems.length) throw DomainError.validation(problems);
    const now = this.clock.now();
    const by = actor.name ?? 'system';
    const conditions = input.conditions.map((c) => ({ ...c, name: c.name.trim(), basis: c.basis.trim() }));
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT id FROM enterprise WHERE id = $1 FOR UPDATE`, [enterpriseId]);
      const [archived] = await m.query<[Array<{ name: string }>, number]>(
        `UPDATE standing_condition SET archived_at = $3, updated_at = $3, updated_by_name = $4
          WHERE enterprise_id = $1 AND archived_at IS NULL AND NOT (name = ANY($2::text[]))
          RETURNING name`,
        [enterpriseId, conditions.map((c) => c.name), now, by],
      );
      await this.upsert(m, enterpriseId, e.county_code, conditions, now, by);
      await this.audit.record(
        {
          actor,
          action: 'standing-conditions.replaced',
          subjectType: 'enterprise',
          subjectId: enterpriseId,
          data: { conditions, archived: archived.map((r) => r.name) },
        },
        m,
      );
      return this.current(m, enterpriseId);
    });
  }

  private async upsert(
    m: EntityManager,
    enterpriseId: string,
    countyCode: string,
    conditions: StandingConditionInput[],
    now: Date,
    by: string,
  ): Promise<void> {
    if (conditions.length === 0) return;
    const limit = (k: (typeof LIMIT_KEYS)[number]) => conditions.map((c) => c.limits[k] ?? null);
    // One statement; outlet lists travel as JSON (unnest cannot take an array of arrays of different lengths).
    await m.query(
      `INSERT INTO standing_condition (enterprise_id, county_code, name, basis, outlet_codes, limit_so2, limit_nox,
                                       limit_pm, limit_vocs, valid_from, valid_to, created_by_name, created_at,
                                       updated_by_name, updated_at)
       SELECT $1, $2, u.name, u.basis, ARRAY(SELECT jsonb_array_elements_text(u.outlets)), u.so2, u.nox, u.pm, u.vocs,
              u.valid_from, u.valid_to, $12, $13, $12, $13
         FROM unnest($3::text[], $4::text[], $5::jsonb[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[],
                     $10::date[], $11::date[]) AS u(name, basis, outlets, so2, nox, pm, vocs, valid_from, valid_to)
       ON CONFLICT (enterprise_id, name) WHERE archived_at IS NULL DO UPDATE SET
         basis = EXCLUDED.basis, outlet_codes = EXCLUDED.outlet_codes, limit_so2 = EXCLUDED.limit_so2,
         limit_nox = EXCLUDED.limit_nox, limit_pm = EXCLUDED.limit_pm, limit_vocs = EXCLUDED.limit_vocs,
         valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, county_code = EXCLUDED.county_code,
         updated_by_name = EXCLUDED.updated_by_name, updated_at = EXCLUDED.updated_at`,
      [
        enterpriseId,
        countyCode,
        conditions.map((c) => c.name),
        conditions.map((c) => c.basis),
        conditions.map((c) => JSON.stringify(c.outlets ?? [])),
        limit('so2'),
        limit('nox'),
        limit('pm'),
        limit('vocs'),
        conditions.map((c) => c.validFrom),
        conditions.map((c) => c.validTo ?? null),
        by,
        now,
      ],
    );
  }

  /**
   * The demo seed's conditions (demo mode), in the seed's transaction: for the enterprises (by credit code, not
   * archived) that never had a condition, so a restart adds nothing and an administrator's edits (removals too)
   * stay. One statement. Returns how many were added.
   */
  async ensureDemoConditions(
    m: EntityManager,
    enterprises: Array<{ creditCode: string; conditions: StandingConditionInput[] }>,
  ): Promise<number> {
    const rows = enterprises.flatMap((e) => e.conditions.map((c) => ({ creditCode: e.creditCode, ...c })));
    if (rows.length === 0) return 0;
    const limit = (k: (typeof LIMIT_KEYS)[number]) => rows.map((r) => r.limits[k] ?? null);
    const [{ n }] = await m.query<Array<{ n: number }>>(
      `WITH ins AS (
         INSERT INTO standing_condition (enterprise_id, county_code, name, basis, outlet_codes, limit_so2, limit_nox,
                                         limit_pm, limit_vocs, valid_from, valid_to, created_by_name, created_at,
                                         updated_by_name, updated_at)
         SELECT e.id, e.county_code, u.name, u.basis, ARRAY(SELECT jsonb_array_elements_text(u.outlets)), u.so2, u.nox,
                u.pm, u.vocs, u.valid_from, u.valid_to, 'system', $11, 'system', $11
           FROM unnest($1::varchar[], $2::text[], $3::text[], $4::jsonb[], $5::numeric[], $6::numeric[],
                       $7::numeric[], $8::numeric[], $9::date[], $10::date[])
                AS u(credit_code, name, basis, outlets, so2, nox, pm, vocs, valid_from, valid_to)
           JOIN enterprise e ON e.credit_code = u.credit_code AND NOT e.archived
          WHERE NOT EXISTS (SELECT 1 FROM standing_condition c WHERE c.enterprise_id = e.id)
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        rows.map((r) => r.creditCode),
        rows.map((r) => r.name),
        rows.map((r) => r.basis),
        rows.map((r) => JSON.stringify(r.outlets ?? [])),
        limit('so2'),
        limit('nox'),
        limit('pm'),
        limit('vocs'),
        rows.map((r) => r.validFrom),
        rows.map((r) => r.validTo ?? null),
        this.clock.now(),
      ],
    );
    return n;
  }

  /**
   * Checks every condition in force over the last 48 hours against the hourly averages of its outlets, and replaces
   * the findings of that span: kept by (condition, outlet, metric, kind, start), so one that grows keeps its id; one
   * that late readings answer goes; findings that ended before the span stay as they are. Audited as
   * `standing-conditions.checked` when a person asks (the hourly job's runs are not audited one by one).
   */
  async checkAll(actor: Actor = SYSTEM_ACTOR): Promise<StandingCheckRun> {
    const started = performance.now();
    const now = this.clock.now();
    const span = checkSpan(now);
    const conditions = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT sc.id, sc.enterprise_id, sc.county_code, sc.outlet_codes, sc.limit_so2::float8 AS limit_so2,
              sc.limit_nox::float8 AS limit_nox, sc.limit_pm::float8 AS limit_pm, sc.limit_vocs::float8 AS limit_vocs,
              sc.valid_from::text AS valid_from, sc.valid_to::text AS valid_to
         FROM standing_condition sc JOIN enterprise e ON e.id = sc.enterprise_id
        WHERE sc.archived_at IS NULL AND NOT e.archived
          AND sc.valid_from <= $1::date AND (sc.valid_to IS NULL OR sc.valid_to >= $2::date)`,
      [shanghaiDate(span.to), shanghaiDate(span.from)],
    );
    const conditionIds = conditions.map((c) => c.id as string);
    const enterpriseIds = [...new Set(conditions.map((c) => c.enterprise_id as string))];
    const points = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT id, enterprise_id, code, limit_so2::float8 AS limit_so2, limit_nox::float8 AS limit_nox,
              limit_pm::float8 AS limit_pm, limit_vocs::float8 AS limit_vocs
         FROM metering_point WHERE enterprise_id = ANY($1::uuid[]) AND kind = 'OUTLET_CEMS'`,
      [enterpriseIds],
    );
    const pointsOf = new Map<string, MeteredPoint[]>();
    for (const p of points) {
      const list = pointsOf.get(p.enterprise_id as string) ?? [];
      list.push({
        id: p.id as string,
        kind: 'OUTLET_CEMS',
        code: p.code as string,
        normalPowerKw: null,
        limits: {
          so2: num(p.limit_so2),
          nox: num(p.limit_nox),
          pm: num(p.limit_pm),
          vocs: num(p.limit_vocs),
        },
      });
      pointsOf.set(p.enterprise_id as string, list);
    }
    // Findings still open at the span's start: their checks start where they did.
    const carried = await this.dataSource.query<
      Array<{ condition_id: string; point_id: string; metric: Metric; from_at: Date }>
    >(
      `SELECT condition_id, point_id, metric, min(from_at) AS from_at FROM standing_condition_finding
        WHERE condition_id = ANY($1::uuid[]) AND from_at < $2 AND to_at >= $2
        GROUP BY 1, 2, 3`,
      [conditionIds, span.from],
    );
    const carry = new Map(
      carried.map((c) => [
        checkKey({ conditionId: c.condition_id, pointId: c.point_id, metric: c.metric }),
        c.from_at,
      ]),
    );

    const scopeOf = new Map<string, { enterpriseId: string; countyCode: string }>();
    const checks: StandingCheck[] = [];
    let unmetered = 0;
    for (const c of conditions) {
      const condition: ConditionInForce = {
        id: c.id as string,
        outletCodes: (c.outlet_codes as string[] | null) ?? [],
        limits: {
          so2: num(c.limit_so2),
          nox: num(c.limit_nox),
          pm: num(c.limit_pm),
          vocs: num(c.limit_vocs),
        } satisfies Limits,
        validFrom: day(c.valid_from)!,
        validTo: day(c.valid_to),
      };
      scopeOf.set(condition.id, {
        enterpriseId: c.enterprise_id as string,
        countyCode: c.county_code as string,
      });
      const r = conditionChecks(
        condition,
        pointsOf.get(c.enterprise_id as string) ?? [],
        span,
        STANDING_TOLERANCES,
        carry,
      );
      if (r.unmetered) unmetered++;
      checks.push(...r.checks);
    }
    const hourly = await hourlyAverages(this.dataSource, checks);
    const { found, counts } = evaluateChecks(checks, hourly, now, STANDING_TOLERANCES);
    await this.write(conditionIds, span.from, found, scopeOf, now);
    const run: StandingCheckRun = {
      computedAt: now,
      durationMs: Math.round(performance.now() - started),
      from: span.from,
      to: span.to,
      conditions: conditions.length,
      unmetered,
      ...counts,
    };
    if (actor.id)
      await this.dataSource.transaction((m) =>
        this.audit.record(
          {
            actor,
            action: 'standing-conditions.checked',
            subjectType: 'enterprise',
            data: { ...run },
          },
          m,
        ),
      );
    this.logger.debug(
      `standing conditions: ${counts.checks} checks, ${found.length} findings, ${run.durationMs} ms`,
    );
    return run;
  }

  /**
   * The findings of a check replace those of the conditions checked that were still open at the span's start or
   * began after it; one transaction under a lock, so a check asked for by hand and the hourly one do not interleave.
   */
  private async write(
    conditionIds: string[],
    spanFrom: Date,
    found: Array<{ check: StandingCheck; finding: Finding }>,
    scopeOf: Map<string, { enterpriseId: string; countyCode: string }>,
    now: Date,
  ): Promise<void> {
    const col = <T>(f: (r: (typeof found)[number]) => T) => found.map(f);
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('haze:standing-conditions'))`);
      const keys = [
        col((r) => r.check.conditionId),
        col((r) => r.check.pointId),
        col((r) => r.check.metric),
        col((r) => r.finding.kind),
        col((r) => r.finding.from),
      ];
      await m.query(
        `DELETE FROM standing_condition_finding f
          WHERE f.condition_id = ANY($1::uuid[]) AND f.to_at >= $2
            AND NOT EXISTS (SELECT 1 FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[])
                                   AS k(condition_id, point_id, metric, kind, from_at)
                             WHERE k.condition_id = f.condition_id AND k.point_id = f.point_id AND k.metric = f.metric
                               AND k.kind = f.kind AND k.from_at = f.from_at)`,
        [conditionIds, spanFrom, ...keys],
      );
      if (found.length === 0) return;
      await m.query(
        `INSERT INTO standing_condition_finding (condition_id, enterprise_id, county_code, point_id, metric, kind, from_at,
                                                 to_at, hours, allowed, observed_max, observed_avg, first_found_at,
                                                 computed_at)
         SELECT k.condition_id, k.enterprise_id, k.county_code, k.point_id, k.metric, k.kind, k.from_at, k.to_at, k.hours,
                k.allowed, k.observed_max, k.observed_avg, $1, $1
           FROM unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::uuid[], $6::text[], $7::text[], $8::timestamptz[],
                       $9::timestamptz[], $10::int[], $11::float8[], $12::float8[], $13::float8[])
             AS k(condition_id, enterprise_id, county_code, point_id, metric, kind, from_at, to_at, hours, allowed,
                  observed_max, observed_avg)
         ON CONFLICT ON CONSTRAINT uq_standing_condition_finding_key DO UPDATE SET
           to_at = EXCLUDED.to_at, hours = EXCLUDED.hours, allowed = EXCLUDED.allowed,
           observed_max = EXCLUDED.observed_max, observed_avg = EXCLUDED.observed_avg,
           enterprise_id = EXCLUDED.enterprise_id, county_code = EXCLUDED.county_code,
           computed_at = EXCLUDED.computed_at`,
        [
          now,
          keys[0],
          col((r) => scopeOf.get(r.check.conditionId)!.enterpriseId),
          col((r) => scopeOf.get(r.check.conditionId)!.countyCode),
          keys[1],
          keys[2],
          keys[3],
          keys[4],
          col((r) => r.finding.to),
          col((r) => r.finding.hours),
          col((r) => r.check.allowed),
          col((r) => r.finding.observedMax),
          col((r) => r.finding.observedAvg),
        ],
      );
    });
  }

  /**
   * A page of findings within the caller's counties, newest first. A filter on another county (or on another
   * county's enterprise) finds nothing, as if it had none.
   */
  async findings(
    query: StandingFindingQuery,
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<{ items: StandingFindingView[]; total: number; page: number; pageSize: number }> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const f = new ScopedFilter('f.county_code', scope);
    if (query.enterprise !== undefined) {
      if (!isUuid(query.enterprise)) return { items: [], total: 0, page, pageSize };
      f.add((p) => `f.enterprise_id = ${p}`, query.enterprise);
    }
    if (query.county !== undefined) f.add((p) => `f.county_code = ${p}`, query.county);
    if (query.kind !== undefined) f.add((p) => `f.kind = ${p}`, query.kind);
    const [{ total }] = await this.dataSource.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM standing_condition_finding f WHERE ${f.sql}`,
      f.params,
    );
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_FINDING} WHERE ${f.sql} ORDER BY f.from_at DESC, f.id ${pageSql(page, pageSize)}`,
      f.params,
    );
    return { items: rows.map(findingView), total, page, pageSize };
  }
}
