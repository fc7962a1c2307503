import {
  ACTION_NAMES,
  type ControlTag,
  type Grade,
  GRADE_NAMES,
  GRADE_ONE_LOWER,
  type MeasureAction,
  type MeasureParams,
} from '../enterprises/enterprise.types';
import { ESCALATION_SOURCE_NAMES } from '../orders/escalation.rules';

/**
 * Seasonal and differentiated controls (issue 18, domain.md §5): which treatment an enterprise gets under a
 * campaign (grade × industry × tag × place), and the stricter-of merge of a campaign's measures with a warning's,
 * line by line. Pure: the campaign service loads enterprises and writes orders from what these return.
 */

export const CAMPAIGN_KINDS = ['AUTUMN_WINTER', 'SUMMER_OZONE'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const CAMPAIGN_KIND_NAMES: Record<CampaignKind, string> = {
  AUTUMN_WINTER: '秋冬季差异化错峰生产',
  SUMMER_OZONE: '夏季臭氧污染应对',
};

/** The code of a campaign record, before the year and number: CW2026-004, O32027-011. */
export const CAMPAIGN_CODE_PREFIX: Record<CampaignKind, string> = {
  AUTUMN_WINTER: 'CW',
  SUMMER_OZONE: 'O3-',
};

/** 2026—2027年秋冬季差异化错峰生产 (the season spans the new year), or 2027年6月12日臭氧污染应对. */
export function defaultCampaignName(kind: CampaignKind, start: Date, day: string | null): string {
  const [y, m, d] = (day ?? beijingDay(start)).split('-').map(Number);
  if (kind === 'SUMMER_OZONE') return `${y}年${m}月${d}日臭氧污染应对`;
  const first = m >= 7 ? y : y - 1;
  return `${first}—${first + 1}年秋冬季差异化错峰生产`;
}

function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The 文号 series of each kind's notices (吕错峰〔2026〕1号), apart from the warnings'. */
export const CAMPAIGN_DOCUMENT_SERIES: Record<CampaignKind, string> = {
  AUTUMN_WINTER: '吕错峰',
  SUMMER_OZONE: '吕臭氧应对',
};

/** The 文号 series of an alert's notices: its campaign kind's, or undefined for a warning (the configured prefix). */
export function documentSeriesOf(alert: { campaign: { kind: CampaignKind } | null }): string | undefined {
  return alert.campaign ? CAMPAIGN_DOCUMENT_SERIES[alert.campaign.kind] : undefined;
}

/** What a grade gets under staggered production: stop, stagger by its industry's rule, or nothing. */
export type Treatment = 'STOP' | 'STAGGER' | 'EXEMPT';

export const TREATMENT_NAMES: Record<Treatment, string> = {
  STOP: '停产',
  STAGGER: '错峰生产',
  EXEMPT: '不纳入错峰',
};

/** A measure as a campaign's rules write it (the line is filled in per enterprise). */
export interface MeasureTemplate {
  action: MeasureAction;
  params?: MeasureParams;
  description: string;
}

/**
 * What makes an enterprise's treatment stricter: treat it as one grade lower (C → D, B → C …), or add measures.
 * Set per ruleset for each control tag and for the joint-control counties (平川四县).
 */
export type Escalation = { kind: 'GRADE_LOWER' } | { kind: 'ADD_MEASURES'; measures: MeasureTemplate[] };

export interface StaggerRules {
  /** The season, as month-day in Beijing time, inclusive (11-01 to 03-31 by default: across the new year). */
  season: { from: string; to: string };
  /** Per grade; a grade not listed is exempt. Protected enterprises run at their approved load whatever their grade. */
  grades: Partial<Record<Grade, Treatment>>;
  /** What staggering means, per industry code, else the default (e.g. limit production by 30%). */
  stagger: { default: MeasureTemplate[]; byIndustry?: Record<string, MeasureTemplate[]> };
  /** Stricter treatment for tagged enterprises and for the joint-control counties. */
  escalations?: Partial<Record<ControlTag | 'JOINT_CONTROL_AREA', Escalation>>;
}

/** The enterprise as the campaign rules see it. */
export interface CampaignSubject {
  grade: Grade;
  industry: string;
  isProtected: boolean;
  /** Approved maximum load, percent of capacity (protected enterprises). */
  protectedMaxLoad: number | null;
  controlTags: readonly string[];
  /** The county is one of the 平川四县 (joint-control area). */
  jointControlArea: boolean;
  lines: ReadonlyArray<{ code: string; name: string }>;
}

const LOWER = GRADE_ONE_LOWER;

export interface CampaignMeasure {
  line: string | null;
  action: MeasureAction;
  params: MeasureParams;
  description: string;
}

export interface CampaignDecision {
  treatment: Treatment | 'APPROVED_LOAD';
  /** The grade the treatment was taken for (the enterprise's, or lower when an escalation said so). */
  effectiveGrade: Grade;
  measures: CampaignMeasure[];
  /** Why, in Chinese, for the preview and the notice: 绩效等级C,位于平川四县,按低一级(D级)管控:停产. */
  reasons: string[];
  /** The tags and places whose escalation applied. */
  escalatedBy: Array<ControlTag | 'JOINT_CONTROL_AREA'>;
}

/**
 * An enterprise's treatment under staggered production: protected enterprises at their approved load; otherwise its
 * grade's treatment, each escalation that applies (its tags, its county in the joint-control area) either lowering
 * the grade once more or adding measures. STOP is every line stopped; STAGGER the industry's rule on every line.
 */
export function staggerDecision(e: CampaignSubject, rules: StaggerRules): CampaignDecision {
  if (e.isProtected) {
    const load = e.protectedMaxLoad ?? 100;
    return {
      treatment: 'APPROVED_LOAD',
      effectiveGrade: e.grade,
      measures:
        load < 100
          ? [
              {
                line: null,
                action: 'LIMIT_PERCENT',
                params: { percent: 100 - load },
                description: `按核定最大负荷${load}%组织生产`,
              },
            ]
          : [],
      reasons: [`保障类企业,按核定负荷${load}%生产`],
      escalatedBy: [],
    };
  }
  let grade = e.grade;
  const reasons = [`绩效等级${GRADE_NAMES[e.grade]}`];
  const added: MeasureTemplate[] = [];
  const escalatedBy: CampaignDecision['escalatedBy'] = [];
  const sources: Array<ControlTag | 'JOINT_CONTROL_AREA'> = [
    ...(e.controlTags.filter((t) => t in ESCALATION_SOURCE_NAMES) as ControlTag[]),
    ...(e.jointControlArea ? (['JOINT_CONTROL_AREA'] as const) : []),
  ];
  for (const source of sources) {
    const escalation = rules.escalations?.[source];
    if (!escalation) continue;
    if (escalation.kind === 'GRADE_LOWER') {
      const lower = LOWER[grade];
      // Already the lowest grade (D): one lower changes nothing, so it is not a reason.
      if (lower === grade) continue;
      escalatedBy.push(source);
      reasons.push(`${ESCALATION_SOURCE_NAMES[source]},按低一级(${GRADE_NAMES[lower]})管控`);
      grade = lower;
    } else {
      escalatedBy.push(source);
      added.push(...escalation.measures);
      reasons.push(
        `${ESCALATION_SOURCE_NAMES[source]},加严:${escalation.measures.map((m) => m.description).join('、')}`,
      );
    }
  }
  const treatment = rules.grades[grade] ?? 'EXEMPT';
  const base: MeasureTemplate[] =
    treatment === 'STOP'
      ? [{ action: 'STOP', description: '停产' }]
      : treatment === 'STAGGER'
        ? (rules.stagger.byIndustry?.[e.industry] ?? rules.stagger.default)
        : [];
  // An exempt grade stays exempt of the season's measures, but not of measures added for a tag or place.
  const templates = [...base, ...added];
  reasons.push(
    `${TREATMENT_NAMES[treatment]}${base.length ? ':' + base.map((m) => m.description).join('、') : ''}`,
  );
  return {
    treatment,
    effectiveGrade: grade,
    measures: templates.map((m) => ({
      line: null,
      action: m.action,
      params: { ...(m.params ?? {}) },
      description: m.description,
    })),
    reasons,
    escalatedBy,
  };
}

/** Whether a Beijing calendar day (YYYY-MM-DD) falls in a season given as month-days, across the new year if need be. */
export function inSeason(day: string, season: { from: string; to: string }): boolean {
  const md = day.slice(5);
  return season.from <= season.to
    ? md >= season.from && md <= season.to
    : md >= season.from || md <= season.to;
}

/**
 * How much of a line's production a measure takes away, 0–100, for comparing two measures on one line; null for
 * measures that do not cut production (truck bans, caps, extended coking time…), which are not compared but kept.
 */
export function productionCut(m: { action: MeasureAction; params: MeasureParams }): number | null {
  switch (m.action) {
    case 'STOP':
      return 100;
    case 'LIMIT_PERCENT':
      return Number(m.params.percent) || 0;
    case 'STOP_SHARE':
      return Number(m.params.share) || 0;
    case 'VOLUNTARY':
      return 0;
    case 'EXTEND_COKING_HOURS':
    case 'FEED_CAP':
    case 'CONCENTRATION_CAP':
    case 'TRUCK_BAN_CN4':
    case 'STOP_ROAD_TRANSPORT':
    case 'OTHER':
      return null;
  }
}

export type MeasureBasis = 'WARNING' | 'CAMPAIGN';

export interface MergedMeasure<M> {
  measure: M;
  basis: MeasureBasis;
  /** Why this one applies, for the notice: 预警措施严于错峰生产要求. */
  reason: string;
}

/**
 * During a warning an enterprise under a campaign takes, line by line, the stricter production measure of the two
 * (ties go to the warning: it is the emergency in force); measures that do not cut production are kept from both,
 * each once. A measure on no line is on every line; an enterprise without lines is one line.
 */
export function stricterOf<
  M extends { line: string | null; action: MeasureAction; params: MeasureParams; description: string },
>(
  warning: readonly M[],
  campaign: readonly M[],
  lines: ReadonlyArray<{ code: string; name: string }>,
  campaignName: string,
): Array<MergedMeasure<M>> {
  const codeOf = (line: string | null) =>
    line === null ? null : (lines.find((l) => l.code === line || l.name === line)?.code ?? line);
  const lineCodes = lines.length ? lines.map((l) => l.code) : [null];
  const strongest = (list: readonly M[], line: string | null) => {
    let best: M | null = null;
    for (const m of list) {
      const cut = productionCut(m);
      if (cut === null) continue;
      const on = codeOf(m.line);
      if (on !== null && on !== line) continue;
      if (best === null || cut > productionCut(best)!) best = m;
    }
    return best;
  };
  // The winner on each line; a measure on no line that wins on every line stays one measure, else it is written
  // out for the lines it wins on (so a line the other source stops is not also told to merely limit).
  const winners = new Map<M, { basis: MeasureBasis; reason: string; lines: Array<string | null> }>();
  for (const line of lineCodes) {
    const w = strongest(warning, line);
    const c = strongest(campaign, line);
    const win =
      w && (!c || productionCut(w)! >= productionCut(c)!)
        ? { m: w, basis: 'WARNING' as const, reason: c ? `预警措施严于${campaignName}要求` : '预警措施' }
        : c
          ? {
              m: c,
              basis: 'CAMPAIGN' as const,
              reason: w ? `${campaignName}要求严于预警措施` : `${campaignName}要求`,
            }
          : null;
    if (!win) continue;
    const entry = winners.get(win.m) ?? { basis: win.basis, reason: win.reason, lines: [] };
    // One reason per measure: "stricter than the other" wherever it met the other.
    if (win.reason.includes('严于')) entry.reason = win.reason;
    entry.lines.push(line);
    winners.set(win.m, entry);
  }
  const out: Array<MergedMeasure<M>> = [];
  for (const [m, { basis, reason, lines: on }] of winners) {
    if (m.line !== null || on.length === lineCodes.length) out.push({ measure: m, basis, reason });
    else for (const line of on) out.push({ measure: { ...m, line }, basis, reason });
  }
  const push = (m: M, basis: MeasureBasis, reason: string) => out.push({ measure: m, basis, reason });
  const key = (m: M) => `${codeOf(m.line) ?? ''}|${m.action}|${JSON.stringify(m.params)}`;
  const kept = new Set(out.map((x) => key(x.measure)));
  for (const [list, basis, reason] of [
    [warning, 'WARNING', '预警措施'],
    [campaign, 'CAMPAIGN', `${campaignName}要求`],
  ] as const)
    for (const m of list)
      if (productionCut(m) === null && !kept.has(key(m))) {
        kept.add(key(m));
        push(m, basis, reason);
      }
  return out;
}

/** The order of the merged measures as the notice lists them, each with its basis in words. */
export function mergedSummary(merged: ReadonlyArray<MergedMeasure<CampaignMeasure>>): string[] {
  return merged.map(
    ({ measure: m, reason }) => `${m.line ?? '全厂'}:${m.description || ACTION_NAMES[m.action]}(${reason})`,
  );
}

/** The summer ozone response (夏季臭氧污染应对): VOC-emitting processes out of a daytime window on ozone days. */
export interface OzoneRules {
  season: { from: string; to: string };
  /** The window in Beijing time, HH:MM, [from, to): 10:00–16:00 by default (seed item 16). */
  window: { from: string; to: string };
  /** Industries whose processes emit VOCs (coating, printing, chemicals…); and any enterprise with a VOCs baseline. */
  vocIndustries: string[];
  /** Enterprises emitting at least this much VOCs a day (kg/d) are in scope whatever their industry. */
  minVocsKgPerDay: number;
  measure: MeasureTemplate;
  /** The departments' duties on an ozone day (outdoor coating, road marking, asphalt paving out of the window). */
  departmentDuties?: Array<{ department: string; duty: string }>;
}

/** Defaults proposed for Lüliang (domain.md §5): the city sets its own in the ruleset (`definition.campaigns`). */
export const DEFAULT_STAGGER_RULES: StaggerRules = {
  season: { from: '11-01', to: '03-31' },
  grades: { D: 'STOP', C: 'STAGGER', B_MINUS: 'STAGGER', NON_LEADING: 'STAGGER', UNGRADED: 'STAGGER' },
  stagger: {
    default: [{ action: 'LIMIT_PERCENT', params: { percent: 30 }, description: '错峰期间限产30%' }],
    byIndustry: {
      COKING: [{ action: 'EXTEND_COKING_HOURS', params: { hours: 48 }, description: '结焦时间延长至48小时' }],
      CEMENT: [{ action: 'STOP', description: '水泥熟料生产线错峰停产' }],
      BRICK_KILN: [{ action: 'STOP', description: '砖瓦窑错峰停产' }],
      CASTING: [{ action: 'LIMIT_PERCENT', params: { percent: 50 }, description: '铸造限产50%' }],
    },
  },
  escalations: {
    JOINT_CONTROL_AREA: { kind: 'GRADE_LOWER' },
    BUILT_UP_AREA: { kind: 'GRADE_LOWER' },
    DIFFERENTIATED_CONTROL: { kind: 'GRADE_LOWER' },
    NO_DRY_QUENCHING: {
      kind: 'ADD_MEASURES',
      measures: [
        {
          action: 'STOP_SHARE',
          params: { share: 30, unit: '炭化室' },
          description: '湿熄焦炉组停产30%炭化室',
        },
      ],
    },
  },
};

export const DEFAULT_OZONE_RULES: OzoneRules = {
  season: { from: '05-01', to: '09-30' },
  window: { from: '10:00', to: '16:00' },
  vocIndustries: [
    'REFINING_PETROCHEMICAL',
    'PHARMACEUTICALS',
    'PESTICIDES',
    'COATINGS_MANUFACTURING',
    'INK',
    'PACKAGING_PRINTING',
    'WOOD_PANELS',
    'ARTIFICIAL_LEATHER',
    'RUBBER_PRODUCTS',
    'FOOTWEAR',
    'FURNITURE',
    'AUTOMOBILE_MANUFACTURING',
    'CONSTRUCTION_MACHINERY',
    'INDUSTRIAL_COATING',
    'COKING',
  ],
  minVocsKgPerDay: 100,
  measure: { action: 'OTHER', description: '涉VOCs排放工序避开10:00-16:00生产' },
  departmentDuties: [
    { department: 'ZHUJIAN', duty: '督促建筑工地在应对时段内停止户外喷涂、涂装和沥青铺设作业' },
    { department: 'JIAOTONG', duty: '在应对时段内停止公路道路划线和沥青铺设作业' },
    { department: 'CHENGGUAN', duty: '在应对时段内停止市政道路划线、沥青铺设和户外喷涂作业' },
  ],
};

/** The ruleset's campaign rules, or the defaults where it sets none. */
export function campaignRulesOf(definition: {
  campaigns?: { AUTUMN_WINTER?: StaggerRules; SUMMER_OZONE?: OzoneRules };
}): { AUTUMN_WINTER: StaggerRules; SUMMER_OZONE: OzoneRules } {
  return {
    AUTUMN_WINTER: definition.campaigns?.AUTUMN_WINTER ?? DEFAULT_STAGGER_RULES,
    SUMMER_OZONE: definition.campaigns?.SUMMER_OZONE ?? DEFAULT_OZONE_RULES,
  };
}

/** Whether an enterprise is in the ozone response's scope: a VOC-emitting industry, or a large VOCs baseline. */
export function ozoneDecision(
  e: { grade: Grade; industry: string; baselineVocs: number },
  rules: OzoneRules,
): CampaignDecision | null {
  const byIndustry = rules.vocIndustries.includes(e.industry);
  const byBaseline = e.baselineVocs >= rules.minVocsKgPerDay;
  if (!byIndustry && !byBaseline) return null;
  const window = `${rules.window.from}-${rules.window.to}`;
  return {
    treatment: 'STAGGER',
    effectiveGrade: e.grade,
    measures: [
      {
        line: null,
        action: rules.measure.action,
        params: { ...(rules.measure.params ?? {}) },
        description: rules.measure.description,
      },
    ],
    reasons: [
      byIndustry ? '涉VOCs排放行业' : `VOCs排放量${e.baselineVocs}千克/日`,
      `臭氧污染应对日${window}错时生产`,
    ],
    escalatedBy: [],
  };
}

/** Every day of an ISO date range, inclusive (YYYY-MM-DD, calendar days). */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

/**
 * The ozone-response days a consultation gives (issue 18): each day of a county's ozone episode that calls for the
 * response (臭氧污染应对, `responds`), with the counties it covers, in date order, each marked in or out of the
 * season. A day of the episode's merged clean gap belongs to the episode, as for warnings.
 */
export function ozoneResponseDays(
  recommendations: ReadonlyArray<{
    countyCode: string;
    episodes?: ReadonlyArray<{ response: string; responds: boolean; from: string; to: string }>;
  }>,
  season: { from: string; to: string },
): Array<{ date: string; countyCodes: string[]; inSeason: boolean }> {
  const byDay = new Map<string, Set<string>>();
  for (const r of recommendations)
    for (const e of r.episodes ?? [])
      if (e.response === 'OZONE' && e.responds)
        for (const day of daysBetween(e.from, e.to)) {
          const counties = byDay.get(day) ?? new Set<string>();
          counties.add(r.countyCode);
          byDay.set(day, counties);
        }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, counties]) => ({
      date,
      countyCodes: [...counties].sort(),
      inSeason: inSeason(date, season),
    }));
}

