import type { LevelAdequacy, ScopeAdequacy } from '../enterprises/adequacy.rules';
import {
  type MeasureBasis,
  mergeWithCampaign,
  type OrderMeasureLike,
  productionCut,
} from '../campaigns/campaign.rules';
import { type Emissions, GRADES } from '../enterprises/enterprise.types';
import { POLLUTANTS, type Pollutant } from '../rulesets/ruleset.types';

export type PreviewProblem = 'NO_PLAN' | 'NO_EMAIL';

/** One group of the scope as the preview query counts it: enterprises of a county and grade with one outcome. */
export interface ScopeCountRow {
  countyCode: string;
  grade: string;
  /** MANDATORY, VOLUNTARY, PROTECTED, or LIFT / CANCEL for end notices. */
  noticeType: string;
  problem: PreviewProblem | null;
  n: number;
}

export interface PreviewCounts {
  inScope: number;
  voluntary: number;
  protected: number;
  noPlan: number;
  noEmail: number;
}

export interface PreviewTotals extends PreviewCounts {
  /** Orders approval would write: one per enterprise in scope, none for an extension (its orders stand). */
  orders: number;
}

export interface CountyCounts extends PreviewCounts {
  countyCode: string;
  countyName: string;
}

/** A county of the preview with its own reduction adequacy, in the shape of the scope's `reduction`. */
export interface CountyPreview extends CountyCounts {
  reduction: ReductionRow[];
}

export interface GradeCounts extends PreviewCounts {
  grade: string;
}

export interface ReductionRow {
  pollutant: Pollutant;
  baseline: number;
  reduction: number;
  ratio: number | null;
  required: number | null;
  ok: boolean | null;
}

const zero = (): PreviewCounts => ({ inScope: 0, voluntary: 0, protected: 0, noPlan: 0, noEmail: 0 });

function addRow(c: PreviewCounts, r: ScopeCountRow): void {
  c.inScope += r.n;
  if (r.noticeType === 'VOLUNTARY') c.voluntary += r.n;
  if (r.noticeType === 'PROTECTED') c.protected += r.n;
  if (r.problem === 'NO_PLAN') c.noPlan += r.n;
  if (r.problem === 'NO_EMAIL') c.noEmail += r.n;
}

/**
 * Totals, per county and per grade from the grouped counts. Every selected county is listed (zeros included,
 * in the order given) so a county with nobody in scope shows up; grades only when present, in grade order.
 */
export function mergeCounts(
  rows: readonly ScopeCountRow[],
  counties: ReadonlyArray<{ code: string; name: string }>,
  opts: { createsOrders: boolean },
): { totals: PreviewTotals; byCounty: CountyCounts[]; byGrade: GradeCounts[] } {
  const totals = zero();
  const byCounty = new Map<string, CountyCounts>(
    counties.map((c) => [c.code, { countyCode: c.code, countyName: c.name, ...zero() }]),
  );
  const byGrade = new Map<string, GradeCounts>();
  for (const r of rows) {
    addRow(totals, r);
    let county = byCounty.get(r.countyCode);
    if (!county) {
      // Not among the selected counties (an old order's county): still counted, under its code.
      county = { countyCode: r.countyCode, countyName: r.countyCode, ...zero() };
      byCounty.set(r.countyCode, county);
    }
    addRow(county, r);
    const grade = byGrade.get(r.grade) ?? { grade: r.grade, ...zero() };
    addRow(grade, r);
    byGrade.set(r.grade, grade);
  }
  const rank = (g: string) => {
    const i = (GRADES as readonly string[]).indexOf(g);
    return i < 0 ? GRADES.length : i;
  };
  return {
    totals: { ...totals, orders: opts.createsOrders ? totals.inScope : 0 },
    byCounty: [...byCounty.values()],
    byGrade: [...byGrade.values()].sort(
      (a, b) => rank(a.grade) - rank(b.grade) || a.grade.localeCompare(b.grade),
    ),
  };
}

