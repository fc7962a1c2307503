import { meteringPointProblems } from './metering-point.rules';
import { bearerKey, hashApiKey, newApiKey } from './api-key.rules';

describe('metering point rules', () => {
  it('accepts a line with its power and an outlet with limits', () => {
    expect(
      meteringPointProblems(
        [
          { kind: 'LINE_POWER', code: 'JL1', normalPowerKw: 800 },
          { kind: 'OUTLET_CEMS', code: 'DA001', limits: { so2: 35, nox: null } },
        ],
        ['JL1'],
      ),
    ).toEqual([]);
  });

  it('names each problem by its field', () => {
    expect(
      meteringPointProblems(
        [
          { kind: 'LINE_POWER', code: 'JL1', normalPowerKw: 0, limits: { so2: 1 } },
          { kind: 'OUTLET_CEMS', code: 'jl1', normalPowerKw: 5, limits: { pm: -1 } },
          { kind: 'OTHER' as 'LINE_POWER', code: 'a b' },
        ],
        ['JL1'],
      ),
    ).toEqual([
      { field: 'points[0].normalPowerKw', message: '生产线须填写正常生产时的功率(kW,大于0)' },
      { field: 'points[0].limits', message: '生产线计量点不设排放限值' },
      { field: 'points[1].code', message: '计量点编码“jl1”重复' },
      { field: 'points[1].normalPowerKw', message: '排口计量点不填功率' },
      { field: 'points[1].limits.pm', message: '颗粒物限值应大于0(mg/m³)' },
      { field: 'points[2].code', message: '计量点编码应为1至40位字母、数字、下划线或连字符' },
      { field: 'points[2].kind', message: '类型应为 LINE_POWER(生产线用电)或 OUTLET_CEMS(排口在线监测)' },
    ]);
  });
});

describe('API keys', () => {
  it('makes random keys whose hash, not the key, identifies them', () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(a.key).toMatch(/^hzt_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4, 20));
    expect(a.prefix).toBe(a.key.slice(0, 12));
  });

  it('reads only a Bearer key shaped like ours', () => {
    expect(bearerKey('Bearer hzt_abc')).toBe('hzt_abc');
    expect(bearerKey('bearer  hzt_abc ')).toBe('hzt_abc');
    expect(bearerKey('Bearer some.jwt.token')).toBeNull();
    expect(bearerKey('Basic hzt_abc')).toBeNull();
    expect(bearerKey(undefined)).toBeNull();
  });
});
