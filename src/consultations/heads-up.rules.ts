import { formatMonthDay } from '../common/time';
import type { Episode } from '../rulesets/episode.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';

export interface HeadsUpEpisode {
  /** 12月08日, or 12月08日至12月10日 */
  period: string;
  /** What it may call for, in Chinese. */
  outcome: string;
  reason: string;
}

/** An outlook's episodes as a heads-up notice says them to an enterprise. */
export function headsUpEpisodes(episodes: readonly Episode[]): HeadsUpEpisode[] {
  return episodes.map((e) => ({
    period: e.from === e.to ? formatMonthDay(e.from) : `${formatMonthDay(e.from)}至${formatMonthDay(e.to)}`,
    outcome:
      e.response === 'WARNING' && e.level
        ? `可能达到${LEVEL_NAMES[e.level]}预警启动条件`
        : e.response === 'OZONE'
          ? '可能启动臭氧污染应对(涉VOCs工序错时生产)'
          : '可能出现沙尘等污染,注意健康防护',
    reason: e.reason,
  }));
}
