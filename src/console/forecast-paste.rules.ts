/**
 * A forecast table pasted from a spreadsheet (Excel, WPS: tab-separated; CSV also read) into the consultation
 * grid. Rows are counties, columns days. Pure: the console's paste route runs it and re-renders the form filled.
 *
 * - An optional header row of dates (2026-12-01, 2026/12/1, 2026年12月1日, 12月1日, 12/1, 12-01; a weekday in
 *   brackets is ignored) sets the grid's dates; a month and day take the year nearest the grid's first day.
 * - An optional first column of county names (离石区, or 离石 without 区/县/市) says whose row it is; without one,
 *   rows are the grid's counties in its order.
 * - A cell is an AQI (0-500), or an AQI with its primary pollutant (`180 PM2.5`, `180/PM2.5`, `180(臭氧)`, or the
 *   pollutant first); empty, `-` or `—` clears the cell; an AQI alone keeps the pollutant the grid shows.
 * Row and column numbers in problems are those of the pasted table (1-based), so they can be found in the sheet.
 */

export interface PasteCounty {
  code: string;
  name: string;
}

export interface PastedCell {
  countyCode: string;
  day: number;
  /** null: the cell was empty in the sheet and is cleared. */
  aqi: number | null;
  /** A code of PRIMARY_POLLUTANTS, or null when the cell named none. */
  pollutant: string | null;
}

export interface PasteProblem {
  row: number;
  /** null when the whole row is concerned. */
  col: number | null;
  message: string;
}

export interface PasteResult {
  /** The grid's dates the header set, by day index. */
  dates: Array<{ day: number; date: string }>;
  cells: PastedCell[];
  problems: PasteProblem[];
  /** How many counties and how many days received an AQI. */
  counties: number;
  days: number;
}

export interface PasteOptions {
  /** The grid's counties in its order. */
  counties: readonly PasteCounty[];
  /** How many days the grid has. */
  days: number;
  /** The grid's first day (YYYY-MM-DD): a header's month and day take the year nearest it. */
  reference: string;
  /**
   * The grid cell the table was pasted into (county index, day), default the first: the table's first day lands
   * on that day, and without a name column its first row on that county.
   */
  at?: { county: number; day: number };
}

/** Pollutant names as written in forecasts (lower case, without spaces, after NFKC: O₃ → o3) → the form's codes. */
const POLLUTANTS: Record<string, string> = {
  'pm2.5': 'PM2.5',
  pm25: 'PM2.5',
  细颗粒物: 'PM2.5',
  pm10: 'PM10',
  可吸入颗粒物: 'PM10',
  o3: 'O3',
  'o3-8h': 'O3',
  o38h: 'O3',
  'o3-1h': 'O3',
  臭氧: 'O3',
  no2: 'NO2',
  二氧化氮: 'NO2',
  so2: 'SO2',
  二氧化硫: 'SO2',
  co: 'CO',
  一氧化碳: 'CO',
  沙尘: 'DUST',
  扬尘: 'DUST',
  浮尘: 'DUST',
  沙尘暴: 'DUST',
  dust: 'DUST',
};

/** The pollutant code a forecast's name stands for, or null. */
export function pollutantCode(name: string): string | null {
  return POLLUTANTS[name.normalize('NFKC').toLowerCase().replace(/\s+/g, '')] ?? null;
}

const BLANK = /^[-—–/\\]*$/;

