import {
  formatShortTime,
  formatTime,
  shanghaiDate,
  shanghaiDayStart,
  shanghaiIso,
  shanghaiLocalInput,
  shanghaiTimestamp,
} from './time';

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

describe('formatTime', () => {
  it('writes the instant in Shanghai time, in Chinese, across the date line and the year end', () => {
    expect(formatTime('2026-11-28T16:00:00Z')).toBe('2026年11月29日 00:00');
    expect(formatTime(new Date('2026-11-28T15:59:00Z'))).toBe('2026年11月28日 23:59');
    expect(formatTime(new Date('2026-12-31T23:30:00+08:00'))).toBe('2026年12月31日 23:30');
    expect(formatTime(new Date('2026-12-31T16:05:00Z'))).toBe('2027年01月01日 00:05');
  });

  it('shows a dash for no time', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime('')).toBe('—');
  });
});

describe('shanghaiIso', () => {
  it('reads a datetime-local value as Shanghai time, with or without seconds', () => {
    expect(shanghaiIso('2026-11-29T08:00')).toBe('2026-11-29T08:00:00+08:00');
    expect(shanghaiIso(' 2026-11-29T08:00 ')).toBe('2026-11-29T08:00:00+08:00');
    expect(shanghaiIso('2026-11-29T08:00:30')).toBe('2026-11-29T08:00:30+08:00');
    expect(shanghaiIso('2026-11-29T08:00:30.5')).toBe('2026-11-29T08:00:30.5+08:00');
  });

  it('leaves a time with its own zone, or no time at all, to the validator; nothing is undefined', () => {
    expect(shanghaiIso('2026-11-29T08:00:00Z')).toBe('2026-11-29T08:00:00Z');
    expect(shanghaiIso('2026-11-29T08:00:00-05:00')).toBe('2026-11-29T08:00:00-05:00');
    expect(shanghaiIso('tomorrow')).toBe('tomorrow');
    expect(shanghaiIso('  ')).toBeUndefined();
    expect(shanghaiIso(undefined)).toBeUndefined();
  });
});

describe('shanghaiLocalInput', () => {
  it('shows the instant as a Shanghai datetime-local value, the inverse of shanghaiIso', () => {
    expect(shanghaiLocalInput(new Date('2026-11-29T00:00:00Z'))).toBe('2026-11-29T08:00');
    expect(shanghaiLocalInput(new Date('2026-11-28T16:30:00Z'))).toBe('2026-11-29T00:30');
    expect(shanghaiLocalInput('2026-11-29T08:00:00+08:00')).toBe('2026-11-29T08:00');
    expect(new Date(shanghaiIso(shanghaiLocalInput(new Date('2026-12-01T03:04:00Z')))!).toISOString()).toBe(
      '2026-12-01T03:04:00.000Z',
    );
  });

  it('is empty for no time', () => {
    expect(shanghaiLocalInput(null)).toBe('');
    expect(shanghaiLocalInput(undefined)).toBe('');
  });
});

describe('formatShortTime', () => {
  it('is month-day hour:minute in Shanghai', () => {
    expect(formatShortTime(new Date('2026-12-01T02:20:00Z'))).toBe('12-01 10:20');
    expect(formatShortTime('2026-11-30T16:05:00Z')).toBe('12-01 00:05');
  });
});

describe('shanghaiTimestamp', () => {
  it('writes the instant in Beijing time with +08:00, to the second, across the UTC date line', () => {
    expect(shanghaiTimestamp(new Date('2026-12-01T02:00:00Z'))).toBe('2026-12-01T10:00:00+08:00');
    expect(shanghaiTimestamp(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01T00:00:00+08:00');
    expect(shanghaiTimestamp(new Date('2026-12-31T23:59:59.999Z'))).toBe('2027-01-01T07:59:59+08:00');
    expect(shanghaiTimestamp('2026-12-01T10:00:00+08:00')).toBe('2026-12-01T10:00:00+08:00');
  });

  it('reads back as the same instant (to the second)', () => {
    const at = new Date('2026-11-28T12:34:56.000Z');
    expect(new Date(shanghaiTimestamp(at)).getTime()).toBe(at.getTime());
  });

  it('keeps the milliseconds when asked (log lines), and reads back as the same instant', () => {
    expect(shanghaiTimestamp(new Date('2026-12-31T23:59:59.987Z'), 'millisecond')).toBe(
      '2027-01-01T07:59:59.987+08:00',
    );
    expect(shanghaiTimestamp(new Date('2026-12-01T02:00:00Z'), 'millisecond')).toBe(
      '2026-12-01T10:00:00.000+08:00',
    );
    const at = new Date('2026-11-28T12:34:56.789Z');
    expect(new Date(shanghaiTimestamp(at, 'millisecond')).getTime()).toBe(at.getTime());
  });

  it('is empty for no time', () => {
    expect(shanghaiTimestamp(null)).toBe('');
    expect(shanghaiTimestamp(undefined)).toBe('');
    expect(shanghaiTimestamp('')).toBe('');
  });
});