/**
 * What a campaign record holds beyond a warning's (alert.campaign): its kind and name, and the scope its rules run
 * over inside its counties (null: every industry, grade or tag). An ozone-response day also keeps its day.
 */
export interface CampaignSpec {
  kind: CampaignKind;
  name: string;
  industries: string[] | null;
  grades: Grade[] | null;
  /** Only enterprises with at least one of these control tags (null: tagged or not). */
  tags: ControlTag[] | null;
  /** The ozone-response day (YYYY-MM-DD) and window in Beijing time; null for staggered production. */
  day?: string | null;
  window?: { from: string; to: string } | null;
}

/** How a campaign measure is verified (the same methods as plan measures): stops by the power submeter. */
export function campaignVerification(action: MeasureAction): 'POWER_SUBMETER' | 'DCS' | 'OTHER' {
  if (action === 'STOP' || action === 'STOP_SHARE' || action === 'LIMIT_PERCENT') return 'POWER_SUBMETER';
  if (action === 'EXTEND_COKING_HOURS' || action === 'FEED_CAP') return 'DCS';
  return 'OTHER';
}

/** Whether an enterprise is inside a campaign's scope filters (its counties are the record's own). */
export function inCampaignScope(
  spec: Pick<CampaignSpec, 'industries' | 'grades' | 'tags'>,
  e: { grade: Grade; industry: string; controlTags: readonly string[] },
): boolean {
  if (spec.industries?.length && !spec.industries.includes(e.industry)) return false;
  if (spec.grades?.length && !spec.grades.includes(e.grade)) return false;
  if (spec.tags?.length && !spec.tags.some((t) => e.controlTags.includes(t))) return false;
  return true;
}

