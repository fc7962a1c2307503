import { shanghaiDate, shanghaiLocalInput } from '../common/time';
import type { CountyRecommendation } from '../consultations/consultation.entity';
import { LEVEL_NAMES, LEVEL_ORDER } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/**
 * Drafting from a consultation: one draft per recommended level (a warning has one level), so that a RED
 * recommendation for some counties never silently drops the ORANGE and YELLOW ones. Pure; unit-tested.
 */

export interface DraftOption {
  level: WarningLevel;
  countyCodes: string[];
  countyNames: string[];
  /** 起草红色预警(3个区县); the page links it to /alerts/new?consultationId=…&level=<level>. */
  label: string;
}

export interface UncoveredCounty {
  countyCode: string;
  countyName: string;
  level: WarningLevel;
}

export interface DraftCoverage {
  /** Recommended counties the draft leaves out, highest level first. */
  uncovered: UncoveredCounty[];
  /** 以下建议区县未包含在本草稿中：…, or null when the draft covers every recommended county. */
  notice: string | null;
  /** The per-level drafts still to make for the counties left out (not the draft's own level). */
  otherDrafts: DraftOption[];
}

type Names = Record<string, string>;
const HOUR_MS = 3600_000;

const byLevelDesc = (a: CountyRecommendation, b: CountyRecommendation) =>
  LEVEL_ORDER[b.level!] - LEVEL_ORDER[a.level!];

/** Recommended counties (a level, not 不启动), highest level first, in the consultation's order within a level. */
function recommended(recommendations: CountyRecommendation[]): CountyRecommendation[] {
  return recommendations.filter((r) => r.level !== null).sort(byLevelDesc);
}

/** One "起草X色预警(N个区县)" action per recommended level, highest first, each prefilled with its counties. */
export function draftOptions(recommendations: CountyRecommendation[], names: Names): DraftOption[] {
  const options: DraftOption[] = [];
  for (const r of recommended(recommendations)) {
    let option = options.find((o) => o.level === r.level);
    if (!option) {
      option = {
        level: r.level!,
        countyCodes: [],
        countyNames: [],
        label: '',
      };
      options.push(option);
    }
    option.countyCodes.push(r.countyCode);
    option.countyNames.push(names[r.countyCode] ?? r.countyCode);
  }
  for (const o of options) o.label = `起草${LEVEL_NAMES[o.level]}预警(${o.countyCodes.length}个区县)`;
  return options;
}

/**
 * What the draft form starts with: the asked level's recommended counties when that level is recommended,
 * else the highest recommended level's (the link without ?level=), and the first day of the episode giving it;
 * nothing when no level is recommended.
 */
export function draftPrefill(
  recommendations: CountyRecommendation[],
  askedLevel: unknown,
): { level: WarningLevel; countyCodes: string[]; episodeStart: string | null } | null {
  const levels = recommended(recommendations).map((r) => r.level!);
  if (levels.length === 0) return null;
  const level = levels.find((l) => l === askedLevel) ?? levels[0];
  const chosen = recommendations.filter((r) => r.level === level);
  // The draft starts with the episode that gives the level: the earliest such episode among its counties (none
  // when a directive's floor raised the level, or the consultation predates episodes).
  const starts = chosen
    .flatMap((r) => r.episodes ?? [])
    .filter((e) => e.response === 'WARNING' && e.level === level)
    .map((e) => e.from)
    .sort();
  return { level, countyCodes: chosen.map((r) => r.countyCode), episodeStart: starts[0] ?? null };
}

/**
 * The recommended counties a draft (its counties, or the whole city) leaves out, said on the draft form with
 * their level, and the per-level drafts that would cover them.
 */
export function draftCoverage(
  recommendations: CountyRecommendation[],
  draft: { level: unknown; countyCodes: string[]; wholeCity: boolean },
  names: Names,
): DraftCoverage {
  const uncovered = draft.wholeCity
    ? []
    : recommended(recommendations)
        .filter((r) => !draft.countyCodes.includes(r.countyCode))
        .map((r) => ({
          countyCode: r.countyCode,
          countyName: names[r.countyCode] ?? r.countyCode,
          level: r.level!,
        }));
  const notice = uncovered.length
    ? `以下建议区县未包含在本草稿中：${uncovered.map((u) => `${u.countyName}(${LEVEL_NAMES[u.level]})`).join('、')}`
    : null;
  const leftOutLevels = new Set(uncovered.map((u) => u.level));
  const otherDrafts = draftOptions(recommendations, names).filter(
    (o) => o.level !== draft.level && leftOutLevels.has(o.level),
  );
  return { uncovered, notice, otherDrafts };
}

/**
 * The draft's effective time for an episode starting on `date` (Beijing): its midnight when that is still ahead,
 * else the next full hour (the episode has begun: start as soon as possible).
 */
export function episodeStartInput(date: string, now: Date): string {
  if (date > shanghaiDate(now)) return `${date}T00:00`;
  const nextHour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  return shanghaiLocalInput(nextHour).slice(0, 16);
}
