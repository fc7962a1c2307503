import { navFor } from './console-nav';

describe('navFor', () => {
  it('shows a duty officer the operational sections but not approvals or audit', () => {
    const labels = navFor(['DUTY_OFFICER'], '/dashboard').map((n) => n.label);
    expect(labels).toEqual(['总览', '会商', '省级指令', '预警', '企业', '达标核算', '发件箱', '分级复核']);
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
  it('offers the overview, the warnings, the enterprises and their counties’ grade reviews only', () => {
    expect(navFor(['COUNTY_OFFICER'], '/enterprises').map((i) => i.label)).toEqual([
      '总览',
      '预警',
      '企业',
      '分级复核',
    ]);
  });
});
