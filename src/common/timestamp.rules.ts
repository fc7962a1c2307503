import { isISO8601 } from 'class-validator';

/** Date and time (seconds and fraction optional) followed by its zone: Z, ±hh:mm or ±hhmm (what Date reads). */
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/i;

export const TIMESTAMP_EXAMPLE = '2026-12-02T08:00:00+08:00';

/**
 * Why this is not a timestamp the API takes, or null. A time without a zone means Beijing time to a person and
 * UTC (or the server's zone) to JavaScript, eight hours apart, so the API refuses it rather than guess; the
 * console converts its datetime-local fields to +08:00 before calling the services.
 */
export function timestampProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `应为带时区的时间,如 ${TIMESTAMP_EXAMPLE}`;
  if (WITHOUT_ZONE.test(value))
    return `需带时区:不带时区的时间含义不明,请写成 ${TIMESTAMP_EXAMPLE}(北京时间)或以 Z 结尾(UTC)`;
  if (!WITH_ZONE.test(value) || !isISO8601(value, { strict: true }) || Number.isNaN(Date.parse(value)))
    return `不是有效的时间,应为带时区的时间,如 ${TIMESTAMP_EXAMPLE}`;
  return null;
}
