/**
 * The bench's generated enterprises (bench/run-bench.mjs, import-peak.mjs, profile-db.mjs): number `i` of the list, in
 * the import's input shape, with its 9 measures (3 levels × 3), so every script builds the same list.
 * `creditCodeFor` is dist/database/seeds/demo-enterprises.generator.js's.
 */
const counties = [
  '141102',
  '141121',
  '141122',
  '141123',
  '141124',
  '141125',
  '141126',
  '141127',
  '141128',
  '141129',
  '141130',
  '141181',
  '141182',
];
const industries = [
  'COKING',
  'FERROALLOY',
  'CEMENT',
  'LIME_KILN',
  'BRICK_KILN',
  'CASTING',
  'REFRACTORY',
  'CARBON',
];
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const GENERATED_SEASON = '2025-2026';

export function generatedEnterprise(i, creditCodeFor) {
  let serial = '';
  for (let k = 0, v = i; k < 5; k++, v = Math.floor(v / 31)) serial = alphabet[v % 31] + serial;
  const county = counties[i % counties.length];
  const base = { so2: 100 + (i % 50), nox: 200 + (i % 70), pm: 50 + (i % 30), vocs: 40 + (i % 20) };
  const cut = (f) => ({
    so2: Math.round(base.so2 * f),
    nox: Math.round(base.nox * f),
    pm: Math.round(base.pm * f),
    vocs: Math.round(base.vocs * f),
  });
  const measures = [];
  for (const [level, f] of [
    ['YELLOW', 0.1],
    ['ORANGE', 0.2],
    ['RED', 0.3],
  ]) {
    measures.push({
      level,
      line: 'L1',
      action: 'LIMIT_PERCENT',
      params: { percent: Math.round(f * 100) },
      description: `限产${Math.round(f * 100)}%`,
      reduction: cut(f),
      verification: 'POWER_SUBMETER',
    });
    measures.push({
      level,
      line: 'L2',
      action: 'STOP_SHARE',
      params: { share: 50, unit: '生产线' },
      description: '停产50%生产线',
      reduction: cut(f / 2),
      verification: 'DCS',
    });
    measures.push({
      level,
      line: null,
      action: 'TRUCK_BAN_CN4',
      params: {},
      description: '禁用国四及以下重型货车运输',
      reduction: cut(0.01),
      verification: 'GATE_CAMERA',
    });
  }
  return {
    enterprise: {
      creditCode: creditCodeFor(county, `MA0B${serial}`),
      name: `基准测试${industries[i % industries.length]}企业${i}有限公司`,
      industry: industries[i % industries.length],
      countyCode: county,
      address: `${county}工业园区${i}号`,
      longitude: 111.1,
      latitude: 37.5,
      grade: ['B', 'B_MINUS', 'C'][i % 3],
      protected: false,
      controlTags: [],
      contacts: [{ name: '张三', role: '环保负责人', email: `env${i}@bench.example`, phone: '13800000000' }],
      lines: [
        { code: 'L1', name: '1#生产线', capacity: 100000, unit: 't/a' },
        { code: 'L2', name: '2#生产线', capacity: 100000, unit: 't/a' },
      ],
      baseline: base,
    },
    measures,
  };
}
