import { escapeCell } from '../common/spreadsheet-safety';
import { shanghaiTimestamp } from '../common/time';
import type { XlsxCellKind } from '../common/xlsx-cells';
import { assessAdequacy, type LevelAdequacy } from '../enterprises/adequacy.rules';
import type { Emissions } from '../enterprises/enterprise.types';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { POLLUTANTS, type ReductionRatio, type WarningLevel } from '../rulesets/ruleset.types';
import type { RevisionTiming, StepTiming } from './timing.rules';
import { FOLLOW_UP_KIND_NAMES, FOLLOW_UP_KINDS, type FollowUpCounts } from '../follow-ups/follow-up.rules';
import type { VerifiedCompliance } from '../inspections/inspection.rules';

/**
 * The post-event assessment (总结评估) of a warning: who received, who confirmed on time, who carried out,
 * what reduction that represents. Pure: the service reads the rows, these rules count them.
 */

/**
 * Enterprises alike in everything the counts need: `n` enterprises of one county, grade and industry, each with
 * `orders` reduction orders (not lift or cancel notices) of which `received` were confirmed (`receivedOnTime` by
 * the deadline), `executed` reported carried out (`executedOnTime` by the deadline) and `answered` either. The
 * service counts each enterprise's orders in SQL and groups the alike (a few hundred rows for 100,000 orders).
 */
export interface OutcomeTally {
  countyCode: string;
  countyName: string;
  countySort: number;
  grade: string;
  gradeName: string;
  gradeSort: number;
  industryCode: string;
  industryName: string;
  industrySort: number;
  orders: number;
  received: number;
  receivedOnTime: number;
  executed: number;
  executedOnTime: number;
  answered: number;
  n: number;
}

export interface ResponseRates {
  received: number | null;
  receivedOnTime: number | null;
  executed: number | null;
  executedOnTime: number | null;
}

export interface ResponseStats {
  orders: number;
  enterprises: number;
  received: number;
  receivedOnTime: number;
  executed: number;
  executedOnTime: number;
  /** Shares of `orders`, 0..1 with 4 decimals; null without orders. */
  rates: ResponseRates;
}

export interface GroupStats extends ResponseStats {
  code: string;
  name: string;
}

export interface SilentEnterprise {
  id: string;
  name: string;
  creditCode: string;
  countyCode: string;
}

export const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

export function rate(count: number, of: number): number | null {
  return of === 0 ? null : round(count / of, 4);
}

/**
 * Done by the deadline (inclusive); done without a deadline counts as on time. SQL, since the service counts each
 * enterprise's orders in the database: `onTimeSql('o.received_at', 'o.receipt_due_at')`.
 */
export const onTimeSql = (at: string, due: string): string =>
  `(${at} IS NOT NULL AND (${due} IS NULL OR ${at} <= ${due}))`;

export function responseStats(tallies: readonly OutcomeTally[]): ResponseStats {
  let orders = 0;
  let enterprises = 0;
  let received = 0;
  let receivedOnTime = 0;
  let executed = 0;
  let executedOnTime = 0;
  for (const t of tallies) {
    enterprises += t.n;
    orders += t.n * t.orders;
    received += t.n * t.received;
    receivedOnTime += t.n * t.receivedOnTime;
    executed += t.n * t.executed;
    executedOnTime += t.n * t.executedOnTime;
  }
  return {
    orders,
    enterprises,
    received,
    receivedOnTime,
    executed,
    executedOnTime,
    rates: {
      received: rate(received, orders),
      receivedOnTime: rate(receivedOnTime, orders),
      executed: rate(executed, orders),
      executedOnTime: rate(executedOnTime, orders),
    },
  };
}

/** Enterprises none of whose orders was ever confirmed or reported (始终未响应). */
export function silentEnterprises(tallies: readonly OutcomeTally[]): number {
  return tallies.reduce((sum, t) => (t.answered === 0 ? sum + t.n : sum), 0);
}

/** Orders confirmed or reported: the rows of the 签收与落实报告 list. */
export function answeredOrders(tallies: readonly OutcomeTally[]): number {
  return tallies.reduce((sum, t) => sum + t.n * t.answered, 0);
}

/** Stats per group (county, grade, industry…), in the groups' own display order. */
export function groupStats(
  rows: readonly OutcomeTally[],
  key: (r: OutcomeTally) => { code: string; name: string; sort: number },
): GroupStats[] {
  const groups = new Map<string, { code: string; name: string; sort: number; rows: OutcomeTally[] }>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k.code) ?? { ...k, rows: [] };
    group.rows.push(row);
    groups.set(k.code, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.sort - b.sort || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((g) => ({ code: g.code, name: g.name, ...responseStats(g.rows) }));
}