/** A decision's measures as an order carries them: the whole response, verified as campaignVerification says. */
export function campaignOrderMeasures(d: CampaignDecision): Array<
  CampaignMeasure & {
    reduction: { so2: number; nox: number; pm: number; vocs: number };
    verification: string;
    fromHour: null;
    toHour: null;
    fromAt: null;
    toAt: null;
  }
> {
  return d.measures.map((m) => ({
    line: m.line,
    action: m.action,
    params: m.params,
    description: m.description,
    // A campaign's rules give no per-enterprise reduction: counted as none rather than guessed.
    reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
    verification: campaignVerification(m.action),
    fromHour: null,
    toHour: null,
    fromAt: null,
    toAt: null,
  }));
}

/** A decision orders something: a treatment with measures (an exempt grade only when a tag added measures). */
export function decisionOrders(d: CampaignDecision): boolean {
  return d.measures.length > 0;
}

/** A measure as a warning's order carries it (OrderMeasure's shape, without importing the orders' rules). */
export interface OrderMeasureLike {
  line: string | null;
  action: MeasureAction;
  params: MeasureParams;
  description: string;
  reduction: { so2: number; nox: number; pm: number; vocs: number };
  verification: string;
  fromHour: number | null;
  toHour: number | null;
}

/**
 * A warning's order for an enterprise under a campaign in force: stricterOf, written as the order's measures. Each
 * keeps its basis (`basis`, `basisReason`); where the two met on a line the description says which applies and why
 * (限产50%(预警措施严于…要求)), a campaign measure alone says it is the campaign's. A campaign measure that wins on
 * a line keeps the displaced warning measure's reduction (it cuts at least as much; the campaign's rules give none).
 */
