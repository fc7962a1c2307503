import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { tablesWorkbook } from '../common/xlsx-cells';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { GRADE_NAMES, GRADES, type Grade } from '../enterprises/enterprise.types';
import { RulesetsService } from '../rulesets/rulesets.service';
import type { WarningLevel } from '../rulesets/ruleset.types';
import {
  type Acknowledgement,
  achievedReduction,
  answeredOrders,
  type Assessment,
  assessmentCsvRows,
  assessmentTables,
  byCounty,
  byGrade,
  byIndustry,
  type FailedDelivery,
  groupStats,
  onTimeSql,
  type OutcomeTally,
  partyReceiptStats,
  type PartyReceipt,
  responseStats,
  scopeInventory,
  type SilentEnterprise,
  silentEnterprises,
} from './assessment.rules';
import { KIND_NAMES, type ChangeKind } from './alert.rules';
import { REVISION_NOTICES_SQL } from './revision-notices.sql';
import { revisionTiming } from './timing.rules';
import { followUpCounts, type FollowUpKind } from '../follow-ups/follow-up.rules';
import { type InspectionResult, verifiedCompliance } from '../inspections/inspection.rules';

/** Orders to act on; lift and cancel notices ask nothing of the enterprise. */
const MEASURE_ORDER = "o.notice_type IN ('MANDATORY', 'VOLUNTARY', 'PROTECTED')";

const BASIS =
  '统计本预警发出的全部减排指令(每次发布、升级、降级各一份,含已被替代的;不含解除、撤销通知):签收 = 企业确认收到,' +
  '按时 = 不晚于截止时间;落实 = 企业报告措施已落实。比例的分母为指令数。';
const TIMING_BASIS =
  '每次发布、升级、降级、延长、解除、撤销各一行:提出至批准 = 起草或提出变更到指挥部批准;批准至发布 = 批准到该版本最后一份' +
  '通知交付邮件服务器(无通知可发时即批准时);仍有通知未发出时无发布时间,超过时限即为超时。时限取自预警适用的规则集。';
const REDUCTION_BASIS =
  '已落实的指令:每家企业每个级别取最后一份,计入指令生效时正在执行的措施(按响应开始后的小时数);' +
  '分母为预警区县排放清单之和(kg/d),缺少任一区县清单时比例未知。';

/** Names in Chinese (pinyin) order, as `Intl.Collator('zh-CN')` has them: ICU's zh collation in PostgreSQL. */
const CHINESE_ORDER = '"zh-x-icu"';

/** Each enterprise of the warning once, its orders counted: received, on time, carried out, answered. */
const PER_ENTERPRISE = `
  per AS MATERIALIZED (
    SELECT o.enterprise_id, max(o.county_code) AS county_code, count(*)::int AS orders,
           count(o.received_at)::int AS received,
           count(*) FILTER (WHERE ${onTimeSql('o.received_at', 'o.receipt_due_at')})::int AS received_on_time,
           count(o.executed_at)::int AS executed,
           count(*) FILTER (WHERE ${onTimeSql('o.executed_at', 'o.report_due_at')})::int AS executed_on_time,
           count(*) FILTER (WHERE o.received_at IS NOT NULL OR o.executed_at IS NOT NULL)::int AS answered
      FROM reduction_order o
     WHERE o.alert_id = $1 AND ${MEASURE_ORDER}
     GROUP BY o.enterprise_id)`;

/** The silent enterprises (`source`: per-enterprise rows with name and credit code) in the assessment's order. */
const silentSql = (source: string) => `
  SELECT s.enterprise_id AS id, s.name, s.credit_code AS "creditCode", s.county_code AS "countyCode"
    FROM ${source} s LEFT JOIN county c ON c.code = s.county_code
   WHERE s.answered = 0
   ORDER BY COALESCE(c.sort_order, 999999), s.name COLLATE ${CHINESE_ORDER}, s.enterprise_id`;

