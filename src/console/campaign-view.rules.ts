import type { Role } from '../auth/roles';
import type { CampaignPreview } from '../campaigns/campaign-preview.service';
import {
  CAMPAIGN_KIND_NAMES,
  CAMPAIGN_KINDS,
  type CampaignDecision,
  type CampaignKind,
  type OzoneRules,
  type StaggerRules,
  TREATMENT_NAMES,
} from '../campaigns/campaign.rules';
import type { EnterpriseYear } from '../campaigns/enterprise-year.service';
import { GRADE_NAMES, GRADES } from '../enterprises/enterprise.types';
import { type EscalationSource, ESCALATION_SOURCE_NAMES } from '../orders/escalation.rules';
import { ORDER_STATE_NAMES, type OrderState } from '../orders/order.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';

/** Pure view models of the 季节性管控 page and the enterprise page's 全年管控 card: no Nest, no database. */

/** Who opens 季节性管控: every staff role (a county officer sees their counties only; the service applies it). */
export const CAMPAIGN_READERS: Role[] = ['DUTY_OFFICER', 'COMMANDER', 'ADMIN', 'AUDITOR', 'COUNTY_OFFICER'];

export const CAMPAIGN_PAGE_SIZE = 50;

type Treatment = CampaignDecision['treatment'];

/** The page's filters as the URL carries them; anything unknown is dropped (a page shows, never a 422). */
export interface CampaignFilters {
  kind: CampaignKind;
  counties: string[];
  /** A Beijing calendar day; absent: today. */
  date?: string;
  /** 仅看从严管控: only the enterprises a tag or place held stricter. */
  escalated: boolean;
  page: number;
}

const texts = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v])
    .filter((s): s is string => typeof s === 'string')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** Whether a YYYY-MM-DD is a real calendar day. */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function campaignFilters(query: Record<string, unknown>): CampaignFilters {
  const [kind] = texts(query.kind);
  const [date] = texts(query.date);
  const [page] = texts(query.page);
  return {
    kind: (CAMPAIGN_KINDS as readonly string[]).includes(kind) ? (kind as CampaignKind) : 'AUTUMN_WINTER',
    counties: [...new Set(texts(query.counties).filter((c) => /^\d{6}$/.test(c)))],
    ...(date && isCalendarDay(date) ? { date } : {}),
    escalated: texts(query.escalated)[0] === '1',
    page: page && /^\d{1,5}$/.test(page) && Number(page) >= 1 ? Number(page) : 1,
  };
}

/** The filters as a query string (the default kind, empty ones and page 1 left out), for links and the pager. */
export function campaignQueryString(f: CampaignFilters, page: number = f.page): string {
  const q = new URLSearchParams();
  if (f.kind !== 'AUTUMN_WINTER') q.set('kind', f.kind);
  for (const c of f.counties) q.append('counties', c);
  if (f.date) q.set('date', f.date);
  if (f.escalated) q.set('escalated', '1');
  if (page > 1) q.set('page', String(page));
  return q.toString();
}

export const campaignHref = (f: CampaignFilters, page?: number): string => {
  const qs = campaignQueryString(f, page);
  return `/campaigns${qs ? `?${qs}` : ''}`;
};

const monthDay = (md: string) => `${Number(md.slice(0, 2))}月${Number(md.slice(3, 5))}日`;

/** A season of month-days in words: 11月1日至次年3月31日, 5月1日至9月30日. */
export function seasonText(season: { from: string; to: string }): string {
  return `${monthDay(season.from)}至${season.from > season.to ? '次年' : ''}${monthDay(season.to)}`;
}

/** The columns of the counts table, per kind: the ozone response has only "in scope" and "not". */
export function treatmentColumns(kind: CampaignKind): Array<{ treatment: Treatment; name: string }> {
  return kind === 'AUTUMN_WINTER'
    ? [
        { treatment: 'STOP', name: '停产' },
        { treatment: 'STAGGER', name: '错峰生产' },
        { treatment: 'APPROVED_LOAD', name: '按核定负荷生产' },
        { treatment: 'EXEMPT', name: '不纳入错峰' },
      ]
    : [
        { treatment: 'STAGGER', name: '纳入臭氧污染应对' },
        { treatment: 'EXEMPT', name: '不纳入' },
      ];
}

/** The treatment in words on the page (under the ozone response, "in scope" is 错时生产, not 错峰生产). */
export function treatmentName(kind: CampaignKind, treatment: Treatment): string {
  if (kind === 'SUMMER_OZONE') return treatment === 'EXEMPT' ? '不纳入' : '错时生产';
  return treatmentColumns('AUTUMN_WINTER').find((c) => c.treatment === treatment)!.name;
}

/** The counts per county and treatment, with a 合计 row when several counties are shown. */
export function countyCountRows(p: Pick<CampaignPreview, 'kind' | 'byCounty' | 'byTreatment' | 'total'>) {
  const columns = treatmentColumns(p.kind);
  const rows = p.byCounty.map((c) => ({
    name: c.countyName,
    countyCode: c.countyCode,
    cells: columns.map((col) => c.counts[col.treatment] ?? 0),
    total: Object.values(c.counts).reduce((a, b) => a + b, 0),
  }));
  const totals = {
    name: '合计',
    cells: columns.map((col) => p.byTreatment.find((b) => b.treatment === col.treatment)?.n ?? 0),
    total: p.total,
  };
  return { columns, rows, totals: rows.length > 1 ? totals : null };
}

const escalationName = (s: string) => ESCALATION_SOURCE_NAMES[s as EscalationSource] ?? s;