export const byCounty = (r: OutcomeTally) => ({ code: r.countyCode, name: r.countyName, sort: r.countySort });
export const byGrade = (r: OutcomeTally) => ({ code: r.grade, name: r.gradeName, sort: r.gradeSort });
export const byIndustry = (r: OutcomeTally) => ({
  code: r.industryCode,
  name: r.industryName,
  sort: r.industrySort,
});

/** One answered order: who signed for it and who reported its measures, when. */
export interface Acknowledgement {
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  countyName: string;
  receivedAt: Date | null;
  receivedBy: { name: string; phone: string | null } | null;
  executedAt: Date | null;
  reportedBy: { name: string; phone: string | null } | null;
}

/** A county bureau's or department's notice of the warning and its receipt. */
export interface PartyReceipt {
  revisionSeq: number | null;
  noticeKind: string;
  partyKind: 'COUNTY' | 'DEPARTMENT';
  partyName: string;
  receiptDueAt: Date;
  receivedAt: Date | null;
  signer: { name: string; phone: string | null } | null;
}

/** How many parties were told, confirmed, and confirmed by their deadline. */
export function partyReceiptStats(rows: readonly PartyReceipt[]): {
  notices: number;
  received: number;
  receivedOnTime: number;
} {
  return {
    notices: rows.length,
    received: rows.filter((r) => r.receivedAt !== null).length,
    receivedOnTime: rows.filter((r) => r.receivedAt !== null && r.receivedAt <= r.receiptDueAt).length,
  };
}

export interface InventoryRow extends Emissions {
  areaCode: string;
}

/** The scope's baseline: the sum of its counties' inventories; unknown (null) when one is missing, never understated. */
export function scopeInventory(
  rows: readonly InventoryRow[],
  countyCodes: readonly string[],
): { inventory: Emissions | null; missing: string[] } {
  const byArea = new Map(rows.map((r) => [r.areaCode, r]));
  const missing = countyCodes.filter((c) => !byArea.has(c));
  if (missing.length || countyCodes.length === 0) return { inventory: null, missing };
  const inventory = { so2: 0, nox: 0, pm: 0, vocs: 0 };
  for (const code of countyCodes) for (const p of POLLUTANTS) inventory[p] += byArea.get(code)![p];
  return { inventory, missing };
}

export interface LevelReduction extends LevelAdequacy {
  levelName: string;
  /** Enterprises whose executed order at this level is counted. */
  enterprises: number;
}

/**
 * Achieved reduction per level the warning went through: the executed orders' reductions against the
 * scope's inventory and the ruleset's ratio (the adequacy rule, applied to what was done, not planned).
 */
export function achievedReduction(input: {
  levels: readonly WarningLevel[];
  ratios: Partial<Record<WarningLevel, ReductionRatio>>;
  inventory: Emissions | null;
  executed: Partial<Record<WarningLevel, { enterprises: number; reduction: Emissions }>>;
}): LevelReduction[] {
  const reductions: Partial<Record<WarningLevel, Emissions>> = {};
  for (const level of input.levels) {
    const done = input.executed[level]?.reduction;
    if (done) reductions[level] = done;
  }
  return assessAdequacy({
    levels: input.levels,
    ratios: input.ratios,
    inventory: input.inventory,
    reductions,
  }).map((a) => {
    const pollutants = { ...a.pollutants };
    for (const p of POLLUTANTS) {
      const v = pollutants[p];
      pollutants[p] = {
        ...v,
        baseline: round(v.baseline, 3),
        reduction: round(v.reduction, 3),
        ratio: v.ratio === null ? null : round(v.ratio, 4),
      };
    }
    return {
      ...a,
      pollutants,
      levelName: LEVEL_NAMES[a.level],
      enterprises: input.executed[a.level]?.enterprises ?? 0,
    };
  });
}

export interface FailedDelivery {
  messageId: string;
  kind: string;
  enterpriseId: string | null;
  enterpriseName: string | null;
  creditCode: string | null;
  countyCode: string | null;
  recipients: string[];
  attempts: number;
  lastError: string | null;
  failedAt: Date;
}

