import { compareLevels, type ForecastDay, LEVEL_NAMES, LEVEL_ORDER } from './level.rules';
import type { AqiTerm, LevelRule, RulesetDefinition, WarningLevel } from './ruleset.types';

/**
 * Episodes (污染过程): how a county's daily forecast is judged. Pure; the tables in episode.rules.spec.ts are the
 * rule table of issue 14, with the source of each rule.
 *
 * 1. A day is polluted when its AQI meets the ruleset's `episodes.pollutedDay` (MEE-2024: AQI>150).
 * 2. Its primary pollutant decides which response it belongs to (`responses`): a colour warning with industrial
 *    orders (PM2.5…), the ozone response (O3 under MEE-2024), or health advice only (dust and anything else).
 *    A day of one response is a gap for the others: an O3 day neither starts nor extends a PM episode.
 * 3. Polluted days of one response form runs; runs whose clean gap is shorter than `episodes.mergeGapHours`
 *    are one episode (间隔过短视为同一过程). A gap of exactly the merge gap separates.
 * 4. Each episode is judged on its own days against the level rules, highest level first. Within an episode a
 *    consecutive term's qualifying days count as one run across gaps shorter than the merge gap, so a merged
 *    episode is judged as if its qualifying days followed each other.
 * 5. The level is judged on the detailed days (`detailedDays`); later days are the trend: an outlook.
 */

export const RESPONSES = ['WARNING', 'OZONE', 'ADVICE'] as const;
export type ResponseKind = (typeof RESPONSES)[number];

export const RESPONSE_NAMES: Record<ResponseKind, string> = {
  WARNING: '重污染天气预警',
  OZONE: '臭氧污染应对',
  ADVICE: '健康防护提示',
};

export interface Episode {
  response: ResponseKind;
  /** First and last polluted day, YYYY-MM-DD. */
  from: string;
  to: string;
  /** Polluted days of this response in it (merged gaps not counted). */
  days: number;
  peakAqi: number;
  /**
   * WARNING: the colour level its days reach, or null below every start condition. OZONE: the level its days
   * would reach were they counted (the ozone response starts when there is one); ADVICE: null.
   */
  level: WarningLevel | null;
  /** Whether the episode calls for its response: a level for WARNING and OZONE, always for ADVICE. */
  responds: boolean;
  /** Chinese, for people: the days, the terms met and the outcome. */
  reason: string;
}

export type EpisodeSettings = Pick<RulesetDefinition, 'levelRules' | 'episodes' | 'responses'>;

const DAY_MS = 24 * 3600_000;
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const shortDate = (date: string): string => date.slice(5);

export function meetsTerm(term: { comparison: 'gt' | 'gte'; aqi: number }, aqi: number): boolean {
  return term.comparison === 'gt' ? aqi > term.aqi : aqi >= term.aqi;
}

export function responseOf(day: ForecastDay, settings: Pick<RulesetDefinition, 'responses'>): ResponseKind {
  const pollutant = day.primaryPollutant ?? 'PM2.5';
  if (settings.responses.warningPollutants.includes(pollutant)) return 'WARNING';
  if (settings.responses.ozonePollutants.includes(pollutant)) return 'OZONE';
  return 'ADVICE';
}

/** Clean hours between two polluted days (whole calendar days between them). */
const gapHours = (before: ForecastDay, after: ForecastDay) =>
  (dayNumber(after.date) - dayNumber(before.date) - 1) * 24;

/** Groups days (in date order) into runs, a new run wherever the clean gap reaches `mergeGapHours`. */
function groupByGap(days: ForecastDay[], mergeGapHours: number): ForecastDay[][] {
  const groups: ForecastDay[][] = [];
  for (const d of days) {
    const last = groups.at(-1);
    if (last && gapHours(last[last.length - 1], d) < mergeGapHours) last.push(d);
    else groups.push([d]);
  }
  return groups;
}

/** The days of an episode that satisfy a term (for a consecutive term: its longest joined run), or null. */
function termHits(term: AqiTerm, days: ForecastDay[], mergeGapHours: number): ForecastDay[] | null {
  const hits = days.filter((d) => meetsTerm(term, d.aqi));
  if (!term.consecutive) return hits.length >= term.days ? hits : null;
  const best = groupByGap(hits, mergeGapHours).reduce<ForecastDay[]>(
    (b, run) => (run.length > b.length ? run : b),
    [],
  );
  return best.length >= term.days ? best : null;
}

