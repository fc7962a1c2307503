/** All times the people see are Asia/Shanghai (UTC+8, no daylight saving). */
export const TIME_ZONE = 'Asia/Shanghai';

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
