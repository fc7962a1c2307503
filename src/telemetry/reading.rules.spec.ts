import {
  checkReading,
  pointRefusal,
  parseMeasuredAt,
  parsePointRef,
  parseValue,
  type ResolvedPoint,
} from './reading.rules';

const NOW = new Date('2026-11-28T10:00:00+08:00');
const CODE = '91141181MA0T00001X';

describe('reading rules', () => {
  it('takes a well-formed reading, upper-casing the credit code', () => {
    expect(
      checkReading(
        {
          point: `${CODE.toLowerCase()}/JL1`,
          metric: 'power_kw',
          at: '2026-11-28T09:15:00+08:00',
          value: 1200.5,
        },
        NOW,
      ),
    ).toEqual({
      ok: true,
      reading: {
        ref: { creditCode: CODE, code: 'JL1' },
        key: `${CODE}/JL1`,
        metric: 'POWER_KW',
        at: new Date('2026-11-28T01:15:00Z'),
        value: 1200.5,
      },
    });
  });

  it('names the field and the reason of each kind of bad reading', () => {
    const base = { point: `${CODE}/JL1`, metric: 'SO2', at: '2026-11-28T01:00:00Z', value: 1 };
    const reasonOf = (over: Record<string, unknown>) => {
      const r = checkReading({ ...base, ...over }, NOW);
      return r.ok ? null : [r.field, r.reason];
    };
    expect(reasonOf({ point: CODE })).toEqual(['point', '计量点应写成“统一社会信用代码/计量点编码”']);
    expect(reasonOf({ point: `123/JL1` })).toEqual(['point', '统一社会信用代码应为18位']);
    expect(reasonOf({ metric: 'CO2' })).toEqual(['metric', '指标应为 POWER_KW、SO2、NOX、PM、VOCS 之一']);
    expect(reasonOf({ at: '2026-11-28T09:00:00' })?.[1]).toMatch(/^时间需带时区/);
    expect(reasonOf({ at: '2026-13-40T09:00:00Z' })?.[1]).toMatch(/^时间不是有效的时间/);
    expect(reasonOf({ value: -0.1 })).toEqual(['value', '数值不能为负']);
    expect(reasonOf({ value: 'NaN' })).toEqual(['value', '数值应为有限的数字']);
    expect(reasonOf({ value: null })).toEqual(['value', '数值应为数字']);
    expect(checkReading([1], NOW)).toEqual({
      ok: false,
      field: 'reading',
      reason: '读数应为对象 {point, metric, at, value}',
    });
  });

  it('refuses a time more than an hour ahead or more than 400 days back', () => {
    expect(parseMeasuredAt('2026-11-28T11:00:00+08:00', NOW)).toBeInstanceOf(Date);
    expect(parseMeasuredAt('2026-11-28T11:00:01+08:00', NOW)).toBe('时间晚于当前时间');
    expect(parseMeasuredAt('2025-10-24T10:00:00+08:00', NOW)).toBeInstanceOf(Date);
    expect(parseMeasuredAt('2025-10-24T09:59:59+08:00', NOW)).toBe('时间早于400天前');
  });

  it('reads numbers given as text, and refuses empty text', () => {
    expect(parseValue('12.5')).toBe(12.5);
    expect(parseValue(' ')).toBe('数值应为有限的数字');
    expect(parseValue(Infinity)).toBe('数值应为有限的数字');
    expect(parsePointRef(`${CODE}/DA 01`)).toBe('计量点编码应为1至40位字母、数字、下划线或连字符');
  });

  it('refuses a point outside the source’s scope, and a metric its kind does not carry', () => {
    const line: ResolvedPoint = { id: 'p1', enterpriseId: 'e1', countyCode: '141181', kind: 'LINE_POWER' };
    const outlet: ResolvedPoint = { ...line, kind: 'OUTLET_CEMS' };
    expect(pointRefusal({ countyCode: '141181' }, line, 'POWER_KW')).toBeNull();
    expect(pointRefusal({ enterpriseId: 'e1' }, outlet, 'NOX')).toBeNull();
    expect(pointRefusal({ countyCode: '141102' }, line, 'POWER_KW')).toBe('计量点不在本数据源的范围内');
    expect(pointRefusal({ enterpriseId: 'e2' }, line, 'POWER_KW')).toBe('计量点不在本数据源的范围内');
    expect(pointRefusal({ countyCode: '141181' }, undefined, 'POWER_KW')).toBe('计量点不存在');
    expect(pointRefusal({ countyCode: '141181' }, line, 'SO2')).toBe('生产线计量点只接收 POWER_KW');
    expect(pointRefusal({ countyCode: '141181' }, outlet, 'POWER_KW')).toBe(
      '排口计量点只接收 SO2、NOX、PM、VOCS',
    );
  });
});
