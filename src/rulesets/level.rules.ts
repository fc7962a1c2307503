import type { AqiTerm, LevelRule, WarningLevel } from './ruleset.types';

/** Lowest to highest. */
export const LEVEL_ORDER: Record<WarningLevel, number> = { BLUE: 1, YELLOW: 2, ORANGE: 3, RED: 4 };

export const LEVEL_NAMES: Record<WarningLevel, string> = {
  BLUE: '蓝色',
  YELLOW: '黄色',
  ORANGE: '橙色',
  RED: '红色',
};

export function compareLevels(a: WarningLevel | null, b: WarningLevel | null): number {
  return (a ? LEVEL_ORDER[a] : 0) - (b ? LEVEL_ORDER[b] : 0);
}

export interface ForecastDay {
  /** YYYY-MM-DD, consecutive days in order. */
  date: string;
  aqi: number;
}

const meets = (term: AqiTerm, aqi: number): boolean =>
  term.comparison === 'gt' ? aqi > term.aqi : aqi >= term.aqi;

/** The days that satisfy a term (the longest qualifying run when it must be consecutive), or null. */
export function termDays(term: AqiTerm, days: ForecastDay[]): ForecastDay[] | null {
  if (!term.consecutive) {
    const hits = days.filter((d) => meets(term, d.aqi));
    return hits.length >= term.days ? hits : null;
  }
  let best: ForecastDay[] = [];
  let run: ForecastDay[] = [];
  for (const d of days) {
    run = meets(term, d.aqi) ? [...run, d] : [];
    if (run.length > best.length) best = run;
  }
  return best.length >= term.days ? best : null;
}

const shortDate = (date: string): string => date.slice(5);

function describeTerm(term: AqiTerm, hits: ForecastDay[]): string {
  const op = term.comparison === 'gt' ? '>' : '≥';
  const span =
    term.days === 1 && !term.consecutive
      ? ''
      : term.consecutive
        ? `连续${hits.length}天`
        : `${hits.length}天`;
  return `日AQI${op}${term.aqi}${span ? ' ' + span : ''}:${hits.map((d) => shortDate(d.date)).join('、')}`;
}

export interface LevelRecommendation {
  level: WarningLevel | null;
  reason: string;
}

/**
 * The highest level whose start condition holds on the forecast (each level: any clause; each clause: all
 * terms), with a reason a person can read, e.g. "日AQI>200 连续2天:11-29、11-30 → 橙色(MEE-2024)".
 */
export function recommendLevel(
  rules: LevelRule[],
  rulesetId: string,
  days: ForecastDay[],
): LevelRecommendation {
  const ordered = [...rules].sort((a, b) => LEVEL_ORDER[b.level] - LEVEL_ORDER[a.level]);
  for (const rule of ordered) {
    for (const clause of rule.anyOf) {
      const hits = clause.allOf.map((term) => termDays(term, days));
      if (hits.every((h) => h !== null)) {
        const because = clause.allOf.map((term, i) => describeTerm(term, hits[i])).join(',且');
        return { level: rule.level, reason: `${because} → ${LEVEL_NAMES[rule.level]}(${rulesetId})` };
      }
    }
  }
  const peak = days.reduce((max, d) => Math.max(max, d.aqi), 0);
  const lowest = ordered.at(-1);
  return {
    level: null,
    reason: `未达到${lowest ? LEVEL_NAMES[lowest.level] : ''}预警启动条件(预报最高日AQI ${peak},${rulesetId})`,
  };
}

/** A provincial dispatch order or regional warning sets a floor for the counties it names. */
export function applyFloor(
  rec: LevelRecommendation,
  floor: { level: WarningLevel; label: string } | null,
): LevelRecommendation {
  if (!floor || compareLevels(floor.level, rec.level) <= 0) return rec;
  return {
    level: floor.level,
    reason: `${rec.reason};${floor.label}要求不低于${LEVEL_NAMES[floor.level]} → ${LEVEL_NAMES[floor.level]}`,
  };
}
