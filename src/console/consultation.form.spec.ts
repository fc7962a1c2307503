import {
  consultationErrorKey,
  consultationFromForm,
  copiedConsultation,
  withPaste,
} from './consultation.form';

describe('consultation form', () => {
  const body = {
    heldAt: '2026-11-28T15:00',
    participants: '市生态环境局\n市气象局, 专家组',
    opinion: '静稳天气',
    'date.0': '2026-11-29',
    'date.1': '2026-11-30',
    'aqi.141102.0': '210',
    'pollutant.141102.0': 'PM2.5',
    'aqi.141102.1': 'x1',
    'aqi.141181.1': '305',
    'pollutant.141181.1': 'PM10',
    directiveKind: '',
  };

  it('sends only the filled cells, with their dates and pollutants', () => {
    const { plain, cellOf } = consultationFromForm(body, ['141102', '141181']);
    expect(plain).toMatchObject({
      heldAt: '2026-11-28T15:00:00+08:00',
      participants: ['市生态环境局', '市气象局', '专家组'],
      forecasts: [
        { countyCode: '141102', date: '2026-11-29', aqi: 210, primaryPollutant: 'PM2.5' },
        { countyCode: '141102', date: '2026-11-30', aqi: 'x1', primaryPollutant: 'PM2.5' },
        { countyCode: '141181', date: '2026-11-30', aqi: 305, primaryPollutant: 'PM10' },
      ],
    });
    expect(plain).not.toHaveProperty('directive');
    expect(cellOf).toEqual(['aqi.141102.0', 'aqi.141102.1', 'aqi.141181.1']);
  });

  it('includes a directive when its kind is chosen', () => {
    const { plain } = consultationFromForm(
      {
        ...body,
        directiveKind: 'DISPATCH_ORDER',
        directiveNumber: '晋4号',
        directiveLevel: 'ORANGE',
        directiveCounties: ['141181'],
        directiveFrom: '2026-11-29T00:00',
      },
      ['141102'],
    );
    expect(plain.directive).toEqual({
      kind: 'DISPATCH_ORDER',
      number: '晋4号',
      level: 'ORANGE',
      countyCodes: ['141181'],
      from: '2026-11-29T00:00:00+08:00',
    });
  });

  it('puts errors on the grid cell or form input they concern', () => {
    const cellOf = ['aqi.141102.0', 'aqi.141102.1'];
    expect(consultationErrorKey('forecasts[1].aqi', cellOf)).toBe('aqi.141102.1');
    expect(consultationErrorKey('directive.countyCodes', cellOf)).toBe('directiveCountyCodes');
    expect(consultationErrorKey('heldAt', cellOf)).toBe('heldAt');
  });

  it('lays a paste on the grid: header dates, cells set or cleared, a pollutant only where one was named', () => {
    const values = withPaste(
      { 'date.0': '2026-11-29', 'aqi.141102.1': '150', 'pollutant.141102.1': 'O3', opinion: '静稳' },
      {
        dates: [{ day: 0, date: '2026-12-01' }],
        cells: [
          { countyCode: '141102', day: 0, aqi: 210, pollutant: 'PM10' },
          { countyCode: '141102', day: 1, aqi: 160, pollutant: null },
          { countyCode: '141181', day: 0, aqi: null, pollutant: null },
        ],
        problems: [],
        counties: 1,
        days: 2,
      },
    );
    expect(values).toEqual({
      'date.0': '2026-12-01',
      'aqi.141102.0': '210',
      'pollutant.141102.0': 'PM10',
      'aqi.141102.1': '160',
      'pollutant.141102.1': 'O3',
      'aqi.141181.0': '',
      opinion: '静稳',
    });
  });

  it('copies an earlier consultation by date: its day 2 becomes day 1, the days after its last stay blank', () => {
    const forecast = (countyCode: string, ...aqi: number[]) =>
      aqi.map((v, i) => ({
        countyCode,
        date: `2026-12-0${1 + i}`,
        aqi: v,
        primaryPollutant: i ? 'PM2.5' : 'O3',
      }));
    const copied = copiedConsultation(
      {
        participants: ['市生态环境局', '市气象局'],
        forecasts: [...forecast('141181', 160, 210, 220), ...forecast('141102', 90)],
      },
      ['2026-12-02', '2026-12-03', '2026-12-04'],
    );
    expect(copied).toEqual({
      values: {
        participants: '市生态环境局\n市气象局',
        opinion: '',
        'date.0': '2026-12-02',
        'date.1': '2026-12-03',
        'date.2': '2026-12-04',
        'aqi.141181.0': '210',
        'pollutant.141181.0': 'PM2.5',
        'aqi.141181.1': '220',
        'pollutant.141181.1': 'PM2.5',
      },
      counties: 1,
      days: 2,
    });
  });
});
