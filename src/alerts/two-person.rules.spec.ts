import { type AccountFacts, CONCERN_MESSAGES, isSelfReview, twoPersonConcern } from './two-person.rules';

const now = new Date('2026-11-28T10:00:00+08:00');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
const account = (id: string, over: Partial<AccountFacts> = {}): AccountFacts => ({
  id,
  createdBy: null,
  passwordSetBy: null,
  passwordSetAt: null,
  ...over,
});

describe('twoPersonConcern', () => {
  const admin = account('admin');

  it('flags an approver the proposer created (and so chose the password of) within 24 hours', () => {
    const approver = account('cmd', {
      createdBy: 'admin',
      passwordSetBy: 'admin',
      passwordSetAt: hoursAgo(2),
    });
    expect(twoPersonConcern(admin, approver, now)).toEqual({
      reason: 'CREATED_BY_PROPOSER',
      adminId: 'admin',
      setAt: hoursAgo(2).toISOString(),
      recent: true,
      message: CONCERN_MESSAGES.recent,
    });
    expect(CONCERN_MESSAGES.recent).toBe('批准人账号由提议人于24小时内创建/重置密码');
  });

  it('flags an approver whose password the proposer reset', () => {
    const approver = account('cmd', { passwordSetBy: 'admin', passwordSetAt: hoursAgo(23) });
    expect(twoPersonConcern(admin, approver, now)).toMatchObject({
      reason: 'PASSWORD_RESET_BY_PROPOSER',
      recent: true,
      message: CONCERN_MESSAGES.recent,
    });
  });

  it('keeps flagging a password the proposer set more than 24 hours ago (nobody can change their own), worded so', () => {
    const approver = account('cmd', {
      createdBy: 'admin',
      passwordSetBy: 'admin',
      passwordSetAt: hoursAgo(24),
    });
    expect(twoPersonConcern(admin, approver, now)).toMatchObject({
      reason: 'CREATED_BY_PROPOSER',
      recent: false,
      message: '批准人账号的现用密码由提议人设置',
    });
  });

  it('does not flag an account the proposer created when someone else has since set its password', () => {
    const approver = account('cmd', {
      createdBy: 'admin',
      passwordSetBy: 'admin2',
      passwordSetAt: hoursAgo(1),
    });
    expect(twoPersonConcern(admin, approver, now)).toBeNull();
  });

  it('flags two accounts whose passwords one other administrator set within 24 hours', () => {
    const proposer = account('duty', { passwordSetBy: 'admin2', passwordSetAt: hoursAgo(3) });
    const approver = account('cmd', { passwordSetBy: 'admin2', passwordSetAt: hoursAgo(1) });
    expect(twoPersonConcern(proposer, approver, now)).toEqual({
      reason: 'SAME_ADMIN_SET_BOTH',
      adminId: 'admin2',
      setAt: hoursAgo(1).toISOString(),
      recent: true,
      message: '提议人与批准人账号均由同一管理员于24小时内创建/重置密码',
    });
    // Not when either was set longer ago (every account of an installation comes from some administrator).
    expect(twoPersonConcern({ ...proposer, passwordSetAt: hoursAgo(25) }, approver, now)).toBeNull();
    expect(twoPersonConcern(proposer, { ...approver, passwordSetAt: hoursAgo(25) }, now)).toBeNull();
  });

  it('does not flag accounts set by the CLI or seed, by different administrators, or by the approver', () => {
    expect(twoPersonConcern(account('duty'), account('cmd'), now)).toBeNull();
    expect(
      twoPersonConcern(
        account('duty', { passwordSetBy: 'admin1', passwordSetAt: hoursAgo(1) }),
        account('cmd', { passwordSetBy: 'admin2', passwordSetAt: hoursAgo(1) }),
        now,
      ),
    ).toBeNull();
    expect(
      twoPersonConcern(
        account('duty', { passwordSetBy: 'cmd', passwordSetAt: hoursAgo(1) }),
        account('cmd', { passwordSetBy: 'cmd', passwordSetAt: hoursAgo(1) }),
        now,
      ),
    ).toBeNull();
  });
});

describe('isSelfReview', () => {
  it('is the proposer deciding their own proposal; a system proposal (no account) is nobody’s own', () => {
    expect(isSelfReview('u1', 'u1')).toBe(true);
    expect(isSelfReview('u1', 'u2')).toBe(false);
    expect(isSelfReview(null, 'u2')).toBe(false);
    expect(isSelfReview(null, null)).toBe(false);
  });
});