/** At most `cap` problems, and whether some were left out (the query asks for one more than the cap). */
export function capProblems<T>(
  rows: readonly T[],
  cap: number,
): { problems: T[]; problemsTruncated: boolean } {
  return { problems: rows.slice(0, cap), problemsTruncated: rows.length > cap };
}

/** The adequacy of the warning's level as one row per pollutant, in the usual pollutant order. */
export function reductionRows(adequacy: LevelAdequacy): ReductionRow[] {
  return POLLUTANTS.map((pollutant) => ({ pollutant, ...adequacy.pollutants[pollutant] }));
}

/**
 * Each county's own reduction rows next to its counts; empty when there is no reduction to assess (a lift or
 * cancellation) or the county is not one of the warning's (an old order's county).
 */
export function withCountyReduction(
  byCounty: readonly CountyCounts[],
  scope: ScopeAdequacy | null,
): CountyPreview[] {
  const own = new Map(scope?.byCounty.map((c) => [c.countyCode, c.adequacy]));
  return byCounty.map((c) => {
    const adequacy = own.get(c.countyCode);
    return { ...c, reduction: adequacy ? reductionRows(adequacy) : [] };
  });
}

export const POLLUTANT_LABELS: Record<Pollutant, string> = {
  so2: 'SO₂',
  nox: 'NOₓ',
  pm: '颗粒物',
  vocs: 'VOCs',
};

export interface ReductionShortfall {
  countyCode: string;
  countyName: string;
  pollutant: Pollutant;
  ratio: number;
  required: number;
  /** What the console shows, e.g. "石楼县 SO₂ 27.0% < 30%". */
  text: string;
}

/** A share as a percentage, to one decimal unless more are needed to show that it differs from `than`. */
function percentShort(ratio: number, than: string): string {
  for (const digits of [1, 2, 3]) {
    const text = `${(ratio * 100).toFixed(digits)}%`;
    if (parseFloat(text) < parseFloat(than)) return text;
  }
  return `${(ratio * 100).toFixed(4)}%`;
}

/**
 * Every county and pollutant short of the required ratio (ok false), county by county in the preview's order,
 * pollutants in the usual order. Unknown ratios (no inventory) are not shortfalls: `inventoryMissing` names them.
 */
export function reductionShortfalls(preview: {
  byCounty: ReadonlyArray<Pick<CountyPreview, 'countyCode' | 'countyName' | 'reduction'>>;
}): ReductionShortfall[] {
  return preview.byCounty.flatMap((c) =>
    c.reduction
      .filter((r) => r.ok === false && r.ratio !== null && r.required !== null)
      .map((r) => {
        // 30%, 12.5%: the ruleset's ratio as written, without trailing zeros.
        const required = `${Number((r.required! * 100).toFixed(2))}%`;
        return {
          countyCode: c.countyCode,
          countyName: c.countyName,
          pollutant: r.pollutant,
          ratio: r.ratio!,
          required: r.required!,
          text: `${c.countyName} ${POLLUTANT_LABELS[r.pollutant]} ${percentShort(r.ratio!, required)} < ${required}`,
        };
      }),
  );
}

/** The names of the counties without an inventory, as the console lists them (codes of unknown counties as they are). */
export function inventoryMissingNames(preview: {
  byCounty: ReadonlyArray<Pick<CountyCounts, 'countyCode' | 'countyName'>>;
  inventoryMissing: readonly string[];
}): string {
  const names = new Map(preview.byCounty.map((c) => [c.countyCode, c.countyName]));
  return preview.inventoryMissing.map((c) => names.get(c) ?? c).join('、');
}

