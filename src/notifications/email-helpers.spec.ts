import {
  actionName,
  formatKg,
  levelColor,
  levelTextColor,
  measureWindow,
  verificationName,
} from './email-helpers';

describe('email helpers', () => {
  it('names and colours levels, actions and verification methods', () => {
    expect(levelColor('RED')).toBe('#d0021b');
    expect(levelTextColor('YELLOW')).toBe('#1f2933');
    expect(levelTextColor('ORANGE')).toBe('#ffffff');
    expect(actionName('EXTEND_COKING_HOURS')).toBe('延长结焦时间');
    expect(verificationName('POWER_SUBMETER')).toBe('分表计电');
  });

  it('formats kilograms with separators and one decimal', () => {
    expect(formatKg(1234.56)).toBe('1,234.6');
    expect(formatKg(0)).toBe('0');
  });

  it('describes a measure window', () => {
    expect(measureWindow({ fromAt: null, toAt: null })).toBe('预警期间全程');
    expect(measureWindow({ fromAt: '2026-12-04T00:00:00Z', toAt: null })).toBe('自 2026年12月04日 08:00 起');
    expect(measureWindow({ fromAt: null, toAt: '2026-12-04T00:00:00Z' })).toBe('至 2026年12月04日 08:00 止');
    expect(measureWindow({ fromAt: '2026-12-04T00:00:00Z', toAt: '2026-12-05T00:00:00Z' })).toBe(
      '2026年12月04日 08:00 至 2026年12月05日 08:00',
    );
  });
});
