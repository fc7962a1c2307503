import {
  DEFAULT_DOCUMENT_NUMBER_PREFIX,
  documentPrefixProblem,
  documentYear,
  formatDocumentNumber,
} from './document-number.rules';

describe('document numbers (文号)', () => {
  it('formats prefix, year in 六角括号 and the number with 号', () => {
    expect(formatDocumentNumber(DEFAULT_DOCUMENT_NUMBER_PREFIX, 2026, 12)).toBe('吕重污应急〔2026〕12号');
    expect(formatDocumentNumber('吕环应急', 2027, 1)).toBe('吕环应急〔2027〕1号');
  });

  it('refuses numbers below 1 and impossible years', () => {
    expect(() => formatDocumentNumber('吕重污应急', 2026, 0)).toThrow();
    expect(() => formatDocumentNumber('吕重污应急', 2026, 1.5)).toThrow();
    expect(() => formatDocumentNumber('吕重污应急', 26, 1)).toThrow();
  });

  it('counts in the Beijing year: 31 Dec 16:00 UTC is already next year', () => {
    expect(documentYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(documentYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });

  it('checks a configured prefix', () => {
    expect(documentPrefixProblem('吕重污应急')).toBeNull();
    expect(documentPrefixProblem('')).not.toBeNull();
    expect(documentPrefixProblem('吕〔重〕')).not.toBeNull();
    expect(documentPrefixProblem('吕重污 应急')).not.toBeNull();
    expect(documentPrefixProblem('吕重污应急号')).not.toBeNull();
  });
});
