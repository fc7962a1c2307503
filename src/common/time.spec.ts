import { shanghaiDate } from './time';

describe('shanghaiDate', () => {
  it('is the Shanghai calendar date, eight hours ahead of UTC', () => {
    expect(shanghaiDate(new Date('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
    expect(shanghaiDate(new Date('2026-11-28T16:00:00Z'))).toBe('2026-11-29');
  });
});
