export const ROLES = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  DUTY_OFFICER: '值班员',
  COMMANDER: '指挥部',
  AUDITOR: '审计员',
  ADMIN: '系统管理员',
};
