export const ROLES = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN', 'COUNTY_OFFICER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  DUTY_OFFICER: '值班员',
  COMMANDER: '指挥部',
  AUDITOR: '审计员',
  ADMIN: '系统管理员',
  COUNTY_OFFICER: '县级分局',
};

/** Roles that see and act on one or more counties only (their user's county codes); every other role is city-wide. */
export const COUNTY_SCOPED_ROLES: readonly Role[] = ['COUNTY_OFFICER'];
