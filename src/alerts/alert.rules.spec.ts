import {
  adjustKind,
  type AlertState,
  applyRevision,
  failureReportDue,
  isExpired,
  liftForecastCheck,
  overlaps,
  projectedState,
  proposalProblem,
  redundantChange,
  sameChange,
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

describe('failureReportDue', () => {
  it('reports a failure never reported, then again an hour after the last report, not sooner', () => {
    const last = at('2026-11-29T00:00:00+08:00');
    expect(failureReportDue(null, last)).toBe(true);
    expect(failureReportDue(last, at('2026-11-29T00:59:59+08:00'))).toBe(false);
    expect(failureReportDue(last, at('2026-11-29T01:00:00+08:00'))).toBe(true);
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

describe('redundantChange', () => {
  const counties = ['141181'];
  const downgrade = (effectiveAt: string, level: 'ORANGE' | 'YELLOW' = 'ORANGE') => ({
    kind: 'DOWNGRADE' as const,
    level,
    countyCodes: counties,
    effectiveAt: at(effectiveAt),
    expectedEndAt: at('2026-12-01T00:00:00+08:00'),
  });
  const red = state({ level: 'RED' });

  it('lets a change through when nothing like it is pending or approved', () => {
    expect(
      redundantChange({ state: red, scheduled: [], pending: null }, downgrade('2026-11-29T06:00:00+08:00')),
    ).toBeNull();
  });

  it('names a duplicate of the pending proposal', () => {
    const pending = { ...downgrade('2026-11-29T06:00:00+08:00'), proposedBy: 'duty-wang', proposedAt: now };
    expect(
      redundantChange({ state: red, scheduled: [], pending }, downgrade('2026-11-29T06:00:00+08:00')),
    ).toEqual({
      code: 'ALERT_CHANGE_DUPLICATE',
      message: '已有相同的降级变更待审批(duty-wang于2026年11月28日 08:00提出),不能重复提出',
    });
    // Same counties in another order is the same change; another time is not.
    expect(
      sameChange(
        { ...downgrade('2026-11-29T06:00:00+08:00'), countyCodes: ['141102', '141181'] },
        { ...downgrade('2026-11-29T06:00:00+08:00'), countyCodes: ['141181', '141102'] },
      ),
    ).toBe(true);
    expect(sameChange(downgrade('2026-11-29T06:00:00+08:00'), downgrade('2026-11-29T07:00:00+08:00'))).toBe(
      false,
    );
  });

  it('names a duplicate of an approved revision still to take effect', () => {
    const scheduled = [{ ...downgrade('2026-11-29T06:00:00+08:00'), seq: 2 }];
    expect(
      redundantChange({ state: red, scheduled, pending: null }, downgrade('2026-11-29T06:00:00+08:00')),
    ).toEqual({
      code: 'ALERT_CHANGE_DUPLICATE',
      message: '相同的降级变更已批准(第2版,2026年11月29日 06:00生效),不能重复',
    });
  });

  it('refuses a change to what the warning already is or is approved to become', () => {
    const scheduled = [{ ...downgrade('2026-11-29T06:00:00+08:00'), seq: 2 }];
    expect(
      redundantChange({ state: red, scheduled, pending: null }, downgrade('2026-11-29T09:00:00+08:00')),
    ).toEqual({ code: 'ALERT_CHANGE_NO_EFFECT', message: '该降级变更不会改变预警:预警已批准调整为橙色' });
    expect(
      redundantChange(
        { state: state({ level: 'ORANGE' }), scheduled: [], pending: null },
        { ...downgrade('2026-11-29T09:00:00+08:00'), kind: 'UPGRADE' },
      ),
    ).toEqual({ code: 'ALERT_CHANGE_NO_EFFECT', message: '该升级变更不会改变预警:预警已是橙色' });
    // A further step down is a change.
    expect(
      redundantChange(
        { state: red, scheduled, pending: null },
        downgrade('2026-11-29T09:00:00+08:00', 'YELLOW'),
      ),
    ).toBeNull();
  });

  it('refuses a second lift while an approved one is still to come', () => {
    const lift = (effectiveAt: string) => ({
      kind: 'LIFT' as const,
      level: 'YELLOW' as const,
      countyCodes: counties,
      effectiveAt: at(effectiveAt),
      expectedEndAt: null,
    });
    const scheduled = [{ ...lift('2026-11-29T00:00:00+08:00'), seq: 2 }];
    expect(
      redundantChange({ state: state(), scheduled, pending: null }, lift('2026-11-29T02:00:00+08:00')),
    ).toEqual({
      code: 'ALERT_CHANGE_NO_EFFECT',
      message: '该解除变更不会改变预警:预警已批准于2026年11月29日 00:00解除',
    });
  });
});

describe('projectedState', () => {
  it('applies the approved revisions still to come in effective order, then sequence', () => {
    const rev = (seq: number, level: 'RED' | 'ORANGE', effectiveAt: string) => ({
      seq,
      kind: 'UPGRADE' as const,
      level,
      countyCodes: ['141181'],
      effectiveAt: at(effectiveAt),
      expectedEndAt: null,
    });
    const scheduled = [
      rev(3, 'ORANGE', '2026-11-29T06:00:00+08:00'),
      rev(2, 'RED', '2026-11-30T00:00:00+08:00'),
    ];
    expect(projectedState(state(), scheduled).level).toBe('RED');
    expect(projectedState(state(), []).level).toBe('YELLOW');
  });
});