/**
 * One pass over the warning's orders and one join to its enterprises for the counts, the first silent enterprises
 * and the verification; each answer a JSON array. Counts: the enterprises alike in county, grade, industry and
 * their orders' counts grouped, a few hundred rows for a whole-city warning of 100,000. Verification: per
 * enterprise, reported in place (self-reported), its latest inspection during the warning, and what its meters
 * showed (discrepancies not explained away by an officer; src/reconciliation), alike enterprises grouped too.
 */
const ORDERS_PASS_SQL = `
  WITH ${PER_ENTERPRISE},
  named AS MATERIALIZED (
    SELECT p.*, e.grade, e.industry_code, e.name, e.credit_code FROM per p JOIN enterprise e ON e.id = p.enterprise_id),
  alike AS (
    SELECT county_code, grade, industry_code, orders, received, received_on_time, executed, executed_on_time,
           answered, count(*)::int AS n
      FROM named GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
  verified AS (
    SELECT p.executed > 0 AS executed, li.result AS latest, mp.enterprise_id IS NOT NULL AS metered,
           COALESCE(d.exceeded, false) AS exceeded, COALESCE(d.missing, false) AS missing,
           COALESCE(d.flagged, false) AS flagged, count(*)::int AS n
      FROM per p
      LEFT JOIN (SELECT DISTINCT ON (enterprise_id) enterprise_id, result FROM inspection WHERE alert_id = $1
                  ORDER BY enterprise_id, inspected_at DESC, created_at DESC) li ON li.enterprise_id = p.enterprise_id
      LEFT JOIN (SELECT DISTINCT enterprise_id FROM metering_point) mp ON mp.enterprise_id = p.enterprise_id
      LEFT JOIN (SELECT enterprise_id, bool_or(kind = 'EXCEEDED') AS exceeded, bool_or(kind = 'MISSING_DATA') AS missing,
                        bool_or(kind = 'EXCEEDED' AND self_reported) AS flagged
                   FROM telemetry_discrepancy WHERE alert_id = $1 AND review_outcome IS DISTINCT FROM 'EXPLAINED'
                  GROUP BY enterprise_id) d ON d.enterprise_id = p.enterprise_id
     GROUP BY 1, 2, 3, 4, 5, 6),
  silent AS (${silentSql('named')} LIMIT $2)
  SELECT
    (SELECT COALESCE(json_agg(json_build_object(
              'county_code', a.county_code, 'county_name', COALESCE(c.name, a.county_code),
              'county_sort', COALESCE(c.sort_order, 999999), 'grade', a.grade, 'industry_code', a.industry_code,
              'industry_name', COALESCE(i.name, a.industry_code), 'industry_sort', COALESCE(i.sort_order, 999999),
              'orders', a.orders, 'received', a.received, 'received_on_time', a.received_on_time,
              'executed', a.executed, 'executed_on_time', a.executed_on_time, 'answered', a.answered, 'n', a.n)), '[]')
       FROM alike a LEFT JOIN county c ON c.code = a.county_code LEFT JOIN industry i ON i.code = a.industry_code
    ) AS tallies,
    (SELECT COALESCE(json_agg(s), '[]') FROM (SELECT * FROM silent) s) AS silent,
    (SELECT COALESCE(json_agg(v), '[]') FROM verified v) AS verification`;

const SILENT_COUNT_SQL = `WITH ${PER_ENTERPRISE} SELECT count(*)::int AS total FROM per WHERE answered = 0`;

/** Every answered order. */
const ANSWERED_CTE = `
  WITH rows AS (
    SELECT o.id, o.enterprise_id, o.county_code, o.received_at, o.received_by_name, o.received_by_phone,
           o.executed_at, o.reported_by_name, o.reported_by_phone
      FROM reduction_order o
     WHERE o.alert_id = $1 AND ${MEASURE_ORDER} AND (o.received_at IS NOT NULL OR o.executed_at IS NOT NULL))`;

/**
 * How many silent enterprises and acknowledgements the JSON and the console page carry: a whole-city warning of a
 * province would otherwise put 100,000 of each in one answer (12 MB); the rest come a page at a time.
 */
export const JSON_LIST_LIMIT = 100;