/** The staggered-production rules in words: which grades stop, stagger or are exempt, the industries, the escalations. */
export function staggerRulesText(rules: StaggerRules, industryName: (code: string) => string) {
  const gradesOf = (t: 'STOP' | 'STAGGER' | 'EXEMPT') =>
    GRADES.filter((g) => (rules.grades[g] ?? 'EXEMPT') === t).map((g) => GRADE_NAMES[g]);
  const grades = (['STOP', 'STAGGER', 'EXEMPT'] as const)
    .map((t) => ({ name: TREATMENT_NAMES[t], grades: gradesOf(t).join('、') }))
    .filter((g) => g.grades !== '');
  const describe = (ms: ReadonlyArray<{ description: string }>) => ms.map((m) => m.description).join('、');
  const industries = [
    ...Object.entries(rules.stagger.byIndustry ?? {}).map(
      ([code, ms]) => `${industryName(code)}:${describe(ms)}`,
    ),
    `${Object.keys(rules.stagger.byIndustry ?? {}).length ? '其他行业' : '各行业'}:${describe(rules.stagger.default)}`,
  ];
  const escalations = Object.entries(rules.escalations ?? {}).map(([source, e]) =>
    e.kind === 'GRADE_LOWER'
      ? `${escalationName(source)}:按低一级管控`
      : `${escalationName(source)}:加严,${describe(e.measures)}`,
  );
  return { season: seasonText(rules.season), grades, industries, escalations };
}

/** The ozone response's rules in words: its scope (industries, a VOCs baseline), the window and the measure. */
export function ozoneRulesText(rules: OzoneRules, industryName: (code: string) => string) {
  return {
    season: seasonText(rules.season),
    window: `${rules.window.from}–${rules.window.to}`,
    industries: rules.vocIndustries.map(industryName).join('、'),
    baseline: `VOCs排放量不低于${rules.minVocsKgPerDay}千克/日的企业(不论行业)`,
    measure: rules.measure.description,
  };
}

/** One enterprise of the preview's list as the page shows it. */
export function campaignEnterpriseRow(
  e: CampaignPreview['enterprises'][number],
  kind: CampaignKind,
  countyName: string,
) {
  return {
    ...e,
    countyName,
    treatmentName: treatmentName(kind, e.treatment),
    loweredGrade: e.effectiveGrade !== e.grade ? GRADE_NAMES[e.effectiveGrade] : null,
    escalated: e.escalatedBy.length > 0,
  };
}

/** The enterprise page's 全年管控 card, in words. */
export function yearCard(y: EnterpriseYear, industryName: (code: string) => string) {
  const aw = y.autumnWinter;
  const oz = y.summerOzone;
  const ozoneIn = oz.decision.treatment !== 'EXEMPT';
  const sources = y.warningEscalation.map(escalationName);
  return {
    year: y.year,
    date: y.date,
    rulesetName: y.rulesetName,
    autumnWinter: {
      season: seasonText(aw.rules.season),
      inSeason: aw.inSeason,
      treatmentName: treatmentName('AUTUMN_WINTER', aw.decision.treatment),
      treatment: aw.decision.treatment,
      loweredGrade: aw.decision.effectiveGrade !== y.grade ? GRADE_NAMES[aw.decision.effectiveGrade] : null,
      measures: aw.decision.measures.map((m) => m.description),
      reasons: aw.decision.reasons,
      escalated: aw.decision.escalatedBy.length > 0,
    },
    summerOzone: {
      season: seasonText(oz.rules.season),
      inSeason: oz.inSeason,
      inScope: ozoneIn,
      window: `${oz.rules.window.from}–${oz.rules.window.to}`,
      reasons: oz.decision.reasons,
      measures: oz.decision.measures.map((m) => m.description),
      scope: ozoneRulesText(oz.rules, industryName).industries,
    },
    warning: sources.length
      ? {
          escalated: true,
          text: `${sources.join('、')},预警期间从严管控:执行高一级预警的减排措施(如橙色预警时执行红色预警措施;已是最高级别或方案中无高一级措施时执行本级措施)。`,
        }
      : { escalated: false, text: '无从严要求:预警期间执行本级预警的减排措施。' },
    // The campaigns it got orders in (issue 18), by name, with the order's measures and reasons.
    campaigns: y.orders
      .filter((o) => o.kind === 'CAMPAIGN')
      .map((o) => ({
        orderId: o.orderId,
        alertId: o.alertId,
        name: o.campaignName ?? o.alertCode,
        effectiveAt: o.effectiveAt,
        expectedEndAt: o.expectedEndAt,
        measures: o.measures,
        reasons: o.reasons,
        stateName: ORDER_STATE_NAMES[o.state as OrderState] ?? o.state,
      })),
    orders: y.orders
      .filter((o) => o.kind !== 'CAMPAIGN')
      .map((o) => ({
        ...o,
        measureLevelName:
          o.measureLevel && o.measureLevel !== o.level
            ? `${LEVEL_NAMES[o.measureLevel] ?? o.measureLevel}预警措施`
            : null,
        escalatedByText: o.escalatedBy.map(escalationName).join('、'),
        stateName: ORDER_STATE_NAMES[o.state as OrderState] ?? o.state,
      })),
  };
}

/** The kinds as the page's tabs, the chosen one marked, each keeping the other filters (page 1). */
export function kindTabs(f: CampaignFilters) {
  return CAMPAIGN_KINDS.map((kind) => ({
    kind,
    name: CAMPAIGN_KIND_NAMES[kind],
    href: campaignHref({ ...f, kind, page: 1 }),
    selected: kind === f.kind,
  }));
}
