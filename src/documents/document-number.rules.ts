import { shanghaiDate } from '../common/time';

/** The issuer prefix of the 文号 when DOCUMENT_NUMBER_PREFIX is not set: 吕重污应急〔2026〕12号. */
export const DEFAULT_DOCUMENT_NUMBER_PREFIX = '吕重污应急';

/** The year a document number counts in: the Beijing calendar year of the release. */
export function documentYear(releasedAt: Date): number {
  return Number(shanghaiDate(releasedAt).slice(0, 4));
}

/** 吕重污应急〔2026〕12号: the issuer prefix, the year in 六角括号, the number of the year without zeros, 号. */
export function formatDocumentNumber(prefix: string, year: number, n: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`bad document year ${year}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bad document number ${n}`);
  return `${prefix}〔${year}〕${n}号`;
}

/** A prefix a person can read in a heading: no brackets of the number itself, no spaces, not too long. */
export function documentPrefixProblem(prefix: string): string | null {
  if (prefix.length === 0 || prefix.length > 20) return 'must be 1 to 20 characters';
  if (/[〔〕[\]()（）\s]|号$/.test(prefix))
    return 'must not hold brackets, spaces or end in 号 (they are added)';
  return null;
}