export interface AssessmentPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

interface VerifiedRow {
  executed: boolean;
  latest: InspectionResult | null;
  metered: boolean;
  exceeded: boolean;
  missing: boolean;
  flagged: boolean;
  n: number;
}

interface AlertRow {
  id: string;
  code: string;
  status: string;
  level: WarningLevel;
  county_codes: string[];
  effective_at: Date;
  lifted_at: Date | null;
  ruleset_id: string;
}

/** 总结评估 of a warning, from a handful of aggregate queries whatever the number of enterprises. */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rulesets: RulesetsService,
    private readonly clock: Clock,
  ) {}

  /**
   * The assessment with the first `listLimit` of the silent enterprises and of the acknowledgements (the console and
   * the JSON), or all of them with `listLimit: null` (the CSV and XLSX).
   */
  async assess(alertId: string, { listLimit }: { listLimit: number | null }): Promise<Assessment> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    // One snapshot, so the counts, the failures and the reduction describe the same moment.
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const [alert] = await m.query<AlertRow[]>(
        `SELECT id, code, status, level, county_codes, effective_at, lifted_at, ruleset_id FROM alert WHERE id = $1`,
        [alertId],
      );
      if (!alert) throw DomainError.notFound('预警');
      const ruleset = await this.rulesets.get(alert.ruleset_id);

      // A report over up to 100,000 orders: its sorts and hashes in memory rather than on disk, and its enterprises
      // joined by hash. Right after a large approval the planner's statistics still say a warning has a handful of
      // orders (until autovacuum analyses them), and it would look up 100,000 enterprises one by one (+0.2 s).
      await m.query(`SET LOCAL work_mem = '64MB'`);
      await m.query('SET LOCAL enable_nestloop = off');
      const [pass] = await m.query<
        Array<{
          tallies: Array<Record<string, unknown>>;
          silent: SilentEnterprise[];
          verification: VerifiedRow[];
        }>
      >(ORDERS_PASS_SQL, [alertId, listLimit]);
      await m.query('SET LOCAL enable_nestloop = on');
      const tallies = pass.tallies.map((r): OutcomeTally => ({
        countyCode: r.county_code as string,
        countyName: r.county_name as string,
        countySort: Number(r.county_sort),
        grade: r.grade as string,
        gradeName: GRADE_NAMES[r.grade as Grade] ?? (r.grade as string),
        gradeSort: GRADES.indexOf(r.grade as Grade),
        industryCode: r.industry_code as string,
        industryName: r.industry_name as string,
        industrySort: Number(r.industry_sort),
        orders: r.orders as number,
        received: r.received as number,
        receivedOnTime: r.received_on_time as number,
        executed: r.executed as number,
        executedOnTime: r.executed_on_time as number,
        answered: r.answered as number,
        n: r.n as number,
      }));
      const silent = pass.silent;
      const answered = await this.acknowledgementRows(m, alertId, listLimit, 0);

      const partyRows = (
        await m.query<Array<Record<string, unknown>>>(
          `SELECT r.seq, p.notice_kind, p.party_kind, p.party_name, p.receipt_due_at, p.received_at,
                  p.signer_name, p.signer_phone
             FROM party_notice p LEFT JOIN alert_revision r ON r.id = p.revision_id
            WHERE p.alert_id = $1
            ORDER BY r.seq NULLS LAST, p.party_kind, p.party_name`,
          [alertId],
        )
      ).map((r): PartyReceipt => ({
        revisionSeq: r.seq === null ? null : Number(r.seq),
        noticeKind: r.notice_kind as string,
        partyKind: r.party_kind as PartyReceipt['partyKind'],
        partyName: r.party_name as string,
        receiptDueAt: r.receipt_due_at as Date,
        receivedAt: (r.received_at as Date | null) ?? null,
        signer: r.signer_name
          ? { name: r.signer_name as string, phone: (r.signer_phone as string | null) ?? null }
          : null,
      }));
      const failed = await m.query<Array<Record<string, unknown>>>(
        `SELECT m.id, m.kind, o.enterprise_id, e.name, e.credit_code, o.county_code, m.recipients, m.attempts,
                m.last_error, m.updated_at
           FROM outbox_message m
           LEFT JOIN reduction_order o ON o.id = m.order_id
           LEFT JOIN enterprise e ON e.id = o.enterprise_id
          WHERE m.alert_id = $1 AND m.state = 'FAILED'
          ORDER BY m.updated_at, m.id`,
        [alertId],
      );

      // Per level, each enterprise's last executed order; its measures in force when that order took effect.
      const executed = await m.query<
        Array<{
          level: WarningLevel;
          enterprises: number;
          so2: number;
          nox: number;
          pm: number;
          vocs: number;
        }>
      >(
        `WITH latest AS (
           SELECT DISTINCT ON (o.level, o.enterprise_id) o.level, o.measures,
                  GREATEST(0, extract(epoch FROM o.effective_at - a.effective_at) / 3600) AS elapsed
             FROM reduction_order o JOIN alert a ON a.id = o.alert_id
            WHERE o.alert_id = $1 AND o.executed_at IS NOT NULL AND ${MEASURE_ORDER}
            ORDER BY o.level, o.enterprise_id, o.created_at DESC, o.id DESC)
         SELECT l.level, count(*)::int AS enterprises, COALESCE(sum(r.so2), 0)::float8 AS so2,
                COALESCE(sum(r.nox), 0)::float8 AS nox, COALESCE(sum(r.pm), 0)::float8 AS pm,
                COALESCE(sum(r.vocs), 0)::float8 AS vocs
           FROM latest l
           CROSS JOIN LATERAL (
             SELECT sum((x->'reduction'->>'so2')::float8) AS so2, sum((x->'reduction'->>'nox')::float8) AS nox,
                    sum((x->'reduction'->>'pm')::float8) AS pm, sum((x->'reduction'->>'vocs')::float8) AS vocs
               FROM jsonb_array_elements(l.measures) x
              WHERE COALESCE((x->>'fromHour')::numeric, 0) <= l.elapsed
                AND (x->>'toHour' IS NULL OR (x->>'toHour')::numeric > l.elapsed)) r
          GROUP BY l.level`,
        [alertId],
      );
      const [levels] = await m.query<Array<{ levels: WarningLevel[] }>>(
        `SELECT COALESCE(array_agg(DISTINCT level), '{}') AS levels FROM alert_revision
          WHERE alert_id = $1 AND kind IN ('ISSUE', 'UPGRADE', 'DOWNGRADE')`,
        [alertId],
      );
      const inventory = await m.query<
        Array<{ area_code: string; so2: string; nox: string; pm: string; vocs: string }>
      >('SELECT area_code, so2, nox, pm, vocs FROM emission_inventory WHERE area_code = ANY($1::varchar[])', [
        alert.county_codes,
      ]);
      const scope = scopeInventory(
        inventory.map((r) => ({
          areaCode: r.area_code,
          so2: Number(r.so2),
          nox: Number(r.nox),
          pm: Number(r.pm),
          vocs: Number(r.vocs),
        })),
        alert.county_codes,
      );

      const revisionRows = await m.query<
        Array<{
          id: string;
          seq: number;
          kind: ChangeKind;
          proposed_at: Date;
          approved_at: Date;
          notices: number;
          unsent: number;
          last_sent_at: Date | null;
        }>
      >(
        `SELECT r.id, r.seq, r.kind, COALESCE(c.proposed_at, r.approved_at) AS proposed_at, r.approved_at,
                x.notices, x.unsent, x.last_sent_at
           FROM alert_revision r
           LEFT JOIN alert_change c ON c.id = r.change_id
           CROSS JOIN LATERAL (${REVISION_NOTICES_SQL}) x
          WHERE r.alert_id = $1
          ORDER BY r.seq`,
        [alertId],
      );
      // Follow-ups recorded on the warning's orders, by county (the order's) and kind.
      const followUps = await m.query<
        Array<{
          county_code: string;
          county_name: string;
          county_sort: number;
          kind: FollowUpKind;
          n: number;
        }>
      >(
        `SELECT o.county_code, COALESCE(c.name, o.county_code) AS county_name,
                COALESCE(c.sort_order, 999999) AS county_sort, f.kind, count(*)::int AS n
           FROM order_follow_up f
           JOIN reduction_order o ON o.id = f.order_id
           LEFT JOIN county c ON c.code = o.county_code
          WHERE f.alert_id = $1
          GROUP BY o.county_code, c.name, c.sort_order, f.kind`,
        [alertId],
      );
      const limits = { ...ruleset.definition.approval };
      const now = this.clock.now();

      return {
        alert: {
          id: alert.id,
          code: alert.code,
          status: alert.status,
          level: alert.level,
          countyCodes: alert.county_codes,
          effectiveAt: alert.effective_at,
          liftedAt: alert.lifted_at,
          rulesetId: alert.ruleset_id,
        },
        generatedAt: now,
        basis: BASIS,
        totals: responseStats(tallies),
        byCounty: groupStats(tallies, byCounty),
        byGrade: groupStats(tallies, byGrade),
        byIndustry: groupStats(tallies, byIndustry),
        neverResponded: silent,
        neverRespondedTotal: silentEnterprises(tallies),
        acknowledgements: answered,
        acknowledgementsTotal: answeredOrders(tallies),
        listLimit,
        parties: { stats: partyReceiptStats(partyRows), notices: partyRows },
        failedDeliveries: failed.map((r): FailedDelivery => ({
          messageId: r.id as string,
          kind: r.kind as string,
          enterpriseId: (r.enterprise_id as string | null) ?? null,
          enterpriseName: (r.name as string | null) ?? null,
          creditCode: (r.credit_code as string | null) ?? null,
          countyCode: (r.county_code as string | null) ?? null,
          recipients: r.recipients as string[],
          attempts: r.attempts as number,
          lastError: (r.last_error as string | null) ?? null,
          failedAt: r.updated_at as Date,
        })),
        followUps: followUpCounts(
          followUps.map((r) => ({
            countyCode: r.county_code,
            countyName: r.county_name,
            countySort: Number(r.county_sort),
            kind: r.kind,
            count: r.n,
          })),
        ),
        verification: verifiedCompliance(
          pass.verification.map((r) => ({
            executed: r.executed,
            latestResult: r.latest,
            meter: {
              metered: r.metered,
              exceeded: r.exceeded,
              missing: r.missing,
              exceededAfterReport: r.flagged,
            },
            n: r.n,
          })),
        ),
        reduction: {
          basis: REDUCTION_BASIS,
          countyCodes: alert.county_codes,
          inventoryMissing: scope.missing,
          levels: achievedReduction({
            levels: ruleset.levels.filter((l) => levels.levels.includes(l)),
            ratios: ruleset.definition.reductionRatios,
            inventory: scope.inventory,
            executed: Object.fromEntries(
              executed.map((e) => [
                e.level,
                { enterprises: e.enterprises, reduction: { so2: e.so2, nox: e.nox, pm: e.pm, vocs: e.vocs } },
              ]),
            ),
          }),
        },
        timing: {
          basis: TIMING_BASIS,
          limits,
          revisions: revisionRows.map((r) => ({
            ...revisionTiming(
              {
                revisionId: r.id,
                seq: r.seq,
                kind: r.kind,
                proposedAt: r.proposed_at,
                decidedAt: r.approved_at,
                notices: r.notices,
                unsent: r.unsent,
                lastSentAt: r.last_sent_at,
              },
              limits,
              now,
            ),
            kindName: KIND_NAMES[r.kind],
          })),
        },
      };
    });
  }

  /** The silent enterprises a page at a time, in the assessment's order. */
  neverRespondedPage(
    alertId: string,
    page: number,
    pageSize: number,
  ): Promise<AssessmentPage<SilentEnterprise>> {
    return this.page(alertId, page, pageSize, SILENT_COUNT_SQL, (m, limit, offset) =>
      this.silentRows(m, alertId, limit, offset),
    );
  }

  /** The answered orders with their signers a page at a time, in the assessment's order. */
  acknowledgementsPage(
    alertId: string,
    page: number,
    pageSize: number,
  ): Promise<AssessmentPage<Acknowledgement>> {
    return this.page(
      alertId,
      page,
      pageSize,
      `${ANSWERED_CTE} SELECT count(*)::int AS total FROM rows`,
      (m, limit, offset) => this.acknowledgementRows(m, alertId, limit, offset),
    );
  }

  private async page<T>(
    alertId: string,
    page: number,
    pageSize: number,
    countSql: string,
    rows: (m: EntityManager, limit: number, offset: number) => Promise<T[]>,
  ): Promise<AssessmentPage<T>> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const [alert] = await m.query<Array<{ id: string }>>('SELECT id FROM alert WHERE id = $1', [alertId]);
      if (!alert) throw DomainError.notFound('预警');
      const [{ total }] = await m.query<Array<{ total: number }>>(countSql, [alertId]);
      return { items: await rows(m, pageSize, (page - 1) * pageSize), total, page, pageSize };
    });
  }

  private silentRows(
    m: EntityManager,
    alertId: string,
    limit: number,
    offset: number,
  ): Promise<SilentEnterprise[]> {
    return m.query<SilentEnterprise[]>(
      `WITH ${PER_ENTERPRISE},
       named AS (SELECT p.*, e.name, e.credit_code FROM per p JOIN enterprise e ON e.id = p.enterprise_id)
       ${silentSql('named')} LIMIT $2 OFFSET $3`,
      [alertId, limit, offset],
    );
  }

  private async acknowledgementRows(
    m: EntityManager,
    alertId: string,
    limit: number | null,
    offset: number,
  ): Promise<Acknowledgement[]> {
    const rows = await m.query<Array<Record<string, unknown>>>(
      `${ANSWERED_CTE}
       SELECT r.enterprise_id, e.name, r.county_code, COALESCE(c.name, r.county_code) AS county_name,
              r.received_at, r.received_by_name, r.received_by_phone,
              r.executed_at, r.reported_by_name, r.reported_by_phone
         FROM rows r JOIN enterprise e ON e.id = r.enterprise_id LEFT JOIN county c ON c.code = r.county_code
        ORDER BY COALESCE(c.sort_order, 999999), e.name COLLATE ${CHINESE_ORDER}, r.received_at NULLS FIRST, r.id
        LIMIT $2 OFFSET $3`,
      [alertId, limit, offset],
    );
    const person = (name: unknown, phone: unknown) =>
      name ? { name: name as string, phone: (phone as string | null) ?? null } : null;
    return rows.map((r) => ({
      enterpriseId: r.enterprise_id as string,
      enterpriseName: r.name as string,
      countyCode: r.county_code as string,
      countyName: r.county_name as string,
      receivedAt: (r.received_at as Date | null) ?? null,
      receivedBy: person(r.received_by_name, r.received_by_phone),
      executedAt: (r.executed_at as Date | null) ?? null,
      reportedBy: person(r.reported_by_name, r.reported_by_phone),
    }));
  }

  /** The same assessment as CSV (UTF-8 with BOM for Excel), written to `out`. */
  async writeCsv(assessment: Assessment, out: Writable): Promise<void> {
    const csv = stringify({ bom: true });
    csv.pipe(out);
    await new Promise<void>((resolve, reject) => {
      out.once('finish', () => resolve());
      out.once('error', reject);
      for (const row of assessmentCsvRows(assessment)) csv.write(row);
      csv.end();
    });
  }

  /** The assessment as an XLSX, one sheet per table (numbers and times typed), and a 说明 sheet last. */
  xlsx(assessment: Assessment): Promise<Buffer> {
    return tablesWorkbook(assessmentTables(assessment), [
      ['预警', assessment.alert.code],
      ['生成时间', assessment.generatedAt],
      ['口径', assessment.basis],
      ['减排口径', assessment.reduction.basis],
      ['时限口径', assessment.timing.basis],
    ]);
  }
}