/** An enterprise in a warning's scope with a campaign order in force at the revision's effective time (issue 18). */
export interface CampaignMergeRow<M extends OrderMeasureLike = OrderMeasureLike> {
  enterpriseId: string;
  name: string;
  countyCode: string;
  lines: ReadonlyArray<{ code: string; name: string }>;
  /** The warning's own measures for it (its plan's, as the order would carry them; empty for none). */
  warning: readonly M[];
  campaign: readonly M[];
  campaignName: string;
}

export interface CampaignMergePreview {
  /** Enterprises whose order approval would write as the stricter of the warning's and the campaign's measures. */
  enterprises: number;
  /** Of them, those for which a campaign measure wins on at least one line (or only the campaign gives one). */
  campaignStricter: number;
  /** Per campaign (by name), its enterprises in the scope. */
  campaigns: Array<{ name: string; n: number }>;
  /** The first enterprises (by county, then name) with their merged measures, each with its basis. */
  samples: Array<{
    enterpriseId: string;
    name: string;
    countyCode: string;
    measures: Array<{
      line: string | null;
      /** The line's name (全厂 for a measure on no line). */
      lineName: string;
      description: string;
      basis: MeasureBasis;
      basisReason: string;
    }>;
  }>;
  samplesTruncated: boolean;
  /**
   * Per county, what the merge adds to the reduction counted at hour 0 (merged minus the warning's own measures in
   * force at the start): a campaign measure winning on a line keeps the displaced warning measure's reduction, so this
   * is zero unless that measure covered several lines; it is what the adequacy adds.
   */
  reductionAdded: Map<string, Emissions>;
}

const atStart = (m: OrderMeasureLike) => (m.fromHour ?? 0) === 0 && (m.toHour === null || m.toHour > 0);
const startReduction = (list: readonly OrderMeasureLike[]): Emissions => {
  const sum: Emissions = { so2: 0, nox: 0, pm: 0, vocs: 0 };
  for (const m of list) if (atStart(m)) for (const p of POLLUTANTS) sum[p] += Number(m.reduction?.[p] ?? 0);
  return sum;
};

/**
 * What approval would do to the enterprises of a warning's scope under a campaign in force: each order becomes
 * mergeWithCampaign(warning, campaign, lines, name), the very rule OrdersService writes it with. Counted, a few
 * samples kept (the rows in the order given), and the reduction the merge adds per county.
 */
export function campaignMergePreview(
  rows: readonly CampaignMergeRow[],
  sampleCap: number,
): CampaignMergePreview {
  const campaigns = new Map<string, number>();
  const reductionAdded = new Map<string, Emissions>();
  const samples: CampaignMergePreview['samples'] = [];
  let campaignStricter = 0;
  for (const r of rows) {
    const merged = mergeWithCampaign(r.warning, r.campaign, r.lines, r.campaignName);
    campaigns.set(r.campaignName, (campaigns.get(r.campaignName) ?? 0) + 1);
    if (merged.some((m) => m.basis === 'CAMPAIGN' && productionCut(m) !== null)) campaignStricter++;
    const before = startReduction(r.warning);
    const after = startReduction(merged);
    const added = reductionAdded.get(r.countyCode) ?? { so2: 0, nox: 0, pm: 0, vocs: 0 };
    for (const p of POLLUTANTS) added[p] += after[p] - before[p];
    reductionAdded.set(r.countyCode, added);
    if (samples.length < sampleCap)
      samples.push({
        enterpriseId: r.enterpriseId,
        name: r.name,
        countyCode: r.countyCode,
        measures: merged.map((m) => ({
          line: m.line,
          lineName: m.line === null ? '全厂' : (r.lines.find((l) => l.code === m.line)?.name ?? m.line),
          description: m.description,
          basis: m.basis,
          basisReason: m.basisReason,
        })),
      });
  }
  return {
    enterprises: rows.length,
    campaignStricter,
    campaigns: [...campaigns].map(([name, n]) => ({ name, n })),
    samples,
    samplesTruncated: rows.length > sampleCap,
    reductionAdded,
  };
}
