import { formatMonthDay, shanghaiDate, shanghaiDayStart } from '../common/time';
import { nextDate } from '../consultations/consultation.rules';
import { highestWarning } from '../rulesets/episode.rules';
import { type ForecastDay, LEVEL_NAMES } from '../rulesets/level.rules';
import { recommendCounty } from '../rulesets/recommendation.rules';
import type { RulesetDefinition, WarningLevel } from '../rulesets/ruleset.types';

/** One county of a lift check: whether the forecast for the hours after the lift gives no level. */
export interface LiftCheckCounty {
  code: string;
  name: string;
  /** Forecast days the consultation has for the county, from the lift date on (consecutive). */
  forecastDays: number;
  /**
   * Whole hours from the lift time that the forecast shows no level: to the start of the first day of an episode
   * that gives one (inside the window or later), else to the end of the forecast; 0 when the lift day is missing.
   */
  cleanHours: number;
  /** The ruleset's `liftBelowHours`: the lift is supported when the window [lift, lift + these hours) is clean. */
  requiredHours: number;
  /** The first day of the episode inside the window that gives a level, or null. */
  firstUnclean: { date: string; aqi: number } | null;
  /** The level the window's days give (null: none, the lift is supported if the forecast covers the window). */
  windowLevel: WarningLevel | null;
  /** An episode with a level that starts after the window, or reaches its level only after it: mentioned, not counted. */
  laterEpisode: { from: string; level: WarningLevel } | null;
  ok: boolean;
  /** Chinese, for people. */
  message: string;
}

export interface LiftCheckResult {
  ok: boolean;
  /** The ruleset's `liftBelowHours`, the same for every county. */
  requiredHours: number;
  /** What "clean" means, in Chinese. */
  cleanCondition: string;
  counties: LiftCheckCounty[];
  /** Chinese summary naming the counties that fall short. */
  message: string;
}

const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

type Settings = Pick<RulesetDefinition, 'levelRules' | 'episodes' | 'responses'>;

/**
 * Lifting (解除) at time t is supported when the recommendation over the forecast days that overlap
 * [t, t + liftBelowHours) is no level (持续36小时以上, 以上 counting 36 itself), in every county: the same episode
 * rules as the recommendation, so an ozone or dust day, or one day at 160 under MEE-2024, does not stop a lift.
 * Days the forecast does not cover make it unsupported (预报不足N小时). A new episode starting after the window is
 * mentioned, not counted. Days are Beijing calendar days.
 */
export function liftForecastCheck(input: {
  counties: ReadonlyArray<{ code: string; name: string }>;
  liftAt: Date;
  requiredHours: number;
  settings: Settings;
  rulesetId: string;
  forecast: Map<string, ForecastDay[]> | null;
}): LiftCheckResult {
  const { liftAt, requiredHours, forecast, settings, rulesetId } = input;
  const liftDate = shanghaiDate(liftAt);
  const windowEnd = liftAt.getTime() + requiredHours * HOUR_MS;
  const dayStart = (date: string) => shanghaiDayStart(date).getTime();
  const cleanCondition = `不达任何级别预警启动条件(${rulesetId},按污染过程研判)`;
  const counties = input.counties.map(({ code, name }): LiftCheckCounty => {
    const days = [...(forecast?.get(code) ?? [])]
      .filter((d) => d.date >= liftDate)
      .sort((a, b) => a.date.localeCompare(b.date));
    // Only an unbroken run of days from the lift date says anything about the hours after the lift.
    const run: ForecastDay[] = [];
    for (const d of days) {
      if (d.date !== (run.length ? nextDate(run[run.length - 1].date) : liftDate)) break;
      run.push(d);
    }
    const inWindow = run.filter((d) => dayStart(d.date) < windowEnd);
    const after = run.filter((d) => dayStart(d.date) >= windowEnd);
    const coveredEnd = run.length ? dayStart(run[run.length - 1].date) + DAY_MS : liftAt.getTime();
    const covered = coveredEnd >= windowEnd;
    const judged = recommendCounty({ ...settings, detailedDays: inWindow.length }, rulesetId, inWindow);
    const top = highestWarning(judged.episodes);
    const firstDay = top ? inWindow.find((d) => d.date === top.from)! : null;
    const ok = covered && !top;
    // The whole run judged together: an episode that reaches a level only with days after the window, or starts
    // after it, is mentioned; the window's own episode is not.
    const whole = recommendCounty({ ...settings, detailedDays: run.length }, rulesetId, run).episodes;
    const later = after.length
      ? whole.find(
          (e) => e.response === 'WARNING' && e.level && e.to >= after[0].date && e.from !== top?.from,
        )
      : undefined;
    const laterEpisode = later ? { from: later.from, level: later.level! } : null;
    const cleanUntil = firstDay
      ? dayStart(firstDay.date)
      : laterEpisode
        ? dayStart(laterEpisode.from)
        : coveredEnd;
    const cleanHours = Math.max(0, Math.floor((cleanUntil - liftAt.getTime()) / HOUR_MS));
    const why = !forecast
      ? '无会商预报'
      : run.length === 0
        ? `无${formatMonthDay(liftDate)}起的预报`
        : top
          ? `${formatMonthDay(top.from)}起预报${LEVEL_NAMES[top.level!]}污染过程:${top.reason}`
          : `预报不足${requiredHours}小时,只到${formatMonthDay(run[run.length - 1].date)}`;
    const note = laterEpisode
      ? `;另:${formatMonthDay(laterEpisode.from)}起预报有新的${LEVEL_NAMES[laterEpisode.level]}污染过程,不影响本次解除,届时须重新研判`
      : '';
    return {
      code,
      name,
      forecastDays: run.length,
      cleanHours,
      requiredHours,
      firstUnclean: firstDay ? { date: firstDay.date, aqi: firstDay.aqi } : null,
      windowLevel: top?.level ?? null,
      laterEpisode,
      ok,
      message: `${name}:自解除时间起${cleanHours}小时内预报不达启动条件,要求${requiredHours}小时${ok ? '' : `(${why})`}${note}`,
    };
  });
  const short = counties.filter((c) => !c.ok);
  const message = !forecast
    ? `没有会商预报可供核对:无法确认解除后${requiredHours}小时以上低于启动条件`
    : short.length
      ? `最新会商预报不支持解除:${short.map((c) => c.message).join(';')}`
      : `最新会商预报显示各区县解除后${requiredHours}小时以上不达预警启动条件`;
  return { ok: short.length === 0, requiredHours, cleanCondition, counties, message };
}
