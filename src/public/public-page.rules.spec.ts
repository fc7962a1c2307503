import { publicCountyStates } from './public-page.rules';

describe('publicCountyStates', () => {
  const counties = [
    { code: '141102', name: '离石区' },
    { code: '141181', name: '孝义市' },
    { code: '141126', name: '石楼县' },
  ];
  it('gives each county its warning in force with the advice for its level, and what is still to come, soonest first', () => {
    const states = publicCountyStates(
      counties,
      [
        {
          alertCode: '2026-003',
          level: 'ORANGE',
          countyCodes: ['141102', '141181'],
          effectiveAt: new Date('2026-12-01T08:00:00+08:00'),
          expectedEndAt: new Date('2026-12-04T00:00:00+08:00'),
        },
      ],
      [
        {
          alertCode: '2026-003',
          kind: 'LIFT',
          level: 'RED',
          countyCodes: ['141102'],
          effectiveAt: new Date('2026-12-03T12:00:00+08:00'),
        },
        {
          alertCode: '2026-003',
          kind: 'UPGRADE',
          level: 'RED',
          countyCodes: ['141102'],
          effectiveAt: new Date('2026-12-02T00:00:00+08:00'),
        },
      ],
    );
    expect(states[0].inForce).toMatchObject({
      level: 'ORANGE',
      levelName: '橙色预警',
      since: '2026年12月01日 08:00',
      until: '2026年12月04日 00:00',
    });
    expect(states[0].inForce?.advice).toContain('中小学、幼儿园减少户外活动');
    expect(states[0].scheduled.map((s) => s.text)).toEqual([
      '2026年12月02日 00:00起升级为红色预警',
      '2026年12月03日 12:00起解除红色预警',
    ]);
    expect(states[1].inForce?.level).toBe('ORANGE');
    expect(states[1].scheduled).toEqual([]);
    expect(states[2]).toEqual({ code: '141126', name: '石楼县', inForce: null, scheduled: [] });
  });
});
