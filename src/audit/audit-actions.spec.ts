import { AUDIT_ACTIONS, auditActionLabel, isAuditAction } from './audit-actions';

const entries = Object.entries(AUDIT_ACTIONS);

describe('the audit action catalog', () => {
  it('names each action as a dotted lower-case verb', () => {
    for (const [action] of entries) expect(action).toMatch(/^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)+$/);
  });

  it('labels every action in Chinese, non-empty and without its code', () => {
    for (const [action, { label }] of entries) {
      expect(label.trim()).toBe(label);
      expect(label).toMatch(/^[\u4e00-\u9fff][\u4e00-\u9fff,():、]*$/);
      expect(label).not.toContain(action);
    }
  });

  it('gives no two actions the same label, so a reader can tell them apart', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [action, { label }] of entries) {
      if (seen.has(label)) clashes.push(`${seen.get(label)} / ${action}: ${label}`);
      seen.set(label, action);
    }
    expect(clashes).toEqual([]);
  });

  it('shows the label of a catalogued action and the code of any other', () => {
    expect(auditActionLabel('alert.approved')).toBe('审批通过');
    expect(auditActionLabel('order.received')).toBe('企业确认收到');
    expect(auditActionLabel('test.entry')).toBe('test.entry');
    expect(auditActionLabel('toString')).toBe('toString');
    expect(isAuditAction('auth.login')).toBe(true);
    expect(isAuditAction('constructor')).toBe(false);
  });
});
