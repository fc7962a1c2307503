import type { FieldError } from '../common/errors/domain-error';
import type { ForecastDay } from '../rulesets/level.rules';

/** DUST: a sand and dust day (沙尘), whatever its AQI's primary pollutant; it never starts a colour warning. */
export const PRIMARY_POLLUTANTS = ['PM2.5', 'PM10', 'O3', 'NO2', 'SO2', 'CO', 'DUST'] as const;
export const MAX_FORECAST_DAYS = 10;

/** What people read for each primary pollutant code. */
export const PRIMARY_POLLUTANT_NAMES: Record<(typeof PRIMARY_POLLUTANTS)[number], string> = {
  'PM2.5': 'PM2.5',
  PM10: 'PM10',
  O3: 'O₃',
  NO2: 'NO₂',
  SO2: 'SO₂',
  CO: 'CO',
  DUST: '沙尘',
};

export interface ForecastInput {
  countyCode: string;
  date: string;
  aqi: number;
  primaryPollutant: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Checks the forecast grid: known counties, real dates not before `today` (Shanghai), AQI an integer 0-500,
 * a known primary pollutant, and per county no duplicate dates, contiguous days, at most 10 days.
 */
export function validateForecasts(
  forecasts: ForecastInput[],
  opts: { counties: ReadonlySet<string>; today: string },
): FieldError[] {
  const errors: FieldError[] = [];
  if (forecasts.length === 0) errors.push({ field: 'forecasts', message: '至少需要一个区县的预报' });
  const byCounty = new Map<string, Array<{ date: string; index: number }>>();
  forecasts.forEach((f, i) => {
    const at = `forecasts[${i}]`;
    if (!opts.counties.has(f.countyCode))
      errors.push({ field: `${at}.countyCode`, message: `未知区县代码 ${f.countyCode}` });
    if (!isRealDate(f.date)) errors.push({ field: `${at}.date`, message: `日期“${f.date}”应为 YYYY-MM-DD` });
    else if (f.date < opts.today)
      errors.push({ field: `${at}.date`, message: `预报日期 ${f.date} 早于今天(${opts.today})` });
    if (!Number.isInteger(f.aqi) || f.aqi < 0 || f.aqi > 500)
      errors.push({ field: `${at}.aqi`, message: 'AQI 应为0-500之间的整数' });
    if (!(PRIMARY_POLLUTANTS as readonly string[]).includes(f.primaryPollutant)) {
      errors.push({
        field: `${at}.primaryPollutant`,
        message: `首要污染物应为 ${PRIMARY_POLLUTANTS.join('、')} 之一`,
      });
    }
    const list = byCounty.get(f.countyCode) ?? [];
    list.push({ date: f.date, index: i });
    byCounty.set(f.countyCode, list);
  });
  for (const [county, list] of byCounty) {
    const valid = list
      .filter((d) => isRealDate(d.date))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index));
    for (let k = 1; k < valid.length; k++) {
      const { date, index } = valid[k];
      if (date === valid[k - 1].date)
        errors.push({ field: `forecasts[${index}].date`, message: `${county} 的 ${date} 重复` });
      else if (date !== nextDate(valid[k - 1].date)) {
        errors.push({
          field: `forecasts[${index}].date`,
          message: `${county} 的预报日期不连续:${valid[k - 1].date} 之后应为 ${nextDate(valid[k - 1].date)}`,
        });
      }
    }
    if (list.length > MAX_FORECAST_DAYS) {
      errors.push({
        field: `forecasts[${list[MAX_FORECAST_DAYS].index}]`,
        message: `${county} 的预报超过${MAX_FORECAST_DAYS}天`,
      });
    }
  }
  return errors;
}

/** Each county's forecast days in date order. */
export function daysByCounty(forecasts: ForecastInput[]): Map<string, ForecastDay[]> {
  const map = new Map<string, ForecastDay[]>();
  for (const f of forecasts)
    map.set(f.countyCode, [
      ...(map.get(f.countyCode) ?? []),
      { date: f.date, aqi: f.aqi, primaryPollutant: f.primaryPollutant },
    ]);
  for (const days of map.values()) days.sort((a, b) => (a.date < b.date ? -1 : 1));
  return map;
}
