import { auditSummary } from './audit-summary.rules';

describe('auditSummary: one line of Chinese for an audit entry', () => {
  it('says an approved upgrade with the level it replaced, its effective time and 文号', () => {
    expect(
      auditSummary(
        'alert.approved',
        {
          kind: 'UPGRADE',
          level: 'ORANGE',
          effectiveAt: '2026-12-01T02:00:00.000Z',
          documentNumber: '吕重污染应急〔2026〕5号',
          comment: '同意',
        },
        { previousLevel: 'YELLOW' },
      ),
    ).toBe('升级 · 级别 黄色→橙色 · 生效 2026年12月01日 10:00 · 文号 吕重污染应急〔2026〕5号 · 意见 同意');
  });

  it('names the level alone when nothing came before (a first issue) or it did not change', () => {
    expect(auditSummary('alert.drafted', { level: 'RED', reason: '会商研判' })).toBe(
      '级别 红色 · 原因 会商研判',
    );
    expect(auditSummary('alert.approved', { kind: 'EXTEND', level: 'RED' }, { previousLevel: 'RED' })).toBe(
      '延长 · 级别 红色',
    );
  });

  it('names no level for a campaign (its records carry NONE)', () => {
    expect(
      auditSummary(
        'alert.approved',
        { kind: 'ISSUE', level: 'NONE', documentNumber: '吕错峰〔2026〕1号' },
        { previousLevel: 'NONE' },
      ),
    ).toBe('发布 · 文号 吕错峰〔2026〕1号');
  });

  it('says state changes and who signed, in words', () => {
    expect(
      auditSummary('order.received', {
        state: ['SENT', 'RECEIVED'],
        signer: { name: '王强', phone: '13800000000' },
      }),
    ).toBe('状态 已送达→已签收 · 签收人 王强');
    expect(
      auditSummary('order.executed', {
        state: ['RECEIVED', 'EXECUTED'],
        signer: { name: '李娜', phone: '13900000000' },
      }),
    ).toBe('状态 已签收→已落实 · 报告人 李娜');
    expect(
      auditSummary('alert.rejected', {
        kind: 'ISSUE',
        reason: '依据不足',
        status: ['PENDING_APPROVAL', 'REJECTED'],
      }),
    ).toBe('发布 · 状态 待审批→未批准 · 原因 依据不足');
  });

  it("says a bureau's or department's signer, recorded beside the state", () => {
    expect(
      auditSummary('party.received', { state: ['SENT', 'RECEIVED'], signerName: '赵刚', signerPhone: '1' }),
    ).toBe('状态 已送达→已签收 · 签收人 赵刚');
  });

  it('turns coded reasons into words and leaves unknown codes out', () => {
    expect(auditSummary('auth.login.failed', { username: 'x', reason: 'BAD_PASSWORD' })).toBe(
      '原因 密码错误',
    );
    expect(auditSummary('orders.ended', { reason: 'EXPIRED', ended: 3 })).toBe('原因 到期 · 解除指令 3 份');
    expect(auditSummary('x.y', { reason: 'SOME_CODE' })).toBe('');
    expect(auditSummary('audit.anchor.published', { reason: 'alert.released' })).toBe('原因 预警发布');
    expect(auditSummary('x.y', { reason: 'some.code' })).toBe('');
  });

  it('shortens long free text to one line', () => {
    const reason = '持续静稳\n'.repeat(20);
    const line = auditSummary('alert.change.proposed', { kind: 'LIFT', level: null, reason });
    expect(line).not.toContain('\n');
    expect(line.startsWith('解除 · 原因 持续静稳 持续静稳')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(60);
  });

  it('says accounts, imports and counts', () => {
    expect(
      auditSummary('user.created', { username: 'li', roles: ['AUDITOR', 'ADMIN'], displayName: '李审计' }),
    ).toBe('姓名 李审计 · 角色 审计员、系统管理员');
    expect(auditSummary('enterprise.import', { filename: '清单.xlsx', created: 2, updated: 1 })).toBe(
      '文件 清单.xlsx · 新增 2 家 · 更新 1 家',
    );
    expect(auditSummary('orders.created', { kind: 'ISSUE', orders: 12 })).toBe('发布 · 指令 12 份');
  });

  it('is empty for an entry whose data it does not know', () => {
    expect(auditSummary('auth.login', { sessionId: 'abc' })).toBe('');
  });
});
