import {
  adjustKind,
  type AlertState,
  applyRevision,
  describeOverlaps,
  failureReportDue,
  type HeldWarning,
  isExpired,
  liftOverrideError,
  overlaps,
  overlapsOf,
  projectedState,
  proposalProblem,
  redundantChange,
  sameChange,
  widenedFootprint,
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
    expect(proposalProblem(state({ status }), kind, now)?.code ?? null).toBe(
      allowed ? null : 'ALERT_NOT_CHANGEABLE',
    );
  });

  it('allows CANCEL only before the warning takes effect', () => {
    expect(
      proposalProblem(
        state({ status: 'ISSUED', effectiveAt: at('2026-11-29T00:00:00+08:00') }),
        'CANCEL',
        now,
      ),
    ).toBeNull();
    expect(proposalProblem(state({ status: 'ISSUED', effectiveAt: now }), 'CANCEL', now)).toEqual({
      code: 'ALERT_CANCEL_TOO_LATE',
      message: expect.stringContaining('不能撤销'),
    });
    expect(proposalProblem(state({ status: 'ACTIVE' }), 'CANCEL', now)?.code).toBe('ALERT_CANCEL_TOO_LATE');
    expect(proposalProblem(state({ status: 'LIFTED' }), 'CANCEL', now)?.code).toBe('ALERT_NOT_CHANGEABLE');
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

describe('overlapsOf', () => {
  // Warning B of issue 13: 离石区 from 12-02 to 12-04.
  const b: HeldWarning & { countyCodes: string[] } = {
    code: '2026-002',
    status: 'ISSUED',
    countyCodes: ['141102', '141181'],
    start: at('2026-12-02T00:00:00+08:00'),
    end: at('2026-12-04T00:00:00+08:00'),
  };
  const a = (start: string, end: string | null, countyCodes = ['141102']) => ({
    countyCodes,
    start: at(start),
    end: end === null ? null : at(end),
  });

  it('finds a warning holding a shared county at a shared time, with only the shared counties', () => {
    expect(overlapsOf(a('2026-11-29T00:00:00+08:00', '2026-12-05T00:00:00+08:00'), [b])).toEqual([
      { ...b, countyCodes: ['141102'] },
    ]);
    expect(overlapsOf(a('2026-11-29T00:00:00+08:00', null, ['141181', '141102', '141130']), [b])).toEqual([
      { ...b, countyCodes: ['141181', '141102'] },
    ]);
  });

  it('ignores a warning that ends when the footprint starts, starts when it ends, or holds other counties', () => {
    expect(overlapsOf(a('2026-11-29T00:00:00+08:00', '2026-12-02T00:00:00+08:00'), [b])).toEqual([]);
    expect(overlapsOf(a('2026-12-04T00:00:00+08:00', null), [b])).toEqual([]);
    expect(overlapsOf(a('2026-11-29T00:00:00+08:00', '2026-12-05T00:00:00+08:00', ['141130']), [b])).toEqual(
      [],
    );
  });

  it.each([
    ['PENDING_APPROVAL', 1],
    ['ISSUED', 1],
    ['ACTIVE', 1],
    ['LIFTED', 0],
    ['EXPIRED', 0],
    ['CANCELLED', 0],
    ['REJECTED', 0],
  ] as const)('counts a %s warning as holding its counties: %i', (status, n) => {
    expect(overlapsOf(a('2026-11-29T00:00:00+08:00', null), [{ ...b, status }])).toHaveLength(n);
  });

  it('names each warning with its status, times and county names', () => {
    const names: Record<string, string> = { '141102': '离石区' };
    expect(describeOverlaps([{ ...b, countyCodes: ['141102'] }], (c) => names[c] ?? c)).toBe(
      '2026-002(已发布(未生效),2026年12月02日 00:00至2026年12月04日 00:00,离石区)',
    );
    expect(describeOverlaps([{ ...b, end: null }, b], (c) => c)).toBe(
      '2026-002(已发布(未生效),2026年12月02日 00:00至解除,141102、141181);' +
        '2026-002(已发布(未生效),2026年12月02日 00:00至2026年12月04日 00:00,141102、141181)',
    );
  });
});

describe('widenedFootprint', () => {
  // Warning A of issue 13: 离石区 from 11-29 to 12-01.
  const a = state({
    effectiveAt: at('2026-11-29T00:00:00+08:00'),
    expectedEndAt: at('2026-12-01T00:00:00+08:00'),
  });
  const change = (over: Partial<Parameters<typeof widenedFootprint>[2]>) => ({
    kind: 'EXTEND' as const,
    level: 'YELLOW' as const,
    effectiveAt: now,
    expectedEndAt: at('2026-12-05T00:00:00+08:00'),
    countyCodes: ['141102'],
    ...over,
  });

  it('gives the whole footprint after an extension to a later end', () => {
    expect(widenedFootprint(a, ['141102'], change({}))).toEqual({
      countyCodes: ['141102'],
      start: at('2026-11-29T00:00:00+08:00'),
      end: at('2026-12-05T00:00:00+08:00'),
    });
  });

  it('gives the footprint of a level change that adds counties', () => {
    expect(
      widenedFootprint(
        a,
        ['141102'],
        change({
          kind: 'UPGRADE',
          level: 'RED',
          expectedEndAt: a.expectedEndAt,
          countyCodes: ['141102', '141181'],
        }),
      ),
    ).toEqual({ countyCodes: ['141102', '141181'], start: a.effectiveAt, end: a.expectedEndAt });
  });

  it('is null for a change that widens nothing', () => {
    const same = { expectedEndAt: a.expectedEndAt };
    expect(widenedFootprint(a, ['141102'], change({ kind: 'UPGRADE', level: 'RED', ...same }))).toBeNull();
    expect(widenedFootprint(a, ['141102'], change({ kind: 'DOWNGRADE', level: 'BLUE', ...same }))).toBeNull();
    expect(widenedFootprint(a, ['141102'], change({ kind: 'LIFT', ...same }))).toBeNull();
    expect(widenedFootprint(a, ['141102'], change({ kind: 'CANCEL', countyCodes: ['141181'] }))).toBeNull();
    // An open-ended warning given an end is shortened, not widened.
    expect(widenedFootprint(state({ expectedEndAt: null }), ['141102'], change({}))).toBeNull();
  });

  it('counts an open end as later than any', () => {
    expect(widenedFootprint(a, ['141102'], change({ kind: 'ISSUE', expectedEndAt: null }))?.end).toBeNull();
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

describe('liftOverrideError', () => {
  const refused = { field: 'overrideReason', message: '最新会商预报不支持解除,批准解除须填写书面理由' };

  it('asks for a written reason to approve a lift the check does not support', () => {
    const lift = { kind: 'LIFT' as const, liftCheck: { ok: false } };
    expect(liftOverrideError(lift, undefined)).toEqual(refused);
    expect(liftOverrideError(lift, '  \n ')).toEqual(refused);
    expect(liftOverrideError(lift, '现场监测已明显好转')).toBeNull();
  });

  it('needs nothing for a supported lift or any other change', () => {
    expect(liftOverrideError({ kind: 'LIFT', liftCheck: { ok: true } }, undefined)).toBeNull();
    expect(liftOverrideError({ kind: 'DOWNGRADE', liftCheck: null }, undefined)).toBeNull();
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
