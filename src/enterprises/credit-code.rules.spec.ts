import { creditCodeCheckChar, creditCodeProblem, normaliseCreditCode } from './credit-code.rules';

describe('GB 32100-2015 credit codes', () => {
  // Published codes of real organisations, check characters as issued.
  it.each(['91110000802100433B', '91310000MA1FL4B24G', '91440300708461136T'])('accepts %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it('computes the check character that makes a code valid', () => {
    expect(creditCodeCheckChar('91110000802100433')).toBe('B');
    expect(creditCodeCheckChar('91141100MA0K00001')).toMatch(/^[0-9A-HJ-NPQRTUWXY]$/);
  });

  it('rejects a wrong check character and names the expected one', () => {
    expect(creditCodeProblem('91110000802100433C')).toBe('统一社会信用代码校验位错误(应为B)');
  });

  it.each([
    ['9111000080210043', '18位'],
    ['91110000802100433B1', '18位'],
    ['9111000080210O433B', '非法字符“O”'],
    ['91110000802100433b', '非法字符“b”'],
    ['91AB0000802100433B', '行政区划代码'],
  ])('rejects %s', (code, message) => {
    expect(creditCodeProblem(code)).toContain(message);
  });

  it('normalises spaces and case', () => {
    expect(normaliseCreditCode(' 9111 0000802100433b ')).toBe('91110000802100433B');
  });
});
