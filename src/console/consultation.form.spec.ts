import { consultationErrorKey, consultationFromForm } from './consultation.form';

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
});
