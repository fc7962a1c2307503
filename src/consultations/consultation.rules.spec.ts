import { daysByCounty, type ForecastInput, nextDate, validateForecasts } from './consultation.rules';

const counties = new Set(['141102', '141181']);
const f = (over: Partial<ForecastInput> = {}): ForecastInput => ({
  countyCode: '141102',
  date: '2026-11-29',
  aqi: 180,
  primaryPollutant: 'PM2.5',
  ...over,
});
const check = (list: ForecastInput[]) =>
  validateForecasts(list, { counties, today: '2026-11-28' }).map((e) => e.field);

describe('validateForecasts', () => {
  it('accepts contiguous days per county, today included', () => {
    expect(
      check([
        f({ date: '2026-11-28' }),
        f({ date: '2026-11-29' }),
        f({ countyCode: '141181', date: '2026-11-30' }),
      ]),
    ).toEqual([]);
  });

  it.each<[Partial<ForecastInput>, string]>([
    [{ countyCode: '999999' }, 'forecasts[0].countyCode'],
    [{ aqi: 501 }, 'forecasts[0].aqi'],
    [{ aqi: -1 }, 'forecasts[0].aqi'],
    [{ aqi: 150.5 }, 'forecasts[0].aqi'],
    [{ primaryPollutant: 'PM1' }, 'forecasts[0].primaryPollutant'],
    [{ date: '2026-02-30' }, 'forecasts[0].date'],
    [{ date: '29/11/2026' }, 'forecasts[0].date'],
    [{ date: '2026-11-27' }, 'forecasts[0].date'],
  ])('names the field for %p', (over, field) => {
    expect(check([f(over)])).toEqual([field]);
  });

  it('rejects duplicate and non-contiguous dates, naming the offending entry', () => {
    expect(check([f(), f()])).toEqual(['forecasts[1].date']);
    expect(check([f({ date: '2026-11-29' }), f({ date: '2026-12-01' })])).toEqual(['forecasts[1].date']);
  });

  it('rejects more than 10 days for a county', () => {
    const eleven = Array.from({ length: 11 }, (_, i) =>
      f({ date: `2026-12-${String(i + 1).padStart(2, '0')}` }),
    );
    expect(check(eleven)).toEqual(['forecasts[10]']);
  });

  it('needs at least one forecast', () => {
    expect(check([])).toEqual(['forecasts']);
  });
});

describe('daysByCounty and nextDate', () => {
  it('groups and sorts by date', () => {
    const map = daysByCounty([f({ date: '2026-11-30', aqi: 3 }), f({ date: '2026-11-29', aqi: 2 })]);
    expect(map.get('141102')).toEqual([
      { date: '2026-11-29', aqi: 2, primaryPollutant: 'PM2.5' },
      { date: '2026-11-30', aqi: 3, primaryPollutant: 'PM2.5' },
    ]);
  });

  it('crosses month and year ends', () => {
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
  });
});
