import type { FieldError } from '../common/errors/domain-error';
import { Role, ROLES } from './roles';

export interface NewUserInput {
  username: string;
  displayName?: string;
  password: string;
  roles: string[];
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