function describeTerm(term: AqiTerm, hits: ForecastDay[], mergeGapHours: number): string {
  const op = term.comparison === 'gt' ? '>' : '≥';
  const joined = hits.some((d, i) => i > 0 && gapHours(hits[i - 1], d) > 0);
  const span =
    term.days === 1 && !term.consecutive
      ? ''
      : !term.consecutive
        ? `${hits.length}天`
        : joined
          ? `${hits.length}天(间隔短于${mergeGapHours}小时,按连续计)`
          : `连续${hits.length}天`;
  return `日AQI${op}${term.aqi}${span ? ' ' + span : ''}:${hits.map((d) => shortDate(d.date)).join('、')}`;
}

/** The highest level whose start condition the days meet, with the terms that met it, or null. */
export function judgeDays(
  rules: readonly LevelRule[],
  days: ForecastDay[],
  mergeGapHours: number,
): { level: WarningLevel; because: string } | null {
  const ordered = [...rules].sort((a, b) => LEVEL_ORDER[b.level] - LEVEL_ORDER[a.level]);
  for (const rule of ordered) {
    for (const clause of rule.anyOf) {
      const hits = clause.allOf.map((term) => termHits(term, days, mergeGapHours));
      if (hits.every((h) => h !== null)) {
        return {
          level: rule.level,
          because: clause.allOf.map((term, i) => describeTerm(term, hits[i], mergeGapHours)).join(',且'),
        };
      }
    }
  }
  return null;
}

const POLLUTANT_LABELS: Record<string, string> = { O3: 'O₃', DUST: '沙尘', NO2: 'NO₂', SO2: 'SO₂' };
const pollutantLabel = (p: string | undefined) => POLLUTANT_LABELS[p ?? 'PM2.5'] ?? p ?? 'PM2.5';

function describeEpisode(
  response: ResponseKind,
  days: ForecastDay[],
  judged: { level: WarningLevel; because: string } | null,
  rulesetId: string,
): { level: WarningLevel | null; responds: boolean; reason: string } {
  const from = days[0].date;
  const to = days[days.length - 1].date;
  const span = from === to ? shortDate(from) : `${shortDate(from)}至${shortDate(to)}`;
  const pollutants = [...new Set(days.map((d) => pollutantLabel(d.primaryPollutant)))].join('、');
  const head = `${span}(首要污染物${pollutants})`;
  if (response === 'ADVICE')
    return {
      level: null,
      responds: true,
      reason: `${head}:${pollutants}污染不启动预警,发布${RESPONSE_NAMES.ADVICE}(${rulesetId})`,
    };
  if (!judged)
    return {
      level: null,
      responds: false,
      reason: `${head}:未达到预警启动条件(最高日AQI ${Math.max(...days.map((d) => d.aqi))},${rulesetId})`,
    };
  if (response === 'OZONE')
    return {
      level: judged.level,
      responds: true,
      reason: `${head}:${judged.because} → ${RESPONSE_NAMES.OZONE},不启动颜色预警(${rulesetId})`,
    };
  return {
    level: judged.level,
    responds: true,
    reason: `${head}:${judged.because} → ${LEVEL_NAMES[judged.level]}(${rulesetId})`,
  };
}

/**
 * The episodes of a forecast (consecutive days in date order), each response on its own, in date order
 * (then WARNING, OZONE, ADVICE on the same start).
 */
export function splitEpisodes(settings: EpisodeSettings, rulesetId: string, days: ForecastDay[]): Episode[] {
  const { pollutedDay, mergeGapHours } = settings.episodes;
  const episodes: Episode[] = [];
  for (const response of RESPONSES) {
    const polluted = days.filter(
      (d) => meetsTerm(pollutedDay, d.aqi) && responseOf(d, settings) === response,
    );
    for (const group of groupByGap(polluted, mergeGapHours)) {
      const judged = response === 'ADVICE' ? null : judgeDays(settings.levelRules, group, mergeGapHours);
      episodes.push({
        response,
        from: group[0].date,
        to: group[group.length - 1].date,
        days: group.length,
        peakAqi: Math.max(...group.map((d) => d.aqi)),
        ...describeEpisode(response, group, judged, rulesetId),
      });
    }
  }
  return episodes.sort((a, b) => a.from.localeCompare(b.from));
}

/** The highest colour level of a set of episodes, with the episode that gives it. */
export function highestWarning(episodes: readonly Episode[]): Episode | null {
  return episodes
    .filter((e) => e.response === 'WARNING' && e.level)
    .reduce<Episode | null>((top, e) => (!top || compareLevels(e.level, top.level) > 0 ? e : top), null);
}
