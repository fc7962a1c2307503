import type { Role } from '../auth/roles';
import { CAMPAIGN_READERS } from './campaign-view.rules';
import { DISCREPANCY_READERS } from './discrepancy-view.rules';

export { ROLE_NAMES } from '../auth/roles';

export interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

/** The city-wide roles: the sections a county officer (县级分局) may not open are theirs. */
const CITY: Role[] = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'];

/** Console sections and who may open them; the pages' own route guards say the same. */
const SECTIONS: Array<{ href: string; label: string; roles: Role[] | 'all' }> = [
  { href: '/dashboard', label: '总览', roles: 'all' },
  { href: '/consultations', label: '会商', roles: CITY },
  { href: '/directives', label: '省级指令', roles: CITY },
  { href: '/alerts', label: '预警', roles: 'all' },
  { href: '/approvals', label: '审批', roles: ['COMMANDER'] },
  { href: '/enterprises', label: '企业', roles: 'all' },
  { href: '/adequacy', label: '达标核算', roles: CITY },
  // 季节性管控 (issue 18): what the campaign rules give each enterprise; a county officer sees their counties'.
  { href: '/campaigns', label: '季节性管控', roles: CAMPAIGN_READERS },
  // 监测核查 (issue 17): the discrepancy queue; auditors read it, county officers see their counties'.
  { href: '/discrepancies', label: '监测核查', roles: DISCREPANCY_READERS },
  { href: '/audit', label: '审计', roles: ['AUDITOR', 'ADMIN'] },
  { href: '/outbox', label: '发件箱', roles: ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'] },
  { href: '/users', label: '用户', roles: ['ADMIN'] },
  // A county officer reads their counties' reviews (an administrator decides).
  { href: '/grade-reviews', label: '分级复核', roles: 'all' },
];

/** The sections this user may open, the one holding `path` marked active. */
export function navFor(roles: readonly Role[], path: string): NavItem[] {
  return SECTIONS.filter((s) => s.roles === 'all' || s.roles.some((r) => roles.includes(r))).map((s) => ({
    href: s.href,
    label: s.label,
    active: path === s.href || path.startsWith(`${s.href}/`),
  }));
}
