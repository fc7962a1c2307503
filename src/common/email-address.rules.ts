/**
 * What a mail server takes as a recipient (RFC 5321 without quoted strings or address literals): a dot-atom
 * local part of at most 64 characters, `@`, a domain of at least two LDH labels (letters, digits, hyphens;
 * 1–63 characters, no hyphen at either end; the last not all digits), at most 254 characters in all, ASCII
 * only (a Chinese domain is written in its xn-- form). class-validator's isEmail let through quoted local
 * parts holding CRLF, commas or `<>`, which our SMTP server then refused with 501.
 */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;

/** RFC 5322 atext: the characters of a dot-atom's atoms. */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Null when a mail server would take this address, else a Chinese message saying what is wrong. */
export function emailAddressProblem(address: string): string | null {
  if (address === '') return '电子邮箱不能为空';
  if (address.length > MAX_EMAIL_LENGTH) return `电子邮箱不能超过${MAX_EMAIL_LENGTH}个字符`;
  if (/[^\x21-\x7e]/.test(address))
    return '电子邮箱只能包含英文字母、数字和符号,不能有空格、换行或中文(中文域名请写成 xn-- 形式)';
  const at = address.indexOf('@');
  if (at < 0) return '电子邮箱缺少 @';
  if (address.indexOf('@', at + 1) >= 0) return '电子邮箱只能有一个 @';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return '电子邮箱 @ 前不能为空';
  if (local.length > MAX_LOCAL_PART_LENGTH)
    return `电子邮箱 @ 前的部分不能超过${MAX_LOCAL_PART_LENGTH}个字符`;
  if (local.includes('"')) return '电子邮箱 @ 前不能使用引号(邮件服务器不接受带引号的地址)';
  if (!local.split('.').every((atom) => ATOM.test(atom)))
    return "电子邮箱 @ 前只能由字母、数字和 !#$%&'*+-/=?^_`{|}~ 组成,点号不能在开头、结尾或连续出现";
  if (domain === '') return '电子邮箱 @ 后缺少域名';
  if (domain.startsWith('[')) return '电子邮箱不能使用 IP 地址作域名';
  const labels = domain.split('.');
  if (labels.length < 2) return `电子邮箱域名“${domain}”不完整(如 example.cn)`;
  if (!labels.every((label) => LABEL.test(label)))
    return '电子邮箱域名的每一段只能由字母、数字和连字符组成(1-63个字符,连字符不能在开头或结尾),点号不能在开头、结尾或连续出现';
  if (/^\d+$/.test(labels[labels.length - 1])) return '电子邮箱域名的最后一段不能全是数字';
  return null;
}

export function isEmailAddress(address: unknown): address is string {
  return typeof address === 'string' && emailAddressProblem(address) === null;
}
