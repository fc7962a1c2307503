import {
  countyByName,
  parseCell,
  parseForecastPaste,
  parseHeaderDate,
  pasteSummary,
  pollutantCode,
} from './forecast-paste.rules';

/** Lüliang's 13 counties in the grid's order (as seeded). */
const COUNTIES = [
  ['141102', '离石区'],
  ['141121', '文水县'],
  ['141122', '交城县'],
  ['141123', '兴县'],
  ['141124', '临县'],
  ['141125', '柳林县'],
  ['141126', '石楼县'],
  ['141127', '岚县'],
  ['141128', '方山县'],
  ['141129', '中阳县'],
  ['141130', '交口县'],
  ['141181', '孝义市'],
  ['141182', '汾阳市'],
].map(([code, name]) => ({ code, name }));

const opts = { counties: COUNTIES, days: 10, reference: '2026-12-01' };
const tsv = (...rows: string[][]) => rows.map((r) => r.join('\t')).join('\r\n');

describe('pasting a forecast table from a spreadsheet', () => {
  it('reads a header of dates and a column of county names: the whole grid, 13 counties × 7 days', () => {
    const header = ['区县', '12月1日', '12月2日', '12月3日', '12月4日', '12月5日', '12月6日', '12月7日'];
    const rows = COUNTIES.map((c, k) => [
      c.name,
      ...[0, 1, 2, 3, 4, 5, 6].map((d) => String(100 + k * 10 + d)),
    ]);
    const result = parseForecastPaste(`${tsv(header, ...rows)}\r\n`, opts);
    expect(result.problems).toEqual([]);
    expect(result.dates).toEqual([
      { day: 0, date: '2026-12-01' },
      { day: 1, date: '2026-12-02' },
      { day: 2, date: '2026-12-03' },
      { day: 3, date: '2026-12-04' },
      { day: 4, date: '2026-12-05' },
      { day: 5, date: '2026-12-06' },
      { day: 6, date: '2026-12-07' },
    ]);
    expect(result.cells).toHaveLength(91);
    expect(result.cells[0]).toEqual({ countyCode: '141102', day: 0, aqi: 100, pollutant: null });
    expect(result.cells.at(-1)).toEqual({ countyCode: '141182', day: 6, aqi: 226, pollutant: null });
    expect(pasteSummary(result)).toEqual({
      filled: '已填入13个区县×7天,日期按表头设为2026-12-01起7天',
      problems: [],
    });
  });

  it('reads every way of writing a date, a month and day taking the year nearest the grid’s first day', () => {
    expect(parseHeaderDate('2026-12-01', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('2026/12/1', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('2026年12月1日', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('12月1日', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('12/1', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('12-01', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('12月1日(周二)', '2026-11-30')).toBe('2026-12-01');
    expect(parseHeaderDate('12月1日 星期二', '2026-11-30')).toBe('2026-12-01');
    // Across the new year, both ways.
    expect(parseHeaderDate('1月2日', '2026-12-30')).toBe('2027-01-02');
    expect(parseHeaderDate('12/31', '2027-01-01')).toBe('2026-12-31');
    expect(parseHeaderDate('2月30日', '2026-12-30')).toBeNull();
    expect(parseHeaderDate('2026-02-30', '2026-12-30')).toBeNull();
    expect(parseHeaderDate('明天', '2026-12-30')).toBeNull();
  });

  it('finds counties by their name, without the 区/县/市 suffix, or with the city before it', () => {
    expect(countyByName(COUNTIES, '离石区')?.code).toBe('141102');
    expect(countyByName(COUNTIES, '离石')?.code).toBe('141102');
    expect(countyByName(COUNTIES, '孝义')?.code).toBe('141181');
    expect(countyByName(COUNTIES, '兴')?.code).toBe('141123');
    expect(countyByName(COUNTIES, '吕梁市离石区')?.code).toBe('141102');
    expect(countyByName(COUNTIES, ' 交 口 ')?.code).toBe('141130');
    expect(countyByName(COUNTIES, '太原')).toBeUndefined();
    expect(countyByName(COUNTIES, '')).toBeUndefined();

    const result = parseForecastPaste(tsv(['孝义', '210', '220'], ['汾阳', '150']), opts);
    expect(result.problems).toEqual([]);
    expect(result.dates).toEqual([]);
    expect(result.cells).toEqual([
      { countyCode: '141181', day: 0, aqi: 210, pollutant: null },
      { countyCode: '141181', day: 1, aqi: 220, pollutant: null },
      { countyCode: '141182', day: 0, aqi: 150, pollutant: null },
    ]);
    expect(pasteSummary(result).filled).toBe('已填入2个区县×2天');
  });

  it('takes rows in the grid’s order when there is no name column', () => {
    const result = parseForecastPaste('180\t190\n120\t-\n', opts);
    expect(result.cells).toEqual([
      { countyCode: '141102', day: 0, aqi: 180, pollutant: null },
      { countyCode: '141102', day: 1, aqi: 190, pollutant: null },
      { countyCode: '141121', day: 0, aqi: 120, pollutant: null },
      // An empty cell (here a dash) clears the grid's cell.
      { countyCode: '141121', day: 1, aqi: null, pollutant: null },
    ]);
    expect(pasteSummary(result).filled).toBe('已填入2个区县×2天');
    // A header of dates without a name column.
    const dated = parseForecastPaste('12/2\t12/3\n200\t210', opts);
    expect(dated.dates).toEqual([
      { day: 0, date: '2026-12-02' },
      { day: 1, date: '2026-12-03' },
    ]);
    expect(dated.cells.map((c) => [c.countyCode, c.day, c.aqi])).toEqual([
      ['141102', 0, 200],
      ['141102', 1, 210],
    ]);
  });

  it('reads the primary pollutant by name, however written, as the form’s codes', () => {
    expect(parseCell('180 PM2.5')).toEqual({ aqi: 180, pollutant: 'PM2.5' });
    expect(parseCell('180/PM2.5')).toEqual({ aqi: 180, pollutant: 'PM2.5' });
    expect(parseCell('180/pm25')).toEqual({ aqi: 180, pollutant: 'PM2.5' });
    expect(parseCell('180(PM10)')).toEqual({ aqi: 180, pollutant: 'PM10' });
    expect(parseCell('180PM10')).toEqual({ aqi: 180, pollutant: 'PM10' });
    expect(parseCell('160 O3')).toEqual({ aqi: 160, pollutant: 'O3' });
    expect(parseCell('160 O₃')).toEqual({ aqi: 160, pollutant: 'O3' });
    expect(parseCell('160 O3-8h')).toEqual({ aqi: 160, pollutant: 'O3' });
    expect(parseCell('160臭氧')).toEqual({ aqi: 160, pollutant: 'O3' });
    expect(parseCell('160(臭氧)')).toEqual({ aqi: 160, pollutant: 'O3' });
    expect(parseCell('120 NO₂')).toEqual({ aqi: 120, pollutant: 'NO2' });
    expect(parseCell('120 so2')).toEqual({ aqi: 120, pollutant: 'SO2' });
    expect(parseCell('90 CO')).toEqual({ aqi: 90, pollutant: 'CO' });
    expect(parseCell('320 沙尘')).toEqual({ aqi: 320, pollutant: 'DUST' });
    expect(parseCell('320/扬尘')).toEqual({ aqi: 320, pollutant: 'DUST' });
    expect(parseCell('PM2.5 180')).toEqual({ aqi: 180, pollutant: 'PM2.5' });
    expect(parseCell('臭氧160')).toEqual({ aqi: 160, pollutant: 'O3' });
    expect(parseCell('１８０')).toEqual({ aqi: 180, pollutant: null });
    expect(pollutantCode('细颗粒物')).toBe('PM2.5');
    expect(pollutantCode('雾霾')).toBeNull();
  });

  it('says what it could not read, by the pasted table’s row and column, and fills the rest', () => {
    const text = tsv(
      ['', '12月1日', '明天', '12月3日'],
      ['离石区', '180', '190', '200'],
      ['孝义市', '210', 'abc', '220 雾霾'],
      ['太原市', '100', '100', '100'],
      ['汾阳', '600', '180.5', 'PM10'],
      ['离石', '100'],
    );
    const result = parseForecastPaste(text, opts);
    expect(pasteSummary(result).problems).toEqual([
      '第1行 第3列:无法识别日期“明天”',
      '第3行 第3列:无法识别“abc”',
      '第3行 第4列:无法识别首要污染物“雾霾”',
      '第4行 第1列:无法识别区县“太原市”,该行未填入',
      '第5行 第2列:AQI 600 超出0-500',
      '第5行 第3列:AQI“180.5”应为整数',
      '第5行 第4列:无法识别“PM10”',
      '第6行 第1列:离石区与第2行重复,该行未填入',
    ]);
    expect(result.dates).toEqual([
      { day: 0, date: '2026-12-01' },
      { day: 2, date: '2026-12-03' },
    ]);
    expect(result.cells.map((c) => `${c.countyCode}.${c.day}=${c.aqi}`)).toEqual([
      '141102.0=180',
      '141102.1=190',
      '141102.2=200',
      '141181.0=210',
    ]);
    expect(pasteSummary(result).filled).toBe('已填入2个区县×3天,日期按表头设为2026-12-01起2天');
  });

  it('refuses what does not fit the grid: more counties or days than it has', () => {
    const rows = Array.from({ length: 14 }, () => ['100']);
    const result = parseForecastPaste(tsv(...rows), opts);
    expect(pasteSummary(result).problems).toEqual(['第14行:超出表格的13个区县,该行未填入']);
    expect(result.counties).toBe(13);
    const wide = parseForecastPaste(tsv(['孝义', ...Array.from({ length: 12 }, () => '100')]), opts);
    expect(pasteSummary(wide).problems).toEqual(['第1行 第12列:超出表格的10天,未填入']);
    expect(wide.days).toBe(10);
  });

  it('reads comma-separated text too, skips blank lines, and says when nothing could be filled', () => {
    const result = parseForecastPaste('孝义市,210,220\n\n汾阳市,150', opts);
    expect(result.cells.map((c) => [c.countyCode, c.day, c.aqi])).toEqual([
      ['141181', 0, 210],
      ['141181', 1, 220],
      ['141182', 0, 150],
    ]);
    expect(pasteSummary(result).problems).toEqual([]);
    expect(pasteSummary(parseForecastPaste('', opts))).toEqual({ filled: '没有可填入的预报', problems: [] });
    // Misspelt names in every row are names still, each said by row.
    expect(pasteSummary(parseForecastPaste('离时\t100\n孝仪\t100', opts)).problems).toEqual([
      '第1行 第1列:无法识别区县“离时”,该行未填入',
      '第2行 第1列:无法识别区县“孝仪”,该行未填入',
    ]);
  });

  it('lands a table pasted into a grid cell at that cell: its county (without names) and its day', () => {
    const at = { county: 11, day: 8 };
    const result = parseForecastPaste('210\t220\t230\n150\t160\n140', { ...opts, at });
    expect(result.cells.map((c) => `${c.countyCode}.${c.day}=${c.aqi}`)).toEqual([
      '141181.8=210',
      '141181.9=220',
      '141182.8=150',
      '141182.9=160',
    ]);
    expect(pasteSummary(result).problems).toEqual([
      '第1行 第3列:超出表格的10天,未填入',
      '第3行:超出表格的13个区县,该行未填入',
    ]);
    // With names, the rows go by name and the days still start at the cell's.
    const named = parseForecastPaste('区县\t12/5\n离石\t180', { ...opts, at });
    expect(named.dates).toEqual([{ day: 8, date: '2026-12-05' }]);
    expect(named.cells).toEqual([{ countyCode: '141102', day: 8, aqi: 180, pollutant: null }]);
  });

  it('reads no long cell, and lists at most 20 problems with a count of the rest', () => {
    expect(parseCell(`1${' '.repeat(50_000)}x`)).toEqual({ problem: '无法识别“1                   …”' });
    const rows = Array.from({ length: 30 }, (_, i) => `孝义\t${i}x`);
    const { problems } = pasteSummary(parseForecastPaste(rows.join('\n'), opts));
    expect(problems).toHaveLength(21);
    expect(problems[0]).toBe('第1行 第2列:无法识别首要污染物“x”');
    expect(problems[20]).toBe('另有10处未能填入');
  });
});
