import { navFor } from './console-nav';

describe('navFor', () => {
  it('shows a duty officer the operational sections but not approvals or audit', () => {
    const labels = navFor(['DUTY_OFFICER'], '/dashboard').map((n) => n.label);
    expect(labels).toEqual([
      '总览',
      '会商',
      '省级指令',
      '预警',
      '企业',
      '达标核算',
      '季节性管控',
      '监测核查',
      '发件箱',
      '分级复核',
    ]);
  });

  it('shows approvals to commanders and the audit log to auditors', () => {
    expect(navFor(['COMMANDER'], '/').map((n) => n.href)).toContain('/approvals');
    expect(navFor(['AUDITOR'], '/').map((n) => n.href)).toContain('/audit');
    expect(navFor(['AUDITOR'], '/').map((n) => n.href)).not.toContain('/approvals');
  });

  it('marks the section holding the current path', () => {
    const active = navFor(['ADMIN'], '/enterprises/abc/plan').filter((n) => n.active);
    expect(active.map((n) => n.href)).toEqual(['/enterprises']);
  });
});

describe('navFor a county officer', () => {
  it('offers the overview, the warnings, the enterprises, the seasonal controls, the discrepancy queue and their counties’ grade reviews only', () => {
    expect(navFor(['COUNTY_OFFICER'], '/enterprises').map((i) => i.label)).toEqual([
      '总览',
      '预警',
      '企业',
      '季节性管控',
      '监测核查',
      '分级复核',
    ]);
  });
});

describe('navFor the discrepancy queue (监测核查)', () => {
  it('is offered to those who may open it: auditors read it, administrators do not have it', () => {
    const has = (role: Parameters<typeof navFor>[0][number]) =>
      navFor([role], '/').some((n) => n.href === '/discrepancies');
    expect(
      ['DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER', 'AUDITOR', 'ADMIN'].map((r) => has(r as 'ADMIN')),
    ).toEqual([true, true, true, true, false]);
    expect(navFor(['COUNTY_OFFICER'], '/discrepancies').find((n) => n.active)?.label).toBe('监测核查');
  });
});

describe('navFor the seasonal controls (季节性管控)', () => {
  it('is offered to every staff role, a county officer included', () => {
    for (const role of ['DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER', 'AUDITOR', 'ADMIN'] as const)
      expect(navFor([role], '/').some((n) => n.href === '/campaigns')).toBe(true);
    expect(navFor(['AUDITOR'], '/campaigns').find((n) => n.active)?.label).toBe('季节性管控');
  });
});
