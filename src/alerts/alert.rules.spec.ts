import {
  adjustKind,
  type AlertState,
  applyRevision,
  isExpired,
  liftForecastCheck,
  overlaps,
  proposalProblem,
} from './alert.rules';

const at = (s: string) => new Date(s);
const now = at('2026-11-28T08:00:00+08:00');
const state = (over: Partial<AlertState> = {}): AlertState => ({
  status: 'ACTIVE',
  level: 'YELLOW',
  effectiveAt: at('2026-11-28T00:00:00+08:00'),
  expectedEndAt: at('2026-12-01T00:00:00+08:00'),
  liftedAt: null,
  ...over,
});

describe('proposalProblem', () => {
  it.each([
    ['ACTIVE', 'UPGRADE', true],
    ['ISSUED', 'LIFT', true],
    ['ACTIVE', 'EXTEND', true],
    ['PENDING_APPROVAL', 'UPGRADE', false],
    ['LIFTED', 'LIFT', false],
    ['EXPIRED', 'EXTEND', false],
    ['CANCELLED', 'DOWNGRADE', false],
    ['ACTIVE', 'ISSUE', false],
  ] as const)('%s + %s allowed: %s', (status, kind, allowed) => {
    expect(proposalProblem(state({ status }), kind, now) === null).toBe(allowed);
  });

  it('allows CANCEL only before the warning takes effect', () => {
    expect(
      proposalProblem(
        state({ status: 'ISSUED', effectiveAt: at('2026-11-29T00:00:00+08:00') }),
        'CANCEL',
        now,
      ),
    ).toBeNull();
    expect(proposalProblem(state({ status: 'ISSUED', effectiveAt: now }), 'CANCEL', now)).toContain(
      '不能撤销',
    );
    expect(proposalProblem(state({ status: 'ACTIVE' }), 'CANCEL', now)).toContain('尚未生效');
  });
});

describe('adjustKind', () => {
  it('names the direction of a level change', () => {
    expect(adjustKind('YELLOW', 'RED')).toBe('UPGRADE');
    expect(adjustKind('RED', 'ORANGE')).toBe('DOWNGRADE');
    expect(adjustKind('ORANGE', 'ORANGE')).toBeNull();
  });
});

describe('applyRevision', () => {
  const r = (kind: Parameters<typeof applyRevision>[1]['kind'], over = {}) => ({
    kind,
    level: 'ORANGE' as const,
    effectiveAt: now,
    expectedEndAt: null,
    ...over,
  });

  it('activates on ISSUE, changes the level on UPGRADE/DOWNGRADE, the end on EXTEND', () => {
    expect(
      applyRevision(state({ status: 'ISSUED' }), r('ISSUE', { expectedEndAt: at('2026-12-02T00:00:00Z') })),
    ).toMatchObject({ status: 'ACTIVE', level: 'ORANGE', expectedEndAt: at('2026-12-02T00:00:00Z') });
    expect(applyRevision(state(), r('UPGRADE'))).toMatchObject({ status: 'ACTIVE', level: 'ORANGE' });
    expect(applyRevision(state({ level: 'RED' }), r('DOWNGRADE'))).toMatchObject({ level: 'ORANGE' });
    expect(applyRevision(state(), r('EXTEND', { expectedEndAt: at('2026-12-05T00:00:00Z') }))).toMatchObject({
      level: 'YELLOW',
      expectedEndAt: at('2026-12-05T00:00:00Z'),
    });
  });

  it('ends the warning on LIFT and CANCEL', () => {
    expect(applyRevision(state(), r('LIFT'))).toMatchObject({ status: 'LIFTED', liftedAt: now });
    expect(applyRevision(state({ status: 'ISSUED' }), r('CANCEL'))).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('isExpired', () => {
  it('expires an active warning at its expected end unless a lift is still to come', () => {
    const s = state({ expectedEndAt: now });
    expect(isExpired(s, now, false)).toBe(true);
    expect(isExpired(s, now, true)).toBe(false);
    expect(isExpired(state({ expectedEndAt: null }), now, false)).toBe(false);
    expect(isExpired(state({ status: 'ISSUED', expectedEndAt: now }), now, false)).toBe(false);
    expect(isExpired(state(), now, false)).toBe(false);
  });
});

describe('overlaps', () => {
  it('treats ranges as [start, end) and a null end as open', () => {
    expect(
      overlaps(at('2026-11-28T00:00:00Z'), at('2026-11-29T00:00:00Z'), at('2026-11-29T00:00:00Z'), null),
    ).toBe(false);
    expect(overlaps(at('2026-11-28T00:00:00Z'), null, at('2026-12-29T00:00:00Z'), null)).toBe(true);
    expect(
      overlaps(
        at('2026-11-28T00:00:00Z'),
        at('2026-11-30T00:00:00Z'),
        at('2026-11-29T00:00:00Z'),
        at('2026-11-29T06:00:00Z'),
      ),
    ).toBe(true);
  });
});

describe('liftForecastCheck', () => {
  const recommend = (days: Array<{ aqi: number }>) =>
    days.some((d) => d.aqi > 200) ? ('YELLOW' as const) : null;
  const forecast = new Map([
    [
      '141102',
      [
        { date: '2026-12-01', aqi: 250 },
        { date: '2026-12-02', aqi: 120 },
        { date: '2026-12-03', aqi: 110 },
      ],
    ],
    ['141181', [{ date: '2026-12-02', aqi: 130 }]],
  ]);

  it('passes when every county has two or more days below the level from the lift date', () => {
    expect(liftForecastCheck(['141102'], '2026-12-02', recommend, forecast)).toEqual({
      ok: true,
      message: expect.any(String),
    });
  });

  it('fails when the forecast still reaches the level, is too short, or is missing', () => {
    expect(liftForecastCheck(['141102'], '2026-12-01', recommend, forecast).message).toContain(
      '141102 预报仍达到黄色预警启动条件',
    );
    expect(liftForecastCheck(['141181'], '2026-12-02', recommend, forecast).message).toContain(
      '141181 自 2026-12-02 起的预报不足36小时',
    );
    expect(liftForecastCheck(['141102'], '2026-12-02', recommend, null).ok).toBe(false);
  });
});
