/**
 * Date cells of XLSX files read back (issue 20). A spreadsheet stores a date as a number of days (its serial) and
 * says it is a date only through the cell's number format; a reader that ignores the format reads 46357.458 where the
 * person typed 2026-12-01 11:00. A spreadsheet date has no zone: like the exports (xlsxDate), it is Beijing wall time.
 */

/**
 * Excel's built-in number formats that show a date or a time (ECMA-376 18.8.30, with the zh-CN ids 27–36 and
 * 50–58 that Chinese Excel and WPS write for 年月日 formats).
 */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/**
 * Whether a custom format code shows a date or time: a y, m, d, h or s (or 上午/下午, 年月日) outside quoted text,
 * escapes and [brackets] ([Red], [$-804], but [h] and [mm] elapsed times count), of the first section.
 */
export function isDateFormatCode(code: string): boolean {
  const first = code.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)[0];
  if (/\[(h+|m+|s+)\]/i.test(first)) return true;
  const bare = first
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_./g, '')
    .replace(/\*./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[ymdhs]|上午|下午|[年月日]/i.test(bare);
}

const attr = (tag: string, name: string): string | undefined =>
  new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

/** The indexes of the cell formats (a cell's `s` attribute) in styles.xml that show a date or time. */
export function dateStyleIndexes(stylesXml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<(?:\w+:)?numFmt\b[^>]*>/g)) {
    const id = attr(m[0], 'numFmtId');
    const code = attr(m[0], 'formatCode');
    if (id !== undefined && code !== undefined) custom.set(Number(id), unescapeXml(code));
  }
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml)?.[1] ?? '';
  const dates = new Set<number>();
  let index = 0;
  for (const m of cellXfs.matchAll(/<(?:\w+:)?xf\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (code !== undefined ? isDateFormatCode(code) : BUILTIN_DATE_FORMATS.has(id)) dates.add(index);
    index++;
  }
  return dates;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Whether workbook.xml counts days from 1904 (old Mac workbooks) rather than 1900. */
export function usesDate1904(workbookXml: string): boolean {
  const pr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbookXml)?.[0];
  const flag = pr ? attr(pr, 'date1904') : undefined;
  return flag === '1' || flag === 'true';
}

/** 1899-12-30, day 0 of the 1900 system as every reader counts it (Excel's phantom 1900-02-29 is before day 61). */
const EPOCH_1900_MS = Date.UTC(1899, 11, 30);
const EPOCH_1904_MS = Date.UTC(1904, 0, 1);

/**
 * A date cell's serial as the instant it shows in Beijing, `YYYY-MM-DDTHH:mm:ss+08:00`, to the nearest second
 * (serials carry floating-point noise below a millisecond); null for what is not a date a person could type.
 */
export function serialToBeijingIso(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2_958_466) return null; // 9999-12-31 is the last
  const wall = (date1904 ? EPOCH_1904_MS : EPOCH_1900_MS) + Math.round(serial * 86_400) * 1000;
  const iso = new Date(wall).toISOString(); // the wall time, read as if it were UTC
  return `${iso.slice(0, 19)}+08:00`;
}