const SEP = '[\\s/(\\[,;:、|]';
/** `180`, `180 PM2.5`, `180/PM2.5`, `180(臭氧)`, `180PM10`. */
const AQI_FIRST = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*(?:${SEP}*(\\D.*?)[)\\]\\s]*)?$`);
/** `PM2.5 180`, `臭氧/180`, `臭氧180`. */
const POLLUTANT_FIRST = new RegExp(`^(?:(.*?)${SEP}+|([^\\x00-\\x7f]+))(\\d+)[)\\]\\s]*$`);

const MAX_CELL = 40;

/** One cell: `{aqi, pollutant}`, or a problem in Chinese. */
export function parseCell(text: string): { aqi: number; pollutant: string | null } | { problem: string } {
  const t = text.normalize('NFKC').trim();
  // No forecast cell is long; a long one is not read at all (the patterns below backtrack on long runs).
  if (t.length > MAX_CELL) return { problem: `无法识别“${t.slice(0, 20)}…”` };
  const unreadable = { problem: `无法识别“${text.trim()}”` };
  const aqiFirst = AQI_FIRST.exec(t);
  if (aqiFirst) {
    if (!/^\d+$/.test(aqiFirst[1])) return { problem: `AQI“${aqiFirst[1]}”应为整数` };
    const aqi = Number(aqiFirst[1]);
    if (aqi > 500) return { problem: `AQI ${aqi} 超出0-500` };
    const name = aqiFirst[2]?.trim() ?? '';
    if (name === '') return { aqi, pollutant: null };
    const pollutant = pollutantCode(name);
    return pollutant ? { aqi, pollutant } : { problem: `无法识别首要污染物“${name}”` };
  }
  // The pollutant first: only a name known as a pollutant, so that `PM10` alone is not AQI 10 of "PM".
  const pollutantFirst = POLLUTANT_FIRST.exec(t);
  const pollutant = pollutantFirst ? pollutantCode(pollutantFirst[1] ?? pollutantFirst[2]) : null;
  if (!pollutantFirst || !pollutant) return unreadable;
  const aqi = Number(pollutantFirst[3]);
  return aqi > 500 ? { problem: `AQI ${aqi} 超出0-500` } : { aqi, pollutant };
}

const pad = (n: number) => String(n).padStart(2, '0');

function realDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
    ? `${y}-${pad(m)}-${pad(d)}`
    : null;
}

/** A header cell as a date (YYYY-MM-DD), or null; a month and day take the year nearest `reference`. */
export function parseHeaderDate(text: string, reference: string): string | null {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/\s*\((?:周|星期)?[一二三四五六日天]\)$/, '')
    .replace(/\s*(?:周|星期)[一二三四五六日天]$/, '');
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (full) return realDate(Number(full[1]), Number(full[2]), Number(full[3]));
  const md = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (!md) return null;
  const year = Number(reference.slice(0, 4));
  const ref = Date.parse(`${reference}T00:00:00Z`);
  const candidates = [year - 1, year, year + 1]
    .map((y) => realDate(y, Number(md[1]), Number(md[2])))
    .filter((d): d is string => d !== null);
  if (!candidates.length) return null;
  return candidates.reduce((best, d) =>
    Math.abs(Date.parse(`${d}T00:00:00Z`) - ref) < Math.abs(Date.parse(`${best}T00:00:00Z`) - ref) ? d : best,
  );
}

const bare = (name: string) =>
  name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^吕梁市?/, '')
    .replace(/[区县市]$/, '');

/** The county a name cell names (离石区, 离石, 吕梁市离石区), or undefined. */
export function countyByName(counties: readonly PasteCounty[], name: string): PasteCounty | undefined {
  const key = bare(name);
  return key === '' ? undefined : counties.find((c) => bare(c.name) === key);
}

const isDataCell = (cell: string) => !('problem' in parseCell(cell));

/** Reads the pasted table; see the file's comment. */
export function parseForecastPaste(text: string, opts: PasteOptions): PasteResult {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line, i) => ({ row: i + 1, line }))
    .filter(({ line }) => line.trim() !== '');
  const separator = lines.some(({ line }) => line.includes('\t')) ? '\t' : /[,,]/;
  const rows = lines.map(({ row, line }) => ({ row, cells: line.split(separator).map((c) => c.trim()) }));
  const problems: PasteProblem[] = [];
  const dates: PasteResult['dates'] = [];
  const cells: PastedCell[] = [];

  // A header: some cell is a date and none is a forecast.
  const first = rows[0];
  const header =
    first &&
    first.cells.some((c) => parseHeaderDate(c, opts.reference)) &&
    !first.cells.some((c) => c !== '' && isDataCell(c))
      ? first
      : undefined;
  const data = header ? rows.slice(1) : rows;
  // A name column: the header's first cell is no date (区县, or blank); else some row starts with a county's
  // name, or every row starts with something not a forecast (names misspelt: said so by row).
  const names = header
    ? !parseHeaderDate(header.cells[0], opts.reference)
    : data.some((r) => countyByName(opts.counties, r.cells[0])) ||
      (data.length > 0 && data.every((r) => !isDataCell(r.cells[0]) && !BLANK.test(r.cells[0])));
  const offset = names ? 1 : 0;
  const at = opts.at ?? { county: 0, day: 0 };
  const dayOf = (col: number) => col - offset + at.day;

  const overflow = (row: number, cellsOfRow: string[]) => {
    const beyond = cellsOfRow.findIndex((c, i) => dayOf(i) >= opts.days && c !== '');
    if (beyond >= 0) problems.push({ row, col: beyond + 1, message: `超出表格的${opts.days}天,未填入` });
  };

  if (header) {
    header.cells.forEach((c, i) => {
      const day = dayOf(i);
      if (day < 0 || day >= opts.days || c === '') return;
      const date = parseHeaderDate(c, opts.reference);
      if (date) dates.push({ day, date });
      else problems.push({ row: header.row, col: i + 1, message: `无法识别日期“${c}”` });
    });
    overflow(header.row, header.cells);
  }

  const seen = new Map<string, number>();
  data.forEach(({ row, cells: rowCells }, k) => {
    let county: PasteCounty | undefined;
    if (names) {
      county = countyByName(opts.counties, rowCells[0]);
      if (!county) {
        problems.push({ row, col: 1, message: `无法识别区县“${rowCells[0]}”,该行未填入` });
        return;
      }
      const earlier = seen.get(county.code);
      if (earlier !== undefined) {
        problems.push({ row, col: 1, message: `${county.name}与第${earlier}行重复,该行未填入` });
        return;
      }
      seen.set(county.code, row);
    } else {
      county = opts.counties[at.county + k];
      if (!county) {
        problems.push({ row, col: null, message: `超出表格的${opts.counties.length}个区县,该行未填入` });
        return;
      }
    }
    rowCells.forEach((c, i) => {
      const day = dayOf(i);
      if (i < offset || day >= opts.days) return;
      if (BLANK.test(c)) {
        cells.push({ countyCode: county.code, day, aqi: null, pollutant: null });
        return;
      }
      const parsed = parseCell(c);
      if ('problem' in parsed) problems.push({ row, col: i + 1, message: parsed.problem });
      else cells.push({ countyCode: county.code, day, ...parsed });
    });
    overflow(row, rowCells);
  });

  const filled = cells.filter((c) => c.aqi !== null);
  return {
    dates,
    cells,
    problems,
    counties: new Set(filled.map((c) => c.countyCode)).size,
    days: new Set(filled.map((c) => c.day)).size,
  };
}

/** How many problems the form lists; a sheet pasted whole into the wrong place would list hundreds. */
const MAX_PROBLEMS = 20;

/** What the form says after a paste: what it filled, and each problem by row and column. */
export function pasteSummary(result: PasteResult): { filled: string; problems: string[] } {
  const range = result.dates.length ? `,日期按表头设为${result.dates[0].date}起${result.dates.length}天` : '';
  return {
    filled: result.counties
      ? `已填入${result.counties}个区县×${result.days}天${range}`
      : `没有可填入的预报${range}`,
    problems: [
      ...result.problems
        .slice(0, MAX_PROBLEMS)
        .map((p) => `第${p.row}行${p.col === null ? '' : ` 第${p.col}列`}:${p.message}`),
      ...(result.problems.length > MAX_PROBLEMS
        ? [`另有${result.problems.length - MAX_PROBLEMS}处未能填入`]
        : []),
    ],
  };
}
