import {
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_KINDS,
  FOLLOW_UP_OUTCOME_NAMES,
  FOLLOW_UP_OUTCOMES,
  followUpCounts,
  followUpAuthorOf,
  followUpLine,
  followUpRefusal,
  happenedAtProblems,
} from './follow-up.rules';

describe('followUpRefusal', () => {
  const xiaoyi = { countyCode: '141181' };

  it('lets the duty office and the command follow up every county', () => {
    expect(followUpRefusal({ roles: ['DUTY_OFFICER'] }, xiaoyi)).toBeNull();
    expect(followUpRefusal({ roles: ['COMMANDER'] }, xiaoyi)).toBeNull();
    expect(followUpRefusal({ roles: ['AUDITOR', 'COMMANDER'], countyCodes: ['141102'] }, xiaoyi)).toBeNull();
  });

  it('lets a county-scoped person follow up only their own counties', () => {
    expect(followUpRefusal({ roles: ['COUNTY'], countyCodes: ['141181', '141182'] }, xiaoyi)).toBeNull();
    expect(followUpRefusal({ roles: ['COUNTY'], countyCodes: ['141102'] }, xiaoyi)).toBe(
      '只能记录本辖区企业的跟进情况',
    );
  });

  it('refuses the other roles', () => {
    expect(followUpRefusal({ roles: ['AUDITOR'] }, xiaoyi)).toBe('当前角色无权记录跟进情况');
    expect(followUpRefusal({ roles: ['ADMIN'] }, xiaoyi)).toBe('当前角色无权记录跟进情况');
    expect(followUpRefusal({ roles: [] }, xiaoyi)).toBe('当前角色无权记录跟进情况');
  });
});

describe('followUpAuthorOf', () => {
  const xiaoyi = { countyCode: '141181' };
  const shilou = { countyCode: '141126' };

  it('makes a county officer an author of their own counties only', () => {
    const author = followUpAuthorOf({ roles: ['COUNTY_OFFICER'], countyCodes: ['141126'] });
    expect(author.scope).toEqual({ counties: ['141126'] });
    expect(followUpRefusal(author, shilou)).toBeNull();
    expect(followUpRefusal(author, xiaoyi)).toBe('只能记录本辖区企业的跟进情况');
  });

  it('keeps the duty office city-wide and the auditor refused as a role', () => {
    expect(followUpAuthorOf({ roles: ['DUTY_OFFICER'], countyCodes: [] }).scope).toEqual({ all: true });
    expect(followUpRefusal(followUpAuthorOf({ roles: ['DUTY_OFFICER'] }), xiaoyi)).toBeNull();
    expect(followUpRefusal(followUpAuthorOf({ roles: ['AUDITOR'], countyCodes: [] }), xiaoyi)).toBe(
      '当前角色无权记录跟进情况',
    );
  });
});

describe('happenedAtProblems', () => {
  const now = new Date('2026-12-01T10:20:00+08:00');
  const written = new Date('2026-12-01T08:00:00+08:00');

  it('accepts a time between the order and now, both ends included', () => {
    expect(happenedAtProblems(new Date('2026-12-01T09:00:00+08:00'), now, written)).toEqual([]);
    expect(happenedAtProblems(now, now, written)).toEqual([]);
    expect(happenedAtProblems(written, now, written)).toEqual([]);
  });

  it('refuses the future and a time before the order, naming the field', () => {
    expect(happenedAtProblems(new Date(now.getTime() + 60_000), now, written)).toEqual([
      { field: 'happenedAt', message: '跟进时间不能晚于当前时间' },
    ]);
    expect(happenedAtProblems(new Date(written.getTime() - 1), now, written)).toEqual([
      { field: 'happenedAt', message: '跟进时间不能早于指令下达时间' },
    ]);
  });
});

describe('names', () => {
  it('has a Chinese name for every kind and outcome', () => {
    for (const k of FOLLOW_UP_KINDS) expect(FOLLOW_UP_KIND_NAMES[k]).toMatch(/^[\u3400-\u9fff]+$/);
    for (const o of FOLLOW_UP_OUTCOMES) expect(FOLLOW_UP_OUTCOME_NAMES[o]).toMatch(/^[\u3400-\u9fff]+$/);
  });
});

describe('followUpLine', () => {
  it('says when, how, the outcome and whom, in Shanghai time', () => {
    expect(
      followUpLine({
        happenedAt: new Date('2026-12-01T02:20:00Z'),
        kind: 'PHONE_CALL',
        outcome: 'REACHED',
        contactName: '王某',
      }),
    ).toBe('12-01 10:20 电话 已接通 王某');
  });

  it('leaves out a missing contact', () => {
    expect(
      followUpLine({
        happenedAt: new Date('2026-11-30T16:00:00Z'),
        kind: 'VISIT',
        outcome: 'NON_COMPLIANT',
        contactName: null,
      }),
    ).toBe('12-01 00:00 现场检查 未落实');
  });
});

describe('followUpCounts', () => {
  it('adds up in all, by kind and per county in the counties’ order', () => {
    expect(
      followUpCounts([
        { countyCode: '141182', countyName: '汾阳市', countySort: 12, kind: 'PHONE_CALL', count: 2 },
        { countyCode: '141181', countyName: '孝义市', countySort: 11, kind: 'PHONE_CALL', count: 3 },
        { countyCode: '141181', countyName: '孝义市', countySort: 11, kind: 'VISIT', count: 1 },
      ]),
    ).toEqual({
      total: 6,
      byKind: { PHONE_CALL: 5, VISIT: 1, NOTE: 0 },
      byCounty: [
        { code: '141181', name: '孝义市', count: 4 },
        { code: '141182', name: '汾阳市', count: 2 },
      ],
    });
  });

  it('is zero without follow-ups', () => {
    expect(followUpCounts([])).toEqual({
      total: 0,
      byKind: { PHONE_CALL: 0, VISIT: 0, NOTE: 0 },
      byCounty: [],
    });
  });
});
