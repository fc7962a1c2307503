import type { PlanVersionView } from '../enterprises/enterprises.service';
import { fieldValue, versionRows } from './plan-diff.view';

const version = (over: Partial<PlanVersionView> = {}): PlanVersionView => ({
  version: 2,
  season: '2026-2027',
  source: 'API',
  createdAt: new Date('2026-12-01T02:00:00Z'),
  createdBy: 'wang',
  createdByName: '王方案',
  measureCount: 3,
  relaxations: [],
  ...over,
});

describe('plan versions and their diff in words', () => {
  it('names who saved a version: the display name, 系统 for the service, else the login name', () => {
    expect(versionRows([version()])[0]).toMatchObject({ by: '王方案', source: '在线编辑' });
    expect(
      versionRows([version({ createdBy: 'system', createdByName: null, source: 'SEED' })])[0],
    ).toMatchObject({
      by: '系统',
      source: '初始数据',
    });
    expect(
      versionRows([version({ createdBy: 'gone', createdByName: null, source: 'IMPORT' })])[0],
    ).toMatchObject({
      by: 'gone',
      source: '清单导入',
    });
  });

  it('says the relaxations a version carries without codes', () => {
    const [row] = versionRows([
      version({
        relaxations: [
          {
            code: 'PLAN_RELAXES',
            level: 'ORANGE',
            line: 'JL1',
            message: '橙色预警 JL1:限产比例低于黄色预警(25% < 30%)',
            measureIndex: 1,
          },
        ],
      }),
    ]);
    expect(row.relaxations).toEqual(['橙色预警 JL1:限产比例低于黄色预警(25% < 30%)']);
  });

  it('writes each compared value with its unit', () => {
    expect(fieldValue('params.percent', 30)).toBe('30 %');
    expect(fieldValue('params.hours', 48)).toBe('48 小时');
    expect(fieldValue('params.unit', '炭化室')).toBe('炭化室');
    expect(fieldValue('params.unit', null)).toBe('无');
    expect(fieldValue('reduction.so2', 12.3456)).toBe('12.346 kg/d');
    expect(fieldValue('fromHour', null)).toBe('响应开始时');
    expect(fieldValue('toHour', 120)).toBe('第120小时');
    expect(fieldValue('verification', 'POWER_SUBMETER')).toBe('分表计电');
    expect(fieldValue('description', '停产')).toBe('停产');
  });
});
