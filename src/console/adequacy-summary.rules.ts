import { reductionRows, reductionShortfalls, type ReductionShortfall } from '../alerts/preview.rules';
import type { LevelAdequacy } from '../enterprises/adequacy.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

export interface AdequacyArea {
  areaCode: string;
  name: string;
  levels: readonly LevelAdequacy[];
}

/** One level of the summary: the areas short of the ratio there (with each pollutant short) and those unknown. */
export interface AdequacySummaryLevel {
  level: WarningLevel;
  short: Array<{ areaCode: string; name: string; shortfalls: ReductionShortfall[] }>;
  /** Areas whose ratio at this level cannot be judged (no inventory), by name. */
  unknown: string[];
}

export interface AdequacySummary {
  levels: AdequacySummaryLevel[];
  /** Every area meets every required ratio at every level (nothing short, nothing unknown). */
  allMet: boolean;
  /** How many area × level pairs fall short. */
  shortCount: number;
}

/**
 * What the adequacy page opens with: level by level (in the ruleset's order), which areas (the city first, then the
 * counties as given) and which pollutants fall short of the required ratio, before the bars of each area.
 */
export function adequacySummary(areas: readonly AdequacyArea[]): AdequacySummary {
  const levelOrder: WarningLevel[] = [];
  for (const a of areas)
    for (const l of a.levels) if (!levelOrder.includes(l.level)) levelOrder.push(l.level);
  const levels = levelOrder.map((level): AdequacySummaryLevel => {
    const short: AdequacySummaryLevel['short'] = [];
    const unknown: string[] = [];
    for (const area of areas) {
      const adequacy = area.levels.find((l) => l.level === level);
      if (!adequacy) continue;
      const shortfalls = reductionShortfalls({
        byCounty: [{ countyCode: area.areaCode, countyName: area.name, reduction: reductionRows(adequacy) }],
      });
      if (shortfalls.length) short.push({ areaCode: area.areaCode, name: area.name, shortfalls });
      else if (adequacy.ok === null && adequacy.required !== null) unknown.push(area.name);
    }
    return { level, short, unknown };
  });
  const shortCount = levels.reduce((n, l) => n + l.short.length, 0);
  return { levels, allMet: levels.every((l) => !l.short.length && !l.unknown.length), shortCount };
}
