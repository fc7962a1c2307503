import {
  POLLUTANTS,
  type Pollutant,
  type ReductionRatio,
  requiredRatio,
  type WarningLevel,
} from '../rulesets/ruleset.types';
import type { Emissions } from './enterprise.types';

export interface PollutantAdequacy {
  /** Inventory total of the area, kg/d. */
  baseline: number;
  /** Summed reductions of the list at this level, kg/d. */
  reduction: number;
  /** reduction / baseline, or null without a baseline. */
  ratio: number | null;
  /** Required share from the ruleset, or null when the ruleset sets none for this level. */
  required: number | null;
  /** ratio ≥ required; null when either is unknown. */
  ok: boolean | null;
}

export interface LevelAdequacy {
  level: WarningLevel;
  /**
   * The ruleset's requirement at this level as written: one share for all four pollutants, or one per pollutant
   * (each pollutant's own is under `pollutants`); null when the ruleset sets none.
   */
  required: ReductionRatio | null;
  pollutants: Record<Pollutant, PollutantAdequacy>;
  /**
   * Every pollutant with a requirement meets it (null when the level has no requirement, or a required pollutant's
   * ratio is unknown for want of an inventory). A pollutant a per-pollutant ratio leaves out is not judged.
   */
  ok: boolean | null;
}

const EPSILON = 1e-9;

/**
 * Adequacy (可核查) of one area: at each level, each pollutant's summed reduction against the area's
 * inventory baseline and the ruleset's required ratio (10/20/30%).
 */
export function assessAdequacy(input: {
  levels: readonly WarningLevel[];
  ratios: Partial<Record<WarningLevel, ReductionRatio>>;
  inventory: Emissions | null;
  reductions: Partial<Record<WarningLevel, Emissions>>;
}): LevelAdequacy[] {
  return input.levels.map((level) => {
    const ratio = input.ratios[level];
    const required = ratio === undefined ? null : typeof ratio === 'number' ? ratio : { ...ratio };
    const requireds = POLLUTANTS.map((p) => requiredRatio(input.ratios[level], p));
    const reductions = input.reductions[level];
    const pollutants = {} as Record<Pollutant, PollutantAdequacy>;
    POLLUTANTS.forEach((p, i) => {
      const baseline = input.inventory?.[p] ?? 0;
      const reduction = reductions?.[p] ?? 0;
      const share = baseline > 0 ? reduction / baseline : null;
      const need = requireds[i];
      const ok = need === null || share === null ? null : share + EPSILON >= need;
      pollutants[p] = { baseline, reduction, ratio: share, required: need, ok };
    });
    const oks = POLLUTANTS.filter((_, i) => requireds[i] !== null).map((p) => pollutants[p].ok);
    // Unknown (no requirement, or no inventory to divide by) stays unknown rather than passing or failing.
    const ok = oks.length === 0 || oks.includes(null) ? null : oks.every((v) => v === true);
    return { level, required, pollutants, ok };
  });
}

export interface ScopeAdequacy {
  /** The warning's scope as one area: summed reductions against the summed inventories. */
  adequacy: LevelAdequacy;
  /** Each county on its own, in the order given: a county short of the ratio shows even when the sum passes. */
  byCounty: Array<{ countyCode: string; adequacy: LevelAdequacy }>;
  /** Counties without an inventory row: their own ratio is unknown, and so is the scope's. */
  inventoryMissing: string[];
}

/**
 * Adequacy of a warning's counties at its level, from each county's summed reductions and inventory: the
 * scope as a whole and every county alone, by the same `assessAdequacy`. A missing county inventory makes the
 * scope's baseline unknown (ratios and ok null) rather than understated.
 */
export function assessScope(input: {
  level: WarningLevel;
  ratios: Partial<Record<WarningLevel, ReductionRatio>>;
  countyCodes: readonly string[];
  inventory: ReadonlyMap<string, Emissions>;
  reductions: ReadonlyMap<string, Emissions>;
}): ScopeAdequacy {
  const assess = (inventory: Emissions | null, reduction: Emissions) =>
    assessAdequacy({
      levels: [input.level],
      ratios: input.ratios,
      inventory,
      reductions: { [input.level]: reduction },
    })[0];
  const none = (): Emissions => ({ so2: 0, nox: 0, pm: 0, vocs: 0 });
  const sum = (list: Emissions[]) =>
    list.reduce((a, b) => {
      for (const p of POLLUTANTS) a[p] += b[p];
      return a;
    }, none());
  const codes = [...new Set(input.countyCodes)]; // a county counted twice would double its share
  const inventoryMissing = codes.filter((c) => !input.inventory.has(c));
  const reductionOf = (c: string) => input.reductions.get(c) ?? none();
  return {
    adequacy: assess(
      inventoryMissing.length ? null : sum(codes.map((c) => input.inventory.get(c)!)),
      sum(codes.map(reductionOf)),
    ),
    byCounty: codes.map((countyCode) => ({
      countyCode,
      adequacy: assess(input.inventory.get(countyCode) ?? null, reductionOf(countyCode)),
    })),
    inventoryMissing,
  };
}
