import { type Episode, highestWarning, type ResponseKind, splitEpisodes } from './episode.rules';
import { compareLevels, type ForecastDay, LEVEL_NAMES } from './level.rules';
import type { RulesetDefinition, WarningLevel } from './ruleset.types';

/** A provincial dispatch order or regional warning binding a county: the city starts at least its level. */
export interface Floor {
  level: WarningLevel;
  /** 省级调度令晋气防办调〔2026〕4号 */
  label: string;
}

export interface Recommendation {
  /** The colour level to start: the highest of the detailed days' episodes, or a directive's floor. */
  level: WarningLevel | null;
  /** What the county calls for: a colour warning, the ozone response, health advice only, or nothing. */
  response: ResponseKind | null;
  /** Chinese, for people. */
  reason: string;
  /** The detailed days' episodes, in date order (those below every start condition too). */
  episodes: Episode[];
  /**
   * The trend beyond the detailed days (预警提示): episodes that start after them, or that run on past them to a
   * higher level than the detailed days give. No level, no orders: a heads-up.
   */
  outlook: Episode[];
}

/** The highest floor naming the county (a directive recorded, or one given with the consultation), or null. */
export function highestFloor(
  floors: ReadonlyArray<Floor & { countyCodes: readonly string[] }>,
  countyCode: string,
): Floor | null {
  return floors
    .filter((f) => f.countyCodes.includes(countyCode))
    .reduce<Floor | null>(
      (top, f) => (!top || compareLevels(f.level, top.level) > 0 ? { level: f.level, label: f.label } : top),
      null,
    );
}

type Settings = Pick<RulesetDefinition, 'levelRules' | 'episodes' | 'responses' | 'detailedDays'>;

/**
 * A county's recommendation from its forecast (consecutive days in date order) under a ruleset: episodes judged
 * one by one on the detailed days, the highest colour level wins, a floor raises it.
 */
export function recommendCounty(
  settings: Settings,
  rulesetId: string,
  days: ForecastDay[],
  floor: Floor | null = null,
): Recommendation {
  const detailed = days.slice(0, settings.detailedDays);
  const horizonEnd = detailed.at(-1)?.date ?? '';
  const episodes = splitEpisodes(settings, rulesetId, detailed);
  const top = highestWarning(episodes);
  const outlook = splitEpisodes(settings, rulesetId, days).filter((e) => {
    if (!e.responds || e.to <= horizonEnd) return false;
    if (e.from > horizonEnd) return true;
    const before = episodes.filter((d) => d.response === e.response && d.to >= e.from);
    return compareLevels(e.level, highestWarning(before)?.level ?? null) > 0 && e.response === 'WARNING';
  });
  const others = episodes.filter((e) => e.responds && e !== top);
  const ozone = episodes.some((e) => e.response === 'OZONE' && e.responds);
  const advice = episodes.some((e) => e.response === 'ADVICE');
  let reason: string;
  if (top) {
    reason = [top, ...others].map((e) => e.reason).join(';另:');
  } else {
    const peak = detailed.reduce((max, d) => Math.max(max, d.aqi), 0);
    const lowest = [...settings.levelRules].sort((a, b) => compareLevels(a.level, b.level))[0];
    const none = detailed.length
      ? `未达到${lowest ? LEVEL_NAMES[lowest.level] : ''}预警启动条件(预报最高日AQI ${peak},${rulesetId})`
      : '无该区县预报';
    reason = others.length ? others.map((e) => e.reason).join(';') : none;
  }
  const base: Recommendation = {
    level: top?.level ?? null,
    response: top ? 'WARNING' : ozone ? 'OZONE' : advice ? 'ADVICE' : null,
    reason,
    episodes,
    outlook,
  };
  if (!floor || compareLevels(floor.level, base.level) <= 0) return base;
  return {
    ...base,
    level: floor.level,
    response: 'WARNING',
    reason: `${base.reason};${floor.label}要求不低于${LEVEL_NAMES[floor.level]} → ${LEVEL_NAMES[floor.level]}`,
  };
}