export interface Assessment {
  alert: {
    id: string;
    code: string;
    status: string;
    level: WarningLevel;
    countyCodes: string[];
    effectiveAt: Date;
    liftedAt: Date | null;
    rulesetId: string;
  };
  generatedAt: Date;
  basis: string;
  totals: ResponseStats;
  byCounty: GroupStats[];
  byGrade: GroupStats[];
  byIndustry: GroupStats[];
  /**
   * The enterprises none of whose orders was confirmed or reported, by county then name (pinyin): all of them in
   * the exports, the first `listLimit` in the JSON (the rest a page at a time: GET …/assessment/never-responded).
   */
  neverResponded: SilentEnterprise[];
  neverRespondedTotal: number;
  /** Answered orders with their signer and reporter (签收人 / 报告人): as complete as `neverResponded`. */
  acknowledgements: Acknowledgement[];
  acknowledgementsTotal: number;
  /** How many of each list the JSON carries; null where the lists are complete (CSV, XLSX). */
  listLimit: number | null;
  /** The county bureaus' and departments' notices: told, confirmed, by whom. */
  parties: { stats: ReturnType<typeof partyReceiptStats>; notices: PartyReceipt[] };
  failedDeliveries: FailedDelivery[];
  /** Follow-ups (phone calls, visits, notes) recorded on the warning's orders: in all, by kind, per county. */
  followUps: FollowUpCounts;
  /**
   * Verified compliance (issue 17) beside the self-reported: per enterprise, whether it reported its measures in
   * place (EXECUTED) and its latest inspection's result during this warning.
   */
  verification: VerifiedCompliance;
  reduction: {
    basis: string;
    countyCodes: string[];
    inventoryMissing: string[];
    levels: LevelReduction[];
  };
  /** Per approved revision (the issue and each change): proposal to approval, approval to release, against the limits. */
  timing: {
    basis: string;
    limits: { draftToApprovalHours: number; approvalToReleaseHours: number };
    revisions: Array<RevisionTiming & { kindName: string }>;
  };
}

/** One tidy table of the assessment: a header and rows of typed cells (a sheet of the XLSX, a section of the CSV). */
export interface AssessmentTable {
  /** Sheet name (at most 31 characters, none of []:*?/\), and the CSV section's title in 【】. */
  title: string;
  columns: Array<{ header: string; kind: XlsxCellKind }>;
  /** Text as strings, numbers as numbers, instants as Dates; null for empty. */
  rows: Array<Array<string | number | Date | null>>;
}

type Cell = string | number | Date | null;
const col = (header: string, kind: XlsxCellKind = 'text') => ({ header, kind });

const STAT_COLUMNS = [
  col('代码'),
  col('名称'),
  ...['指令数', '企业数', '已签收', '按时签收', '已落实', '按时落实'].map((h) => col(h, 'integer')),
  ...['签收率', '按时签收率', '落实率', '按时落实率'].map((h) => col(h, 'percent')),
];

const verdict = (s: StepTiming) => (s.ok === null ? null : s.ok ? '按时' : '超时');
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

function statRow(code: string, name: string, s: ResponseStats): Cell[] {
  return [
    code,
    name,
    s.orders,
    s.enterprises,
    s.received,
    s.receivedOnTime,
    s.executed,
    s.executedOnTime,
    s.rates.received,
    s.rates.receivedOnTime,
    s.rates.executed,
    s.rates.executedOnTime,
  ];
}

/**
 * The assessment as tidy tables (totals, by county, grade, industry, silent enterprises, receipts, party receipts,
 * failed deliveries, follow-ups, verification, timing, reduction): one header row each, numbers and times typed.
 */
