import type { FieldError } from '../common/errors/domain-error';
import { COUNTY_SCOPED_ROLES, Role, ROLES } from './roles';

export interface NewUserInput {
  username: string;
  displayName?: string;
  password: string;
  roles: string[];
  countyCodes?: string[];
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Checks a new account. Demo users may have the short demo password; real accounts need
 * MIN_PASSWORD_LENGTH characters.
 */
export function validateNewUser(
  input: NewUserInput,
  opts: { allowShortPassword?: boolean } = {},
): FieldError[] {
  const errors: FieldError[] = [];
  if (!USERNAME_PATTERN.test(input.username)) {
    errors.push({ field: 'username', message: '用户名须为2-40位小写字母、数字或 . _ -,且以字母或数字开头' });
  }
  if (!opts.allowShortPassword && input.password.length < MIN_PASSWORD_LENGTH) {
    errors.push({ field: 'password', message: `密码至少${MIN_PASSWORD_LENGTH}个字符` });
  }
  if (input.password.length === 0) errors.push({ field: 'password', message: '密码不能为空' });
  if (input.roles.length === 0) errors.push({ field: 'roles', message: '至少需要一个角色' });
  for (const role of input.roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      errors.push({ field: 'roles', message: `未知角色 ${role},可选:${ROLES.join(', ')}` });
    }
  }
  return errors;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface UserChange {
  displayName?: string;
  roles?: string[];
  countyCodes?: string[];
  active?: boolean;
}

/**
 * Checks an administrator's change to an account. Administrators may not lock themselves out: removing
 * their own ADMIN role or deactivating their own account is refused (another administrator can do it).
 */
export function validateUserChange(
  change: UserChange,
  ctx: { self: boolean; currentRoles: readonly string[] },
): FieldError[] {
  const errors: FieldError[] = [];
  if (change.displayName !== undefined && change.displayName.trim() === '')
    errors.push({ field: 'displayName', message: '显示名称不能为空' });
  if (change.roles !== undefined) {
    if (change.roles.length === 0) errors.push({ field: 'roles', message: '至少需要一个角色' });
    for (const role of change.roles)
      if (!isRole(role))
        errors.push({ field: 'roles', message: `未知角色 ${role},可选:${ROLES.join(', ')}` });
    if (ctx.self && ctx.currentRoles.includes('ADMIN') && !change.roles.includes('ADMIN'))
      errors.push({ field: 'roles', message: '不能移除自己的系统管理员角色,请由其他管理员操作' });
  }
  if (ctx.self && change.active === false) errors.push({ field: 'active', message: '不能停用自己的账号' });
  return errors;
}

/** The fields that differ, as {field: [before, after]} for the audit log. */
export function userDiff(
  before: { displayName: string; roles: readonly string[]; active: boolean; countyCodes?: readonly string[] },
  after: { displayName: string; roles: readonly string[]; active: boolean; countyCodes?: readonly string[] },
): Record<string, [unknown, unknown]> {
  const diff: Record<string, [unknown, unknown]> = {};
  if (before.displayName !== after.displayName) diff.displayName = [before.displayName, after.displayName];
  if ([...before.roles].sort().join() !== [...after.roles].sort().join())
    diff.roles = [before.roles, after.roles];
  if ([...(before.countyCodes ?? [])].sort().join() !== [...(after.countyCodes ?? [])].sort().join())
    diff.countyCodes = [before.countyCodes ?? [], after.countyCodes ?? []];
  if (before.active !== after.active) diff.active = [before.active, after.active];
  return diff;
}

/**
 * The counties an account is tied to: a county-scoped role (县级分局) needs at least one, each a known county
 * (`known`: the counties table's codes); a city-wide account holds none. Returns the codes to store (deduplicated,
 * in the order given) or the problems, naming 所属区县.
 */
export function countyCodesFor(
  roles: readonly string[],
  codes: readonly string[],
  known: ReadonlySet<string>,
): { codes: string[]; errors: FieldError[] } {
  const scoped = roles.some((r) => (COUNTY_SCOPED_ROLES as readonly string[]).includes(r));
  const unique = [...new Set(codes.map((c) => c.trim()).filter((c) => c !== ''))];
  if (!scoped) {
    return unique.length
      ? { codes: [], errors: [{ field: 'countyCodes', message: '只有县级分局账号可以指定所属区县' }] }
      : { codes: [], errors: [] };
  }
  if (unique.length === 0)
    return { codes: [], errors: [{ field: 'countyCodes', message: '县级分局账号须指定至少一个所属区县' }] };
  const unknown = unique.filter((c) => !known.has(c));
  if (unknown.length)
    return {
      codes: [],
      errors: [{ field: 'countyCodes', message: `所属区县代码不存在:${unknown.join('、')}` }],
    };
  return { codes: unique, errors: [] };
}
