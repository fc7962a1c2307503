/** Failed logins in the window: of one username from one address, and of every username from that address. */
export interface FailureCounts {
  pair: number;
  byAddress: number;
}

/** How many times the per-pair limit one address may fail across usernames (one client trying many accounts). */
export const ADDRESS_FACTOR = 4;

/**
 * Whether a login attempt must be refused before its password is checked. Attempts still being checked count
 * as failures (they were reserved before the check), so this holds under any number of concurrent attempts.
 */
export function isThrottled(counts: FailureCounts, maxFailures: number): boolean {
  return counts.pair >= maxFailures || counts.byAddress >= maxFailures * ADDRESS_FACTOR;
}

/** Refusals of one username from one address, counted since the first of the episode. */
export interface ThrottleEpisode {
  username: string;
  ip: string;
  refusedSince: Date;
  lastRefusedAt: Date;
  refusals: number;
}

/** Only the first refusal of an episode is written at once: the rest are counted in the episode. */
export function isFirstRefusal(episode: ThrottleEpisode): boolean {
  return episode.refusals === 1;
}

/** An ended episode's count is written unless the entry of its first refusal already said everything. */
export function needsCountEntry(episode: ThrottleEpisode): boolean {
  return episode.refusals > 1;
}

/**
 * The data of an `auth.login.throttled` entry. `count` is the number of refusals since `refusedSince`: 1 in the
 * entry written at the first refusal, the episode's total in the one written when it ends, so the last entry
 * with a given `refusedSince` has the whole count.
 */
export function throttledEntryData(
  episode: ThrottleEpisode,
  failures?: number,
): Record<string, string | number> {
  return {
    username: episode.username,
    refusedSince: episode.refusedSince.toISOString(),
    lastRefusedAt: episode.lastRefusedAt.toISOString(),
    count: episode.refusals,
    ...(failures === undefined ? {} : { failures }),
  };
}
