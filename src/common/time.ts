/**
 * Asia/Shanghai time, in one place. All times the people see are Shanghai time (UTC+8, no daylight saving).
 * Pure functions of the instant given: callers pass `clock.now()`, never the machine's clock.
 */
export const TIME_ZONE = 'Asia/Shanghai';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // no daylight saving: a fixed offset is exact
const pad = (n: number) => String(n).padStart(2, '0');

const DATE_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) in Shanghai at this instant. */
export function shanghaiDate(at: Date): string {
  return DATE_FORMAT.format(at);
}

/** The instant a Shanghai calendar date (YYYY-MM-DD) begins: 00:00 at UTC+8. */
export function shanghaiDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** "2026年11月29日 00:00" in Shanghai. Plain arithmetic: Intl formatting cost more than the rest of a mail. */
export function formatTime(value: Date | string | null): string {
  if (value === null || value === '') return '—';
  const d = new Date(new Date(value).getTime() + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}年${pad(d.getUTCMonth() + 1)}月${pad(d.getUTCDate())}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * A `datetime-local` value ("2026-11-29T08:00", or with seconds when the field has a step) read as Shanghai
 * time, as ISO 8601 with offset: the API refuses times without a zone, and a form means Beijing time.
 */
export function shanghaiIso(local: string | undefined): string | undefined {
  const v = (local ?? '').trim();
  if (v === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return `${v}:00+08:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(v)) return `${v}+08:00`;
  return v; // already carries an offset, or is no time at all: the caller's validator decides
}

/** The `datetime-local` value ("2026-11-29T08:00") showing this instant in Shanghai. */
export function shanghaiLocalInput(at: Date | string | null | undefined): string {
  if (!at) return '';
  return new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** A calendar date (YYYY-MM-DD) as 12月05日, for Chinese text. */
export function formatMonthDay(date: string): string {
  return `${date.slice(5, 7)}月${date.slice(8, 10)}日`;
}

/** "12-01 10:20" in Shanghai: a compact time for a table row (the year is the page's). */
export function formatShortTime(value: Date | string): string {
  const d = new Date(new Date(value).getTime() + SHANGHAI_OFFSET_MS);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The instant as ISO 8601 in Beijing time with its offset, to the second ("2026-12-01T10:00:00+08:00"), for
 * exports people open in a spreadsheet (CSV, and the JSON beside it): the wall time they know, and still exact.
 * `'millisecond'` keeps the milliseconds ("2026-12-01T10:00:00.123+08:00"): the log lines' `time`, where lines
 * of one second must still sort. Empty for no time.
 */
export function shanghaiTimestamp(
  value: Date | string | null | undefined,
  precision: 'second' | 'millisecond' = 'second',
): string {
  if (value === null || value === undefined || value === '') return '';
  const d = new Date(new Date(value).getTime() + SHANGHAI_OFFSET_MS);
  return `${d.toISOString().slice(0, precision === 'second' ? 19 : 23)}+08:00`;
}
