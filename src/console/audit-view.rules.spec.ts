import type { AuditEntry } from '../audit/audit-entry.entity';
import { actorFilter, actorLabel, actorOptions, auditRowView, beijingDayRange } from './audit-view.rules';

describe('audit page view rules', () => {
  it('reads 起/止 as Beijing calendar days, both inclusive', () => {
    expect(beijingDayRange('2026-12-01', '2026-12-03')).toEqual({
      from: '2026-12-01T00:00:00+08:00',
      to: '2026-12-04T00:00:00+08:00',
    });
    // Across a month's and a year's end.
    expect(beijingDayRange(undefined, '2026-12-31')).toEqual({ to: '2027-01-01T00:00:00+08:00' });
    expect(beijingDayRange('', ' ')).toEqual({});
    // An older link's date and time is Beijing time; nonsense goes on for the validator to refuse.
    expect(beijingDayRange('2026-12-01T08:30')).toEqual({ from: '2026-12-01T08:30:00+08:00' });
    expect(beijingDayRange('yesterday', '2026-13-45')).toEqual({ from: 'yesterday', to: '2026-13-45' });
  });

  it('tells an account from a kind of actor in the actor select', () => {
    expect(actorFilter('duty-wang')).toEqual({ actor: 'duty-wang' });
    expect(actorFilter('@SYSTEM')).toEqual({ actorType: 'SYSTEM' });
    expect(actorFilter('')).toEqual({});
  });

  it('lists accounts by display name, the username only where two share a name', () => {
    const { users, kinds } = actorOptions(
      [
        { username: 'b', displayName: '值班员' },
        { username: 'a', displayName: '值班员' },
        { username: 'cmd', displayName: '指挥长' },
      ],
      'cmd',
    );
    expect(users.map((u) => u.label)).toEqual(['值班员(a)', '值班员(b)', '指挥长']);
    expect(users.find((u) => u.selected)?.value).toBe('cmd');
    expect(kinds.map((k) => [k.value, k.label])).toEqual([
      ['@USER', '全部工作人员'],
      ['@SYSTEM', '系统'],
      ['@ENTERPRISE', '企业'],
      ['@ANONYMOUS', '匿名访问'],
    ]);
  });

  it('names the actor: display name, enterprise, system, bureau or department', () => {
    const e = (actorType: AuditEntry['actorType'], actorName: string | null, action = 'x') => ({
      actorType,
      actorName,
      action,
    });
    expect(actorLabel(e('USER', 'duty-wang'), { actorName: '王芳' })).toBe('王芳');
    expect(actorLabel(e('USER', 'duty-wang'), { actorName: null })).toBe('duty-wang');
    expect(actorLabel(e('SYSTEM', 'system'), { actorName: null })).toBe('系统');
    expect(actorLabel(e('ENTERPRISE', null), { actorName: '孝义焦化' })).toBe('孝义焦化');
    expect(actorLabel(e('ENTERPRISE', null), { actorName: null })).toBe('企业');
    expect(actorLabel(e('ANONYMOUS', null, 'party.received'), { actorName: null })).toBe(
      '县级分局或市直部门',
    );
    expect(actorLabel(e('ANONYMOUS', null), { actorName: null })).toBe('匿名访问');
  });

  it('builds a row: subject in words, the warning once, a summary and the raw record', () => {
    const entry = {
      id: '7',
      occurredAt: new Date('2026-12-01T02:00:00Z'),
      actorType: 'USER',
      actorId: 'u1',
      actorName: 'cmd-li',
      action: 'alert.approved',
      subjectType: 'alert',
      subjectId: 'a1',
      alertId: 'a1',
      requestId: null,
      ip: '10.0.0.1',
      data: { kind: 'UPGRADE', level: 'ORANGE', documentNumber: '吕应急〔2026〕2号' },
      prevHash: '',
      hash: '',
    } as AuditEntry;
    const row = auditRowView(entry, {
      actorName: '李明',
      subjectName: '2026-001',
      alertCode: '2026-001',
      previousLevel: 'YELLOW',
    });
    expect(row).toMatchObject({
      actionLabel: '审批通过',
      actorLabel: '李明',
      subjectKind: '预警',
      subjectLabel: '2026-001',
      alertCode: null,
      summary: '升级 · 级别 黄色→橙色 · 文号 吕应急〔2026〕2号',
      dataText: JSON.stringify(entry.data),
    });
    const order = auditRowView(
      { ...entry, action: 'order.received', subjectType: 'order', subjectId: 'o1', data: {} },
      { actorName: '李明', subjectName: '孝义焦化', alertCode: '2026-001', previousLevel: null },
    );
    expect(order).toMatchObject({
      subjectKind: '减排指令',
      subjectLabel: '孝义焦化',
      alertCode: '2026-001',
      summary: '',
    });
  });
});