export function mergeWithCampaign<M extends OrderMeasureLike>(
  warning: readonly M[],
  campaign: readonly M[],
  lines: ReadonlyArray<{ code: string; name: string }>,
  campaignName: string,
): Array<M & { basis: MeasureBasis; basisReason: string }> {
  const zero = { so2: 0, nox: 0, pm: 0, vocs: 0 };
  const displaced = (line: string | null) => {
    let best: M | null = null;
    for (const w of warning) {
      const cut = productionCut(w);
      if (cut === null || (w.line !== null && line !== null && w.line !== line)) continue;
      if (!best || cut > productionCut(best)!) best = w;
    }
    return best;
  };
  return stricterOf(warning, campaign, lines, campaignName).map(({ measure, basis, reason }) => {
    const met = reason.includes('严于');
    const description =
      met || basis === 'CAMPAIGN' ? `${measure.description}(${reason})` : measure.description;
    const reduction =
      basis === 'CAMPAIGN' && productionCut(measure) !== null
        ? (displaced(measure.line)?.reduction ?? zero)
        : measure.reduction;
    return { ...measure, description, reduction, basis, basisReason: reason };
  });
}

/** What a warning's notice says of the campaign underneath (kept in the order's reasons). */
export function underCampaignSentence(campaignName: string): string {
  return `贵单位同时执行${campaignName},预警期间逐条执行预警措施与错峰生产要求中较严的一项。`;
}

