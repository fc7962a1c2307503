/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * alphabet (no I, O, S, V, Z); the last is a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Null when valid, else a Chinese message saying what is wrong. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return `统一社会信用代码应为18位,实际${code.length}位`;
  for (const ch of code) {
    if (!ALPHABET.includes(ch)) return `统一社会信用代码含非法字符“${ch}”(不使用I、O、S、V、Z,字母须大写)`;
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return '统一社会信用代码第3-8位应为行政区划代码';
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return `统一社会信用代码校验位错误(应为${expected})`;
  return null;
}

/** Upper-cases and removes spaces, as people type codes. */
export function normaliseCreditCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}
