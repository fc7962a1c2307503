import {
  isFirstRefusal,
  isThrottled,
  needsCountEntry,
  type ThrottleEpisode,
  throttledEntryData,
} from './login-throttle.rules';

const episode = (refusals: number): ThrottleEpisode => ({
  username: 'wang',
  ip: '10.0.0.7',
  refusedSince: new Date('2026-11-28T02:00:00Z'),
  lastRefusedAt: new Date('2026-11-28T02:03:00Z'),
  refusals,
});

describe('isThrottled', () => {
  it('refuses at the limit per username and address, not below it', () => {
    expect(isThrottled({ pair: 4, byAddress: 4 }, 5)).toBe(false);
    expect(isThrottled({ pair: 5, byAddress: 5 }, 5)).toBe(true);
  });

  it('refuses an address at four times the limit across usernames', () => {
    expect(isThrottled({ pair: 0, byAddress: 19 }, 5)).toBe(false);
    expect(isThrottled({ pair: 0, byAddress: 20 }, 5)).toBe(true);
  });
});

describe('throttle episode entries', () => {
  it('writes the first refusal at once and the count at the end only when more were counted', () => {
    expect(isFirstRefusal(episode(1))).toBe(true);
    expect(isFirstRefusal(episode(2))).toBe(false);
    expect(needsCountEntry(episode(1))).toBe(false);
    expect(needsCountEntry(episode(50))).toBe(true);
  });

  it('says since when and how many, with the failures that started it on the first entry', () => {
    expect(throttledEntryData(episode(1), 5)).toEqual({
      username: 'wang',
      refusedSince: '2026-11-28T02:00:00.000Z',
      lastRefusedAt: '2026-11-28T02:03:00.000Z',
      count: 1,
      failures: 5,
    });
    expect(throttledEntryData(episode(50))).toEqual({
      username: 'wang',
      refusedSince: '2026-11-28T02:00:00.000Z',
      lastRefusedAt: '2026-11-28T02:03:00.000Z',
      count: 50,
    });
  });
});
