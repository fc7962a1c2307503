import {
  approvalOverdueText,
  hoursBetween,
  leadTimeMessage,
  leadTimeShort,
  overdueHours,
  releaseOverdueText,
  stepTiming,
} from './timing.rules';

const at = (iso: string) => new Date(`${iso}+08:00`);
const now = at('2026-11-28T10:00:00');

describe('leadTimeShort', () => {
  it.each([
    ['exactly the lead time ahead', '2026-11-29T10:00:00', 24, null],
    ['more than the lead time ahead', '2026-11-30T00:00:00', 24, null],
    ['a minute short', '2026-11-29T09:59:00', 24, { hours: 23.9, required: 24 }],
    ['two hours ahead', '2026-11-28T12:00:00', 24, { hours: 2, required: 24 }],
    ['at once', '2026-11-28T10:00:00', 24, { hours: 0, required: 24 }],
    ['backdated', '2026-11-28T08:00:00', 24, { hours: 0, required: 24 }],
    ['a 48-hour rule', '2026-11-29T22:00:00', 48, { hours: 36, required: 48 }],
    ['no lead time asked', '2026-11-28T08:00:00', 0, null],
  ])('%s', (_case, effectiveAt, hours, expected) => {
    expect(leadTimeShort(at(effectiveAt), now, hours)).toEqual(expected);
  });

  it('names the rule and what to write', () => {
    expect(leadTimeMessage('MEE-2024', 24)).toBe(
      '生效时间距现在不足24小时(规则集 MEE-2024 提前量),须说明理由,如:污染已较重,尽快启动',
    );
  });
});

describe('stepTiming', () => {
  const from = at('2026-11-28T10:00:00');
  it.each([
    [
      'done within the limit',
      '2026-11-28T11:30:00',
      '2026-11-28T12:00:00',
      { hours: 1.5, limitHours: 2, ok: true },
    ],
    [
      'done exactly at the limit',
      '2026-11-28T12:00:00',
      '2026-11-28T13:00:00',
      { hours: 2, limitHours: 2, ok: true },
    ],
    [
      'done a minute late',
      '2026-11-28T12:01:00',
      '2026-11-28T13:00:00',
      { hours: 2.02, limitHours: 2, ok: false },
    ],
    ['done late', '2026-11-28T13:15:00', '2026-11-28T14:00:00', { hours: 3.25, limitHours: 2, ok: false }],
    ['still open within the limit', null, '2026-11-28T12:00:00', { hours: null, limitHours: 2, ok: null }],
    ['still open past the limit', null, '2026-11-28T12:00:01', { hours: null, limitHours: 2, ok: false }],
  ])('%s', (_case, to, nowIso, expected) => {
    expect(stepTiming(from, to ? at(to) : null, 2, at(nowIso))).toEqual(expected);
  });
});

describe('overdueHours', () => {
  it('is null up to the limit and the hours waited past it', () => {
    const since = at('2026-11-28T10:00:00');
    expect(overdueHours(since, at('2026-11-28T12:00:00'), 2)).toBeNull();
    expect(overdueHours(since, at('2026-11-28T12:30:00'), 2)).toBe(2.5);
    expect(overdueHours(since, at('2026-11-28T10:30:00'), 0)).toBe(0.5);
  });

  it('words the dashboard flags in Chinese', () => {
    expect(approvalOverdueText(2, 3.5)).toBe('待审批已超过2小时(已等待3.5小时)');
    expect(releaseOverdueText(2, 2.5, 3)).toBe('批准后已超过2小时仍有3份通知未发出(批准后2.5小时)');
  });
});

describe('hoursBetween', () => {
  it('rounds to two decimals and is negative backwards', () => {
    expect(hoursBetween(at('2026-11-28T10:00:00'), at('2026-11-28T10:20:00'))).toBe(0.33);
    expect(hoursBetween(at('2026-11-28T10:00:00'), at('2026-11-28T08:00:00'))).toBe(-2);
  });
});