/**
 * A campaign's order to an enterprise that holds an order of a warning in force (issue 18): the campaign's order is
 * issued (it applies after the warning), and its notice says the warning is on, that the stricter of the two applies
 * line by line while it lasts, and which measures that gives now (mergeWithCampaign over both, the rule the warning's
 * next revision writes), e.g. 目前橙色预警(编号 LL-2026-0003)正在实施:预警期间贵单位逐条执行预警措施与本通知管控措施中较严
 * 的一项,现执行:1#矿热炉停产(预警措施严于…要求)、2#矿热炉错峰期间限产30%(…要求严于预警措施);预警解除后执行本通知管控措施。
 */
export function duringWarningSentence<M extends OrderMeasureLike>(
  warning: { code: string; levelName: string; measures: readonly M[] },
  campaign: readonly M[],
  lines: ReadonlyArray<{ code: string; name: string }>,
  campaignName: string,
): string {
  // A measure on one line says which, unless its description already names it (1#矿热炉停产).
  const lineName = (line: string | null) =>
    line === null ? null : (lines.find((l) => l.code === line)?.name ?? line);
  const now = mergeWithCampaign(warning.measures, campaign, lines, campaignName)
    .map((m) => {
      const text = m.description || ACTION_NAMES[m.action];
      const on = lineName(m.line);
      return on && !text.includes(on) ? `${on}${text}` : text;
    })
    .join('、');
  return (
    `目前${warning.levelName}(编号 ${warning.code})正在实施:预警期间贵单位逐条执行预警措施与本通知管控措施中较严的一项` +
    `${now ? `,现执行:${now}` : ''};预警解除后执行本通知管控措施。`
  );
}
