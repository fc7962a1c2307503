import counties from '../../seeds/counties.json';
import { emailAddressProblem, isEmailAddress } from './email-address.rules';

describe('emailAddressProblem', () => {
  it.each([
    'zhang@example.cn',
    'env001@demo.lvliang.example',
    'first.last@sthj.lvliang.gov.cn',
    "o'brien+alerts@x.cn",
    "!#$%&'*+-/=?^_`{|}~@x.cn",
    'a@xn--fiqs8s.cn',
    'a@1-2.x9.cn',
    `${'a'.repeat(64)}@x.cn`,
    `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(60)}`,
  ])('accepts %s', (address) => {
    expect(address.length).toBeLessThanOrEqual(254);
    expect(emailAddressProblem(address)).toBeNull();
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each<[string, string, RegExp]>([
    ['quoted local part with CRLF', '"a\r\nb"@x.cn', /空格、换行/],
    ['quoted local part with a comma', '"a,b"@x.cn', /引号/],
    ['quoted local part with <>', '"<a>"@x.cn', /引号/],
    ['quoted local part with a space', '"a b"@x.cn', /空格/],
    ['two dots', 'a..b@x.cn', /点号/],
    ['leading dot', '.a@x.cn', /点号/],
    ['trailing dot', 'a.@x.cn', /点号/],
    ['a comma', 'a,b@x.cn', /只能由/],
    ['angle brackets', '<a@x.cn>', /只能由/],
    ['a second address', 'a@x.cn,b@y.cn', /一个 @/],
    ['no @', 'a.x.cn', /缺少 @/],
    ['empty local part', '@x.cn', /@ 前不能为空/],
    ['65-character local part', `${'a'.repeat(65)}@x.cn`, /64/],
    [
      'over 254 characters',
      `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(61)}`,
      /254/,
    ],
    ['empty', '', /不能为空/],
    ['domain starting with a hyphen', 'a@-x.cn', /连字符/],
    ['label ending with a hyphen', 'a@x-.cn', /连字符/],
    ['empty label', 'a@x..cn', /点号/],
    ['domain ending with a dot', 'a@x.cn.', /点号/],
    ['64-character label', `a@${'b'.repeat(64)}.cn`, /1-63/],
    ['underscore in the domain', 'a@x_y.cn', /只能由字母/],
    ['single-label domain', 'a@localhost', /不完整/],
    ['address literal', 'a@[127.0.0.1]', /IP/],
    ['all-numeric top label', 'a@1.2.3.4', /全是数字/],
    ['no domain', 'a@', /缺少域名/],
    ['Chinese domain', 'a@例子.中国', /xn--/],
    ['Chinese local part', '张三@x.cn', /中文/],
    ['trailing CRLF', 'a@x.cn\r\nRCPT TO:<b@y.cn>', /换行/],
    ['tab', 'a\t@x.cn', /空格/],
    ['NUL', 'a\u0000@x.cn', /空格/],
  ])('refuses %s', (_case, address, message) => {
    expect(emailAddressProblem(address)).toMatch(message);
    expect(isEmailAddress(address)).toBe(false);
  });

  it('takes every county bureau address the seeds send escalations to', () => {
    const addresses = (counties as Array<{ bureauEmail?: string }>).map((c) => c.bureauEmail).filter(Boolean);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((a) => emailAddressProblem(a!) !== null)).toEqual([]);
  });
});
