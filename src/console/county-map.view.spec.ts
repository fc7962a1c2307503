import { countyMapView, warningCounties } from './county-map.view';

const map = {
  width: 100,
  height: 100,
  shapes: [
    { code: '141181', name: '孝义市', path: 'M0,0Z', labelX: 1, labelY: 2 },
    { code: '141182', name: '汾阳市', path: 'M1,1Z', labelX: 3, labelY: 4 },
    { code: '141102', name: '离石区', path: 'M2,2Z', labelX: 5, labelY: 6 },
  ],
};

describe('countyMapView', () => {
  it('colours each county by its level in force, outlines the scheduled one, links its warning with progress', () => {
    const view = countyMapView(
      map,
      [
        { code: '141181', level: 'ORANGE', upcoming: 'RED', alertId: 'a1', alertCode: '2026-003' },
        { code: '141182', level: null, upcoming: 'YELLOW', alertId: null, alertCode: null },
      ],
      [
        { alertId: 'a1', countyCode: '141181', total: 12, received: 10, executed: 8, overdue: 1 },
        { alertId: 'a1', countyCode: '141182', total: 5, received: 5, executed: 5, overdue: 0 },
      ],
    );
    // Outlined (scheduled) counties are drawn last.
    expect(view.shapes.map((s) => s.code)).toEqual(['141102', '141181', '141182']);
    expect(view.shapes[1]).toEqual({
      code: '141181',
      name: '孝义市',
      path: 'M0,0Z',
      labelX: 1,
      labelY: 2,
      fill: '#f08c00',
      upcomingStroke: '#d0021b',
      href: '/alerts/a1',
      summary: '孝义市:橙色预警 2026-003,即将生效:红色预警',
      progress: '指令 12 条,已签收 10,已落实 8,逾期 1',
    });
    // No warning in force: a tint of the coming level, no link; the scheduled level still shows.
    expect(view.shapes[2]).toMatchObject({
      fill: '#fff3bf',
      upcomingStroke: '#f5c400',
      href: null,
      summary: '汾阳市:无预警,即将生效:黄色预警',
      progress: '',
    });
    expect(view.shapes[0]).toMatchObject({ summary: '离石区:无预警', fill: '#e4e7eb', upcomingStroke: null });
  });
});

describe('warningCounties', () => {
  const alert = { id: 'a1', code: '2026-003', level: 'RED' as const, countyCodes: ['141181', '141182'] };

  it('colours a warning that took effect (also once ended) and tints one still to come', () => {
    expect(warningCounties({ ...alert, status: 'ACTIVE' })[0]).toEqual({
      code: '141181',
      level: 'RED',
      upcoming: null,
      alertId: 'a1',
      alertCode: '2026-003',
    });
    expect(warningCounties({ ...alert, status: 'LIFTED' }).map((c) => c.level)).toEqual(['RED', 'RED']);
    expect(warningCounties({ ...alert, status: 'ISSUED' })[1]).toMatchObject({
      level: null,
      upcoming: 'RED',
    });
    expect(warningCounties({ ...alert, status: 'CANCELLED' })[0]).toMatchObject({
      level: null,
      upcoming: null,
    });
  });
});