export function assessmentTables(a: Assessment): AssessmentTable[] {
  return [
    { title: '合计', columns: STAT_COLUMNS, rows: [statRow('', '合计', a.totals)] },
    { title: '按区县', columns: STAT_COLUMNS, rows: a.byCounty.map((g) => statRow(g.code, g.name, g)) },
    { title: '按绩效等级', columns: STAT_COLUMNS, rows: a.byGrade.map((g) => statRow(g.code, g.name, g)) },
    { title: '按行业', columns: STAT_COLUMNS, rows: a.byIndustry.map((g) => statRow(g.code, g.name, g)) },
    {
      title: '未签收也未报告的企业',
      columns: [col('企业ID'), col('企业名称'), col('统一社会信用代码'), col('区县代码')],
      rows: a.neverResponded.map((e) => [e.id, e.name, e.creditCode, e.countyCode]),
    },
    {
      title: '签收与落实报告',
      columns: [
        col('企业ID'),
        col('企业名称'),
        col('区县'),
        col('签收时间', 'dateTime'),
        col('签收人'),
        col('签收人电话'),
        col('落实报告时间', 'dateTime'),
        col('报告人'),
        col('报告人电话'),
      ],
      rows: a.acknowledgements.map((k) => [
        k.enterpriseId,
        k.enterpriseName,
        k.countyName,
        date(k.receivedAt),
        k.receivedBy?.name ?? null,
        k.receivedBy?.phone ?? null,
        date(k.executedAt),
        k.reportedBy?.name ?? null,
        k.reportedBy?.phone ?? null,
      ]),
    },
    {
      title: '县级分局和市直部门签收',
      columns: [
        col('版次', 'integer'),
        col('通知类型'),
        col('单位类型'),
        col('单位'),
        col('签收期限', 'dateTime'),
        col('签收时间', 'dateTime'),
        col('签收人'),
        col('签收人电话'),
      ],
      rows: a.parties.notices.map((p) => [
        p.revisionSeq,
        p.noticeKind,
        p.partyKind === 'COUNTY' ? '县级分局' : '市直部门',
        p.partyName,
        date(p.receiptDueAt),
        date(p.receivedAt),
        p.signer?.name ?? null,
        p.signer?.phone ?? null,
      ]),
    },
    {
      title: '发送失败的通知',
      columns: [
        col('消息ID'),
        col('类型'),
        col('企业名称'),
        col('统一社会信用代码'),
        col('收件人'),
        col('尝试次数', 'integer'),
        col('最后错误'),
        col('失败时间', 'dateTime'),
      ],
      rows: a.failedDeliveries.map((d) => [
        d.messageId,
        d.kind,
        d.enterpriseName,
        d.creditCode,
        d.recipients.join(';'),
        d.attempts,
        d.lastError,
        date(d.failedAt),
      ]),
    },
    {
      title: '跟进记录',
      columns: [col('区县代码'), col('区县'), col('跟进次数', 'integer')],
      rows: [
        ...a.followUps.byCounty.map((c): Cell[] => [c.code, c.name, c.count]),
        ...FOLLOW_UP_KINDS.map((k): Cell[] => [
          null,
          `合计·${FOLLOW_UP_KIND_NAMES[k]}`,
          a.followUps.byKind[k],
        ]),
        [null, '合计', a.followUps.total],
      ],
    },
    {
      title: '现场核查',
      columns: [
        '企业自报落实',
        '现场检查',
        '措施落实',
        '存在违规',
        '自报落实但检查违规',
        '接入计量',
        '监测超出指令',
        '监测数据缺失',
        '自报落实但监测超出',
      ].map((h) => col(h, 'integer')),
      rows: [
        [
          a.verification.selfReported,
          a.verification.inspected,
          a.verification.compliant,
          a.verification.violation,
          a.verification.reportedButViolating,
          a.verification.metered,
          a.verification.meterExceeded,
          a.verification.meterMissing,
          a.verification.reportedButMeterExceeded,
        ],
      ],
    },
    {
      title: '审批与发布时限',
      columns: [
        col('版次', 'integer'),
        col('类型'),
        col('提出时间', 'dateTime'),
        col('批准时间', 'dateTime'),
        col('提出至批准(小时)', 'decimal'),
        col('审批时限(小时)', 'decimal'),
        col('审批'),
        col('发布时间(最后一份通知交付邮件服务器)', 'dateTime'),
        col('批准至发布(小时)', 'decimal'),
        col('发布时限(小时)', 'decimal'),
        col('发布'),
        col('通知数', 'integer'),
        col('未发出', 'integer'),
      ],
      rows: a.timing.revisions.map((r) => [
        r.seq,
        r.kindName,
        date(r.proposedAt),
        date(r.decidedAt),
        r.approval.hours,
        r.approval.limitHours,
        verdict(r.approval),
        date(r.releasedAt),
        r.release.hours,
        r.release.limitHours,
        verdict(r.release),
        r.notices,
        r.unsent,
      ]),
    },
    {
      title: '减排量(已落实指令)',
      columns: [
        col('级别'),
        col('污染物'),
        col('基数(kg/d)', 'decimal'),
        col('减排量(kg/d)', 'decimal'),
        col('比例', 'percent'),
        col('要求比例', 'percent'),
        col('达标'),
      ],
      rows: a.reduction.levels.flatMap((l) =>
        POLLUTANTS.map((p): Cell[] => {
          const v = l.pollutants[p];
          return [
            l.levelName,
            p,
            v.baseline,
            v.reduction,
            v.ratio,
            v.required,
            v.ok === null ? null : v.ok ? '是' : '否',
          ];
        }),
      ),
    },
  ];
}

/** A cell as the CSV writes it: text escaped against formulas, numbers as written, times ISO 8601 with +08:00. */
function csvCell(v: Cell): string {
  if (v === null) return '';
  if (v instanceof Date) return shanghaiTimestamp(v);
  if (typeof v === 'number') return String(v);
  return escapeCell(v);
}

/**
 * The assessment as one CSV (kept for the links people have): a title row, then each table of assessmentTables as a
 * section titled in 【】, separated by an empty row. The XLSX (one sheet per table) is the tidy form.
 */
export function assessmentCsvRows(a: Assessment): string[][] {
  return [
    [escapeCell(`预警 ${a.alert.code} 总结评估`), shanghaiTimestamp(a.generatedAt)],
    [escapeCell(a.basis)],
    [],
    ...assessmentTables(a).flatMap((t) => [
      [`【${t.title}】`],
      t.columns.map((c) => c.header),
      ...t.rows.map((r) => r.map(csvCell)),
      [],
    ]),
  ];
}
