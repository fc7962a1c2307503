import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { AdequacyService } from '../enterprises/adequacy.service';
import {
  CURRENT_ORDER_SQL,
  END_NOTICE_PROBLEM_SQL,
  NOTICE_TYPE_SQL,
  SCOPE_NOTICE_TYPE_SQL,
  PREVIEW_SCOPE_FROM,
  PREVIEW_PROBLEM_SQL,
  CAMPAIGN_AT_SQL,
  CAMPAIGN_MERGE_ROWS_SQL,
  type CampaignMergeSqlRow,
  orderScopeCtesFrom,
  orderScopeValues,
} from '../orders/order-scope.sql';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { Ruleset } from '../rulesets/ruleset.entity';
import { ESCALATION_SOURCE_NAMES, ESCALATION_SOURCES, escalationParams } from '../orders/escalation.rules';
import { Alert, AlertChange, AlertRevision } from './alert.entity';
import type { ChangeKind } from './alert.rules';
import type { AlertPreviewDto, PreviewProblemDto } from './dto/alert-preview.dto';
import {
  campaignMergePreview,
  type CampaignMergeRow,
  capProblems,
  mergeCounts,
  reductionRows,
  withCountyReduction,
  type ScopeCountRow,
} from './preview.rules';

const PROBLEM_CAP = 1000;
/** Enterprises under a campaign listed with their merged measures (the rest are counted). */
const MERGE_SAMPLES = 20;

interface Basis {
  source: AlertPreviewDto['source'];
  kind: ChangeKind;
  level: WarningLevel;
  countyCodes: string[];
  effectiveAt: Date;
  /** A warning's orders merge with the campaign orders in force; a campaign's own do not. */
  mergesCampaigns: boolean;
}

interface ScopeResult {
  counts: Array<{
    county_code: string;
    grade: string;
    notice_type: string;
    problem: string | null;
    n: number;
  }> | null;
  problems: Array<{
    id: string;
    name: string;
    credit_code: string;
    county_code: string;
    grade: string;
    problem: 'NO_PLAN' | 'NO_EMAIL';
  }> | null;
  escalated: Array<{ source: string; n: number; stricter: number }> | null;
  /** The enterprises of the scope under a campaign in force at the revision's time (none without one). */
  merge?: CampaignMergeRow[];
}

/**
 * The preview's transaction: read-only; no JIT (the scope's row estimates are poor, a lateral per enterprise: it would
 * spend more compiling than running); its hashes in memory (at 100,000 plans the plan versions' hash took 8 batches).
 */
async function readOnlyScope(m: EntityManager): Promise<void> {
  await m.query('SET TRANSACTION READ ONLY');
  await m.query('SET LOCAL jit = off');
  await m.query(`SET LOCAL work_mem = '64MB'`);
}

/**
 * What approving an alert's pending change (or, with none, its latest revision) would produce, computed with
 * the very SQL fragments OrdersService inserts with, in a read-only transaction: nothing can be written.
 */
