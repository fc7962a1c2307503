import {
  approvalOverdueText,
  hoursBetween,
  leadTimeMessage,
  leadTimeShort,
  overdueApprovals,
  overdueHours,
  overdueReleases,
  releaseOverdueText,
  revisionTiming,
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

describe('overdueApprovals', () => {
  const pending = (changeId: string, proposedAt: string, limitHours = 2) => ({
    alertId: `a-${changeId}`,
    alertCode: `2026-00${changeId}`,
    changeId,
    kind: 'ISSUE',
    proposedAt: at(proposedAt),
    proposedBy: 'duty',
    limitHours,
  });

  it('flags the proposals waiting longer than their limit, longest first', () => {
    const flagged = overdueApprovals(
      [
        pending('1', '2026-11-28T08:00:00'), // exactly 2 h: not yet
        pending('2', '2026-11-28T07:30:00'), // 2.5 h
        pending('3', '2026-11-28T05:00:00'), // 5 h
        pending('4', '2026-11-28T07:00:00', 4), // 3 h of 4
      ],
      now,
    );
    expect(flagged.map((f) => [f.changeId, f.waitedHours, f.text])).toEqual([
      ['3', 5, '待审批已超过2小时(已等待5小时)'],
      ['2', 2.5, '待审批已超过2小时(已等待2.5小时)'],
    ]);
  });
});

describe('overdueReleases', () => {
  const revision = (revisionId: string, approvedAt: string, unsent: number) => ({
    alertId: 'a',
    alertCode: '2026-001',
    revisionId,
    seq: 1,
    kind: 'ISSUE',
    approvedAt: at(approvedAt),
    unsent,
    limitHours: 2,
  });

  it('flags revisions with notices unsent past the limit', () => {
    const flagged = overdueReleases(
      [
        revision('late', '2026-11-28T07:00:00', 3),
        revision('in time', '2026-11-28T09:00:00', 100),
        revision('all sent', '2026-11-28T01:00:00', 0),
      ],
      now,
    );
    expect(flagged.map((f) => [f.revisionId, f.waitedHours, f.text])).toEqual([
      ['late', 3, '批准后已超过2小时仍有3份通知未发出(批准后3小时)'],
    ]);
  });
});

describe('revisionTiming', () => {
  const limits = { draftToApprovalHours: 2, approvalToReleaseHours: 2 };
  const base = {
    revisionId: 'r',
    seq: 1,
    kind: 'ISSUE',
    proposedAt: at('2026-11-28T06:00:00'),
    decidedAt: at('2026-11-28T07:30:00'),
  };

  it('measures proposal to decision and decision to the last notice sent', () => {
    expect(
      revisionTiming({ ...base, notices: 3, unsent: 0, lastSentAt: at('2026-11-28T10:00:00') }, limits, now),
    ).toEqual({
      ...base,
      releasedAt: at('2026-11-28T10:00:00'),
      notices: 3,
      unsent: 0,
      approval: { hours: 1.5, limitHours: 2, ok: true },
      release: { hours: 2.5, limitHours: 2, ok: false },
    });
  });

  it('has no release while a notice is unsent: over once the limit has passed', () => {
    const t = revisionTiming(
      { ...base, notices: 3, unsent: 1, lastSentAt: at('2026-11-28T08:00:00') },
      limits,
      now,
    );
    expect(t.releasedAt).toBeNull();
    expect(t.release).toEqual({ hours: null, limitHours: 2, ok: false });
    const early = revisionTiming(
      { ...base, notices: 3, unsent: 1, lastSentAt: null },
      limits,
      at('2026-11-28T08:00:00'),
    );
    expect(early.release).toEqual({ hours: null, limitHours: 2, ok: null });
  });

  it('counts a revision with nothing to send as released on approval', () => {
    const t = revisionTiming({ ...base, notices: 0, unsent: 0, lastSentAt: null }, limits, now);
    expect(t.releasedAt).toEqual(base.decidedAt);
    expect(t.release).toEqual({ hours: 0, limitHours: 2, ok: true });
  });
});
