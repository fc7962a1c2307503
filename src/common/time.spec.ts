import { shanghaiDate, shanghaiDayStart } from './time';

describe('shanghaiDate', () => {
  it('is the Shanghai calendar date, eight hours ahead of UTC', () => {
    expect(shanghaiDate(new Date('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
    expect(shanghaiDate(new Date('2026-11-28T16:00:00Z'))).toBe('2026-11-29');
  });
});

describe('shanghaiDayStart', () => {
  it('is midnight in Shanghai, 16:00 UTC the day before', () => {
    expect(shanghaiDayStart('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
});