@Injectable()
export class AlertPreviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly adequacy: AdequacyService,
  ) {}

  async preview(id: string): Promise<AlertPreviewDto> {
    if (!isUuid(id)) throw DomainError.notFound('预警');
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await readOnlyScope(m);
      const alert = await m.getRepository(Alert).findOneBy({ id });
      if (!alert) throw DomainError.notFound('预警');
      return this.compute(m, alert, await this.basisOf(m, alert));
    });
  }

  /**
   * The dry run of a warning not yet drafted (the console's 试算 before submitting): the same figures as
   * `preview` for an ISSUE of this level, these counties and this time, under the given ruleset.
   */
  async previewDraft(input: {
    level: WarningLevel;
    countyCodes: string[];
    effectiveAt: Date;
    rulesetId: string;
  }): Promise<AlertPreviewDto> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await readOnlyScope(m);
      const draft = { id: null, effectiveAt: input.effectiveAt, rulesetId: input.rulesetId };
      return this.compute(m, draft, {
        source: 'DRAFT',
        kind: 'ISSUE',
        level: input.level,
        countyCodes: input.countyCodes,
        effectiveAt: input.effectiveAt,
        mergesCampaigns: true,
      });
    });
  }

  private async compute(
    m: EntityManager,
    alert: { id: string | null; effectiveAt: Date; rulesetId: string },
    basis: Basis,
  ): Promise<AlertPreviewDto> {
    {
      const counties = await m.query<Array<{ code: string; name: string }>>(
        'SELECT code, name FROM county WHERE code = ANY($1::varchar[]) ORDER BY sort_order',
        [basis.countyCodes],
      );
      const ending = basis.kind === 'LIFT' || basis.kind === 'CANCEL';
      const result = ending ? await this.endNotices(m, alert.id!) : await this.scope(m, alert, basis);
      const rows: ScopeCountRow[] = (result.counts ?? []).map((r) => ({
        countyCode: r.county_code,
        grade: r.grade,
        // An end notice replaces whatever the order was: it is neither voluntary nor protected.
        noticeType: ending ? basis.kind : r.notice_type,
        problem: r.problem as ScopeCountRow['problem'],
        n: r.n,
      }));
      const problemRows: PreviewProblemDto[] = (result.problems ?? []).map((p) => ({
        enterpriseId: p.id,
        name: p.name,
        creditCode: p.credit_code,
        countyCode: p.county_code,
        grade: p.grade,
        problem: p.problem,
      }));
      // Under a campaign in force, approval writes the stricter of the two (mergeWithCampaign): so does the preview.
      const merge = result.merge ? campaignMergePreview(result.merge, MERGE_SAMPLES) : null;
      const reduction = ending
        ? null
        : await this.adequacy.forCounties(
            { countyCodes: basis.countyCodes, level: basis.level, rulesetId: alert.rulesetId },
            m,
            merge?.reductionAdded,
          );
      const counts = mergeCounts(rows, counties, { createsOrders: basis.kind !== 'EXTEND' });
      return {
        alertId: alert.id,
        source: basis.source,
        kind: basis.kind,
        level: basis.level,
        countyCodes: basis.countyCodes,
        effectiveAt: basis.effectiveAt,
        rulesetId: alert.rulesetId,
        ...counts,
        byCounty: withCountyReduction(counts.byCounty, reduction),
        ...capProblems(problemRows, PROBLEM_CAP),
        reduction: reduction ? reductionRows(reduction.adequacy) : [],
        inventoryMissing: reduction?.inventoryMissing ?? [],
        escalated: ESCALATION_SOURCES.flatMap((source) => {
          const row = (result.escalated ?? []).find((r) => r.source === source);
          return row
            ? [{ source, name: ESCALATION_SOURCE_NAMES[source], n: row.n, stricter: row.stricter }]
            : [];
        }),
        campaignMerge: merge && {
          enterprises: merge.enterprises,
          campaignStricter: merge.campaignStricter,
          campaigns: merge.campaigns,
          samples: merge.samples,
          samplesTruncated: merge.samplesTruncated,
        },
      };
    }
  }

  private async basisOf(m: EntityManager, alert: Alert): Promise<Basis> {
    const pending = await m.getRepository(AlertChange).findOneBy({ alertId: alert.id, status: 'PENDING' });
    const from =
      pending ??
      (await m
        .getRepository(AlertRevision)
        .findOne({ where: { alertId: alert.id }, order: { seq: 'DESC' } }));
    if (!from)
      throw new DomainError('ALERT_NOTHING_TO_PREVIEW', '该预警没有待审批的变更,也没有已批准的版本,无可预览');
    return {
      source: pending ? 'PENDING_CHANGE' : 'CURRENT_REVISION',
      kind: from.kind,
      level: from.level,
      countyCodes: from.countyCodes,
      effectiveAt: from.effectiveAt,
      mergesCampaigns: alert.kind !== 'CAMPAIGN',
    };
  }

  /**
   * Issue, adjustment, extension: the enterprises OrdersService would write orders for, classified by its
   * own expressions, grouped by county, grade and outcome; the problem rows up to one past the cap. One
   * statement, so the scope is evaluated once.
   */
  private async scope(
    m: EntityManager,
    alert: { effectiveAt: Date; rulesetId: string },
    basis: Basis,
  ): Promise<ScopeResult> {
    const ruleset = await m.getRepository(Ruleset).findOneByOrFail({ id: alert.rulesetId });
    const escalation = escalationParams(basis.level, ruleset.levels, ruleset.definition.escalations);
    const values = orderScopeValues(basis, alert.effectiveAt, escalation);
    const [result] = await m.query<ScopeResult[]>(
      `WITH ${orderScopeCtesFrom(1, { addedOnly: true })},
       c AS MATERIALIZED (
         SELECT s.id, s.county_code, s.grade, ${SCOPE_NOTICE_TYPE_SQL} AS notice_type, ${PREVIEW_PROBLEM_SQL} AS problem,
                s.escalated_by, s.measure_level <> $2::text AS stepped_up, ${NOTICE_TYPE_SQL} <> ${SCOPE_NOTICE_TYPE_SQL} AS lowered,
                CASE WHEN cardinality(s.escalated_by) = 0 THEN ARRAY[]::text[]
                     ELSE ARRAY(SELECT DISTINCT m ->> 'escalation' FROM jsonb_array_elements(ms.list) m
                                 WHERE m ? 'escalation') END AS added_by
           FROM ${PREVIEW_SCOPE_FROM})
       SELECT
         (SELECT json_agg(g) FROM (SELECT county_code, grade, notice_type, problem, count(*)::int AS n
                                     FROM c GROUP BY 1, 2, 3, 4) g) AS counts,
         (SELECT json_agg(p ORDER BY p.county_code, p.name, p.id) FROM (
            SELECT c.id, e.name, e.credit_code, c.county_code, c.grade, c.problem
              FROM c JOIN enterprise e ON e.id = c.id
             WHERE c.problem IS NOT NULL ORDER BY c.county_code, e.name, c.id LIMIT ${PROBLEM_CAP + 1}) p) AS problems,
         (SELECT json_agg(x) FROM (SELECT source, count(*)::int AS n, count(*) FILTER (WHERE (c.stepped_up AND source = ANY($8::text[])) OR source = ANY(c.added_by) OR (c.lowered AND source = ANY($10::text[])))::int AS stricter
                                     FROM c CROSS JOIN LATERAL unnest(c.escalated_by) AS source GROUP BY source) x) AS escalated`,
      values,
    );
    // An extension writes no orders; an issue or adjustment under a campaign in force merges each enterprise's.
    const [{ any }] =
      basis.kind === 'EXTEND' || !basis.mergesCampaigns
        ? [{ any: false }]
        : await m.query<Array<{ any: boolean }>>(CAMPAIGN_AT_SQL, [basis.effectiveAt]);
    if (!any) return result;
    // One statement over the same scope: each enterprise with a campaign order in force, as the approval's campaignMerges reads it.
    const merge = await m.query<Array<CampaignMergeSqlRow<CampaignMergeRow['warning'][number]>>>(
      CAMPAIGN_MERGE_ROWS_SQL,
      values,
    );
    return {
      ...result,
      merge: merge.map((r) => ({
        enterpriseId: r.id,
        name: r.name,
        countyCode: r.county_code,
        lines: r.lines ?? [],
        warning: r.list,
        campaign: r.campaign,
        campaignName: r.campaign_name,
      })),
    };
  }

  /** Lift or cancellation: every current order ends and its enterprise gets an end notice. */
  private async endNotices(m: EntityManager, alertId: string): Promise<ScopeResult> {
    const [result] = await m.query<ScopeResult[]>(
      `WITH c AS MATERIALIZED (
         SELECT o.enterprise_id AS id, o.county_code, e.grade, e.name, e.credit_code, o.problem
           FROM (SELECT enterprise_id, county_code, ${END_NOTICE_PROBLEM_SQL} AS problem
                   FROM reduction_order WHERE alert_id = $1 AND ${CURRENT_ORDER_SQL}) o
           JOIN enterprise e ON e.id = o.enterprise_id)
       SELECT
         (SELECT json_agg(g) FROM (SELECT county_code, grade, NULL AS notice_type, problem, count(*)::int AS n
                                     FROM c GROUP BY 1, 2, 4) g) AS counts,
         (SELECT json_agg(p ORDER BY p.county_code, p.name, p.id) FROM (
            SELECT id, name, credit_code, county_code, grade, problem FROM c
             WHERE problem IS NOT NULL ORDER BY county_code, name, id LIMIT ${PROBLEM_CAP + 1}) p) AS problems`,
      [alertId],
    );
    return result;
  }
}
