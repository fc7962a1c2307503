import { creditCodeCheckChar } from '../../enterprises/credit-code.rules';
import type {
  EnterpriseInput,
  Emissions,
  Grade,
  MeasureInput,
  MeasureParams,
} from '../../enterprises/enterprise.types';
import { CITY_AREA_CODE } from '../../enterprises/emission-inventory.entity';
import { levelReduction } from '../../enterprises/plan.rules';
import { POLLUTANTS, type WarningLevel } from '../../rulesets/ruleset.types';
import type { StandingConditionInput } from '../../standing-conditions/standing-condition.rules';
import type { MeteringPointInput, PointLimits } from '../../telemetry/metering-point.rules';

/**
 * Synthetic but plausible demo list: ~200 enterprises in Lüliang's main industries with grades, lines,
 * baselines, plans and metering points, plus an inventory sized so that the city meets 10/20/30% at every level while one
 * county (石楼县) falls short at RED. Deterministic: the same seed gives the same list.
 */
export interface DemoList {
  /** Each with its metering points (issue 17): a power meter per line, CEMS on the stacks of industries that have them. */
  enterprises: Array<{ input: EnterpriseInput; measures: MeasureInput[]; points: MeteringPointInput[] }>;
  inventory: Map<string, Emissions>;
  shortCounty: string;
}

const SHORT_COUNTY = '141126'; // 石楼县
const LEVELS: WarningLevel[] = ['YELLOW', 'ORANGE', 'RED'];

/** Industry, how many, typical baseline (kg/d) and line names. */
const INDUSTRIES: Array<{
  code: string;
  count: number;
  suffix: string;
  base: Emissions;
  line: string;
  unit: string;
  capacity: number;
}> = [
  {
    code: 'COKING',
    count: 30,
    suffix: '焦化',
    base: { so2: 420, nox: 1300, pm: 260, vocs: 300 },
    line: '焦炉',
    unit: 't/a',
    capacity: 1_000_000,
  },
  {
    code: 'LONG_PROCESS_STEEL',
    count: 6,
    suffix: '钢铁',
    base: { so2: 3200, nox: 5200, pm: 2600, vocs: 380 },
    line: '烧结机',
    unit: 't/a',
    capacity: 3_000_000,
  },
  {
    code: 'SHORT_PROCESS_STEEL',
    count: 5,
    suffix: '特钢',
    base: { so2: 150, nox: 420, pm: 380, vocs: 60 },
    line: '电弧炉',
    unit: 't/a',
    capacity: 600_000,
  },
  {
    code: 'FERROALLOY',
    count: 20,
    suffix: '铁合金',
    base: { so2: 160, nox: 210, pm: 330, vocs: 20 },
    line: '矿热炉',
    unit: 't/a',
    capacity: 120_000,
  },
  {
    code: 'CEMENT',
    count: 14,
    suffix: '水泥',
    base: { so2: 260, nox: 1500, pm: 420, vocs: 40 },
    line: '熟料生产线',
    unit: 't/d',
    capacity: 4_500,
  },
  {
    code: 'LIME_KILN',
    count: 14,
    suffix: '石灰',
    base: { so2: 90, nox: 260, pm: 150, vocs: 10 },
    line: '石灰窑',
    unit: 't/a',
    capacity: 200_000,
  },
  {
    code: 'BRICK_KILN',
    count: 22,
    suffix: '新型建材',
    base: { so2: 70, nox: 110, pm: 60, vocs: 12 },
    line: '隧道窑',
    unit: '万块/a',
    capacity: 6_000,
  },
  {
    code: 'CASTING',
    count: 20,
    suffix: '铸造',
    base: { so2: 25, nox: 40, pm: 70, vocs: 45 },
    line: '冲天炉',
    unit: 't/a',
    capacity: 50_000,
  },
  {
    code: 'REFRACTORY',
    count: 14,
    suffix: '耐火材料',
    base: { so2: 60, nox: 120, pm: 90, vocs: 15 },
    line: '隧道窑',
    unit: 't/a',
    capacity: 80_000,
  },
  {
    code: 'CARBON',
    count: 11,
    suffix: '炭素',
    base: { so2: 110, nox: 140, pm: 95, vocs: 160 },
    line: '焙烧炉',
    unit: 't/a',
    capacity: 100_000,
  },
  {
    code: 'ALUMINA',
    count: 5,
    suffix: '铝业',
    base: { so2: 900, nox: 1400, pm: 520, vocs: 60 },
    line: '焙烧炉',
    unit: 't/a',
    capacity: 1_500_000,
  },
  {
    code: 'COAL_NITROGEN_FERTILISER',
    count: 8,
    suffix: '煤化工',
    base: { so2: 330, nox: 520, pm: 140, vocs: 380 },
    line: '气化炉',
    unit: 't/a',
    capacity: 300_000,
  },
  {
    code: 'OTHER',
    count: 28,
    suffix: '工贸',
    base: { so2: 30, nox: 45, pm: 40, vocs: 55 },
    line: '生产线',
    unit: 't/a',
    capacity: 20_000,
  },
];

/** Where industry sits: weights per county (the 平川四县 and 孝义/中阳/柳林 carry most heavy industry). */
const COUNTY_WEIGHTS: Array<[string, string, number]> = [
  ['141102', '离石', 6],
  ['141121', '文水', 12],
  ['141122', '交城', 14],
  ['141123', '兴县', 6],
  ['141124', '临县', 4],
  ['141125', '柳林', 12],
  ['141126', '石楼', 2],
  ['141127', '岚县', 5],
  ['141128', '方山', 4],
  ['141129', '中阳', 10],
  ['141130', '交口', 7],
  ['141181', '孝义', 22],
  ['141182', '汾阳', 12],
];

const WORDS = [
  '鑫达',
  '宏源',
  '金泰',
  '华晟',
  '恒通',
  '永丰',
  '瑞鑫',
  '晋阳',
  '昌盛',
  '东辉',
  '五麟',
  '文峰',
  '龙兴',
  '安泰',
  '德隆',
  '盛源',
  '泰昌',
  '汇丰',
  '聚源',
  '富源',
  '广汇',
  '三元',
  '兴盛',
  '中鑫',
  '佳诚',
  '荣达',
  '腾达',
  '天宇',
  '万通',
  '新泰',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '郭', '任', '武', '梁', '闫'];
const GIVEN = ['建国', '志强', '海军', '丽娟', '晓东', '红梅', '永刚', '文斌', '俊峰', '雪芳'];
const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const scale = (e: Emissions, f: number): Emissions => ({
  so2: round1(e.so2 * f),
  nox: round1(e.nox * f),
  pm: round1(e.pm * f),
  vocs: round1(e.vocs * f),
});

export function creditCodeFor(countyCode: string, serial: string): string {
  const first17 = `91${countyCode}${serial}`;
  return first17 + creditCodeCheckChar(first17);
}

function pickGrade(rand: () => number, industry: string, county: string): Grade {
  if (industry === 'OTHER') return 'UNGRADED';
  if (county === SHORT_COUNTY) return rand() < 0.6 ? 'C' : 'D';
  if (industry === 'CASTING' && rand() < 0.3) return rand() < 0.5 ? 'LEADING' : 'NON_LEADING';
  const r = rand();
  return r < 0.1 ? 'A' : r < 0.4 ? 'B' : r < 0.5 ? 'B_MINUS' : r < 0.85 ? 'C' : 'D';
}

/** Per-grade plan, as shares of the baseline cut at each level (at the start of the response). */
function plan(
  grade: Grade,
  industry: string,
  base: Emissions,
  line: string,
  protectedLoad: number | null,
): MeasureInput[] {
  const m = (
    level: WarningLevel,
    action: MeasureInput['action'],
    share: number,
    description: string,
    extra: Partial<MeasureInput> = {},
  ): MeasureInput => ({
    level,
    line,
    action,
    params: {},
    description,
    reduction: scale(base, share),
    verification:
      action === 'TRUCK_BAN_CN4' || action === 'STOP_ROAD_TRANSPORT'
        ? 'GATE_CAMERA'
        : action === 'VOLUNTARY'
          ? 'NOTICE_BOARD'
          : 'POWER_SUBMETER',
    ...extra,
  });
  if (protectedLoad !== null) {
    const cut = (100 - protectedLoad) / 100;
    return LEVELS.map((level) =>
      m(level, 'LIMIT_PERCENT', cut, `保障类企业按核定最大负荷${protectedLoad}%运行`, {
        params: { percent: 100 - protectedLoad },
      }),
    );
  }
  switch (grade) {
    case 'A_PLUS':
    case 'A':
    case 'LEADING':
      return [
        m('YELLOW', 'VOLUNTARY', 0.05, '自主减排'),
        m('ORANGE', 'VOLUNTARY', 0.08, '自主减排'),
        m('RED', 'VOLUNTARY', 0.1, '自主减排'),
      ];
    case 'B':
      if (industry === 'COKING') {
        return [
          m('YELLOW', 'EXTEND_COKING_HOURS', 0.25, '延长结焦时间至36小时', {
            params: { hours: 36 },
            verification: 'DCS',
          }),
          m('ORANGE', 'EXTEND_COKING_HOURS', 0.4, '延长结焦时间至48小时', {
            params: { hours: 48 },
            verification: 'DCS',
          }),
          m('RED', 'STOP_SHARE', 0.6, '停止装煤60%炭化室', { params: { share: 60, unit: '炭化室' } }),
          // The chambers still charged keep ORANGE's coking time: RED never relaxes ORANGE (plan-monotony.rules).
          m('RED', 'EXTEND_COKING_HOURS', 0.2, '其余炭化室延长结焦时间至48小时', {
            params: { hours: 48 },
            verification: 'DCS',
          }),
          m('RED', 'TRUCK_BAN_CN4', 0.03, '禁用国四及以下重型货车运输', { line: null }),
        ];
      }
      // The China-IV truck ban holds at every level from YELLOW on (it used to be dropped at ORANGE and RED).
      return [
        m('YELLOW', 'LIMIT_PERCENT', 0.2, '限产20%', { params: { percent: 20 } }),
        m('YELLOW', 'TRUCK_BAN_CN4', 0.03, '禁用国四及以下重型货车运输', { line: null }),
        m('ORANGE', 'LIMIT_PERCENT', 0.4, '限产40%', { params: { percent: 40 } }),
        m('ORANGE', 'TRUCK_BAN_CN4', 0.03, '禁用国四及以下重型货车运输', { line: null }),
        m('RED', 'STOP', 0.95, '停产'),
        m('RED', 'TRUCK_BAN_CN4', 0.03, '禁用国四及以下重型货车运输', { line: null }),
      ];
    case 'B_MINUS':
      return [
        m('YELLOW', 'LIMIT_PERCENT', 0.3, '限产30%', { params: { percent: 30 } }),
        m('ORANGE', 'LIMIT_PERCENT', 0.5, '限产50%', { params: { percent: 50 } }),
        m('RED', 'STOP', 0.95, '停产'),
      ];
    case 'C':
    case 'NON_LEADING':
      if (industry === 'LONG_PROCESS_STEEL') {
        return [
          m('YELLOW', 'STOP', 0.45, '烧结、球团生产线停产', { toHour: 120 }),
          m('YELLOW', 'STOP_SHARE', 0.25, '响应超过120小时后烧结、球团停产不少于50%', {
            fromHour: 120,
            params: { share: 50, unit: '生产线' },
          }),
          m('ORANGE', 'STOP', 0.7, '烧结、球团、石灰窑停产,高炉停产50%'),
          m('RED', 'STOP', 0.95, '停产'),
        ];
      }
      return [
        m('YELLOW', 'STOP_SHARE', 0.5, '停产50%生产线', { params: { share: 50, unit: '生产线' } }),
        m('ORANGE', 'STOP', 0.95, '停产'),
        m('RED', 'STOP', 0.95, '停产'),
        m('RED', 'TRUCK_BAN_CN4', 0.02, '禁用国四及以下重型货车运输', { line: null }),
      ];
    case 'D':
      return LEVELS.flatMap((level) => [
        m(level, 'STOP', 0.97, '停产'),
        m(level, 'STOP_ROAD_TRANSPORT', 0, '停止公路运输', { line: null, verification: 'GATE_CAMERA' }),
      ]);
    case 'UNGRADED':
      return [
        m('YELLOW', 'LIMIT_PERCENT', 0.2, '限产20%', { params: { percent: 20 } }),
        m('ORANGE', 'LIMIT_PERCENT', 0.35, '限产35%', { params: { percent: 35 } }),
        m('RED', 'LIMIT_PERCENT', 0.5, '限产50%', { params: { percent: 50 } }),
      ];
  }
}

export function generateDemoList(seed = 2026): DemoList {
  const rand = prng(seed);
  const totalWeight = COUNTY_WEIGHTS.reduce((n, [, , w]) => n + w, 0);
  const pickCounty = (): [string, string] => {
    let r = rand() * totalWeight;
    for (const [code, name, w] of COUNTY_WEIGHTS) if ((r -= w) < 0) return [code, name];
    return [COUNTY_WEIGHTS[0][0], COUNTY_WEIGHTS[0][1]];
  };
  const names = new Set<string>();
  const enterprises: DemoList['enterprises'] = [];
  let serial = 0;
  const nextSerial = () =>
    `MA0L${(serial++)
      .toString(31)
      .toUpperCase()
      .padStart(5, '0')
      .split('')
      .map((c) => CODE_ALPHABET[parseInt(c, 31)])
      .join('')}`;

  const add = (input: EnterpriseInput, measures: MeasureInput[], outlets?: DemoOutlet[]) =>
    enterprises.push({ input, measures, points: demoMeteringPoints(input, outlets) });
  const contact = (i: number) => ({
    name: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length],
    role: '环保负责人',
    email: `env${String(i).padStart(3, '0')}@demo.lvliang.example`,
    phone: `1390358${String(1000 + i).slice(-4)}`,
  });

  // The enterprises the 2023 action plan names (seed items 4-5), with their differentiated control: item 5's
  // deep-treatment caps hold at all times, so at every level (sinter flue gas PM/SO2/NOx ≤ 5/5/35 mg/m³; coke
  // oven flue gas PM/SO2/NOx/NMHC ≤ 5/15/50/60; charging, pushing, oven-head and dry-quenching stations
  // PM/SO2 ≤ 10/20).
  const named: Array<{
    name: string;
    county: string;
    industry: string;
    tags: string[];
    base: Emissions;
    line: string;
    caps: MeasureParams;
    stations: string[];
  }> = [
    {
      name: '山西中阳钢铁有限公司',
      county: '141129',
      industry: 'LONG_PROCESS_STEEL',
      tags: ['DIFFERENTIATED_CONTROL'],
      base: { so2: 4100, nox: 6300, pm: 3100, vocs: 420 },
      line: '烧结机',
      caps: { pm: 5, so2: 5, nox: 35 },
      stations: [],
    },
    {
      name: '山西福裕焦化有限公司',
      county: '141129',
      industry: 'COKING',
      tags: ['DIFFERENTIATED_CONTROL'],
      base: { so2: 520, nox: 1500, pm: 300, vocs: 340 },
      line: '5.5米焦炉',
      caps: { pm: 5, so2: 15, nox: 50, vocs: 60 },
      stations: ['装煤地面站', '推焦地面站', '机侧炉头烟除尘站', '干熄焦地面站'],
    },
    {
      name: '吕梁建龙实业有限公司',
      county: '141122',
      industry: 'LONG_PROCESS_STEEL',
      tags: [],
      base: { so2: 3800, nox: 5900, pm: 2900, vocs: 400 },
      line: '烧结机',
      caps: {},
      stations: [],
    },
  ];
  for (const n of named) {
    const i = enterprises.length;
    const measures = plan('B', n.industry, n.base, n.line, null);
    if (Object.keys(n.caps).length) {
      const caps = LEVELS.flatMap((level): MeasureInput[] => [
        {
          level,
          line: n.line,
          action: 'CONCENTRATION_CAP',
          params: n.caps,
          description: `差异化管控:${n.industry === 'COKING' ? '焦炉烟气' : '烧结烟气'}执行深度治理排放浓度限值`,
          reduction: scale(n.base, 0.02),
          verification: 'CEMS',
        },
        ...n.stations.map((station): MeasureInput => ({
          level,
          line: station,
          action: 'CONCENTRATION_CAP',
          params: { pm: 10, so2: 20 },
          description: `差异化管控:${station}颗粒物、二氧化硫排放浓度不超过10、20 mg/m³`,
          reduction: zero(),
          verification: 'CEMS',
        })),
      ]);
      measures.unshift(...caps);
    }
    names.add(n.name);
    add(
      {
        creditCode: creditCodeFor(n.county, nextSerial()),
        name: n.name,
        industry: n.industry,
        countyCode: n.county,
        address: null,
        longitude: null,
        latitude: null,
        grade: 'B',
        protected: false,
        controlTags: n.tags,
        contacts: [contact(i)],
        lines: [
          {
            code: 'L1',
            name: n.line,
            capacity: n.industry === 'COKING' ? 1_500_000 : 3_600_000,
            unit: 't/a',
          },
          ...n.stations.map((name, k) => ({ code: `L${k + 2}`, name })),
        ],
        baseline: n.base,
      },
      measures,
      // Their flue gas meets the deep-treatment caps at all times: the CEMS limits are the caps.
      Object.keys(n.caps).length
        ? [
            {
              name: n.industry === 'COKING' ? '焦炉烟囱' : '烧结机头烟囱',
              limits: n.caps,
            },
            ...n.stations.map((name) => ({ name, limits: { pm: 10, so2: 20 } })),
          ]
        : undefined,
    );
  }

  for (const ind of INDUSTRIES) {
    for (let k = 0; k < ind.count; k++) {
      const i = enterprises.length;
      let [countyCode, countyName] = pickCounty();
      if (ind.code === 'ALUMINA' || ind.code === 'LONG_PROCESS_STEEL')
        countyCode = k % 2 ? '141181' : '141129';
      if (countyCode === '141181') countyName = '孝义';
      if (countyCode === '141129') countyName = '中阳';
      let name = '';
      for (let attempt = 0; attempt < 50 && (name === '' || names.has(name)); attempt++) {
        name = `山西${countyName}${WORDS[Math.floor(rand() * WORDS.length)]}${attempt > 20 ? WORDS[Math.floor(rand() * WORDS.length)] : ''}${ind.suffix}有限公司`;
      }
      names.add(name);
      const factor = 0.4 + rand() * 1.2;
      const base = scale(ind.base, factor);
      const grade = pickGrade(rand, ind.code, countyCode);
      const isProtected = ind.code === 'CEMENT' && k < 2;
      const protectedLoad = isProtected ? 70 : null;
      const tags: string[] = [];
      if (ind.code === 'COKING' && rand() < 0.25) tags.push('NO_DRY_QUENCHING');
      if (['COKING', 'CEMENT', 'LONG_PROCESS_STEEL'].includes(ind.code) && countyCode === '141102')
        tags.push('BUILT_UP_AREA');
      const lon = 110.8 + rand() * 1.3;
      const lat = 36.9 + rand() * 1.5;
      add(
        {
          creditCode: creditCodeFor(countyCode, nextSerial()),
          name,
          industry: ind.code,
          countyCode,
          address: `${countyName}${['工业园区', '经济开发区', '循环经济园区'][k % 3]}${1 + (k % 30)}号`,
          longitude: Math.round(lon * 1e5) / 1e5,
          latitude: Math.round(lat * 1e5) / 1e5,
          grade,
          protected: isProtected,
          protectedReason: isProtected ? '协同处置城市生活垃圾和危险废物' : null,
          protectedMaxLoad: protectedLoad,
          controlTags: tags,
          contacts: [
            contact(i),
            ...(k % 4 === 0
              ? [
                  {
                    name: '值班室',
                    role: '24小时值班',
                    email: `duty${String(i).padStart(3, '0')}@demo.lvliang.example`,
                  },
                ]
              : []),
          ],
          lines: [
            {
              code: 'L1',
              name: `${k % 2 ? '1#' : '2#'}${ind.line}`,
              capacity: Math.round(ind.capacity * factor),
              unit: ind.unit,
            },
          ],
          baseline: base,
        },
        plan(grade, ind.code, base, `${k % 2 ? '1#' : '2#'}${ind.line}`, protectedLoad),
      );
    }
  }

  // Inventory: whole-society totals per county sized from the list, so the ratios come out as intended.
  const reductions = new Map<string, Record<WarningLevel, Emissions>>();
  for (const e of enterprises) {
    const county = reductions.get(e.input.countyCode) ?? {
      BLUE: zero(),
      YELLOW: zero(),
      ORANGE: zero(),
      RED: zero(),
    };
    for (const level of LEVELS) {
      const r = levelReduction(e.measures, level);
      for (const p of POLLUTANTS) county[level][p] += r[p];
    }
    reductions.set(e.input.countyCode, county);
  }
  const ratios: Record<string, number> = { YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 };
  const inventory = new Map<string, Emissions>();
  const city = zero();
  for (const [code, red] of reductions) {
    const inv = zero();
    for (const p of POLLUTANTS) {
      // Largest total that still meets every level (with 5% headroom); the short county is sized to miss RED.
      const fit = Math.min(...LEVELS.map((l) => red[l][p] / ratios[l])) * 0.95;
      inv[p] = Math.round(code === SHORT_COUNTY ? red.RED[p] / 0.27 : fit);
      city[p] += inv[p];
    }
    inventory.set(code, inv);
  }
  for (const [code] of COUNTY_WEIGHTS) if (!inventory.has(code)) inventory.set(code, zero());
  inventory.set(CITY_AREA_CODE, city);
  return { enterprises, inventory, shortCounty: SHORT_COUNTY };
}

/**
 * Electricity per unit of capacity at normal production (kWh per t, or per 万块 for bricks), rough figures of
 * each process, and the hours a year a line runs: a line's normal power is its capacity spread over those hours.
 */
const KWH_PER_UNIT: Record<string, number> = {
  COKING: 35,
  LONG_PROCESS_STEEL: 45,
  SHORT_PROCESS_STEEL: 420,
  FERROALLOY: 3500,
  CEMENT: 60,
  LIME_KILN: 40,
  BRICK_KILN: 500,
  CASTING: 110,
  REFRACTORY: 80,
  CARBON: 150,
  ALUMINA: 250,
  COAL_NITROGEN_FERTILISER: 600,
  OTHER: 50,
};
const HOURS_A_YEAR = 8000;
/** A dust-removal station (地面站, a line without a capacity): its fans. */
const STATION_KW = 900;

/** An outlet with CEMS: its name and limits (mg/m³). */
interface DemoOutlet {
  name: string;
  limits: PointLimits;
}

/** The stacks per industry with their ultra-low emission limits (超低排放, mg/m³); industries not listed have none. */
const OUTLETS: Record<string, DemoOutlet[]> = {
  COKING: [
    { name: '焦炉烟囱', limits: { so2: 30, nox: 150, pm: 10 } },
    { name: '装煤推焦地面站', limits: { so2: 50, pm: 10 } },
  ],
  LONG_PROCESS_STEEL: [
    { name: '烧结机头烟囱', limits: { so2: 35, nox: 50, pm: 10 } },
    { name: '高炉出铁场除尘', limits: { pm: 10 } },
  ],
  SHORT_PROCESS_STEEL: [{ name: '电炉烟气除尘', limits: { pm: 10 } }],
  FERROALLOY: [{ name: '矿热炉烟气除尘', limits: { pm: 10, so2: 50 } }],
  CEMENT: [
    { name: '窑尾烟囱', limits: { so2: 35, nox: 50, pm: 10 } },
    { name: '窑头除尘', limits: { pm: 10 } },
  ],
  LIME_KILN: [{ name: '石灰窑烟囱', limits: { so2: 50, nox: 100, pm: 10 } }],
  CARBON: [{ name: '焙烧炉烟囱', limits: { so2: 35, nox: 100, pm: 10, vocs: 40 } }],
  ALUMINA: [{ name: '焙烧炉烟囱', limits: { so2: 35, nox: 50, pm: 10 } }],
  COAL_NITROGEN_FERTILISER: [
    { name: '锅炉烟囱', limits: { so2: 35, nox: 50, pm: 10 } },
    { name: '尾气焚烧排口', limits: { vocs: 60 } },
  ],
};

/**
 * The demo enterprise's metering points: a LINE_POWER point per line (code = the line's code, name = its name,
 * normal power from its capacity), and an OUTLET_CEMS point DA001, DA002… per stack of its industry (or the
 * given ones). Pure and without randomness: the same enterprise always gets the same points.
 */
export function demoMeteringPoints(input: EnterpriseInput, outlets?: DemoOutlet[]): MeteringPointInput[] {
  const perUnit = KWH_PER_UNIT[input.industry] ?? KWH_PER_UNIT.OTHER;
  const lines = input.lines.map((l): MeteringPointInput => {
    const perHour =
      l.capacity == null ? null : l.unit === 't/d' ? l.capacity / 24 : l.capacity / HOURS_A_YEAR;
    const kw = perHour == null ? STATION_KW : perHour * perUnit;
    return {
      kind: 'LINE_POWER',
      code: l.code,
      name: l.name,
      normalPowerKw: Math.max(50, Math.round(kw / 10) * 10),
    };
  });
  const stacks = (outlets ?? OUTLETS[input.industry] ?? []).map((o, i): MeteringPointInput => ({
    kind: 'OUTLET_CEMS',
    code: `DA${String(i + 1).padStart(3, '0')}`,
    name: o.name,
    limits: o.limits,
  }));
  return [...lines, ...stacks];
}

function zero(): Emissions {
  return { so2: 0, nox: 0, pm: 0, vocs: 0 };
}

/** Seed item 5's basis, as the standing conditions quote it. */
const ITEM_5 =
  '吕梁市2023年大气污染防治行动计划 第5项(钢铁、焦化等重点行业深度治理;自2023年1月1日起实施差异化管控)';

/**
 * The demo's standing conditions (issue 18): seed item 5's deep-treatment caps for 山西中阳钢铁 (sinter flue gas
 * PM/SO2/NOx ≤ 5/5/35 mg/m³) and 山西福裕焦化 (coke oven flue gas PM/SO2/NOx/NMHC ≤ 5/15/50/60; charging, pushing,
 * oven-head and dry-quenching stations PM/SO2 ≤ 10/20), from 2023-01-01, on the outlets the demo gives them (found
 * by name, so the codes follow demoMeteringPoints). Pure.
 */
export function demoStandingConditions(list: DemoList): Array<{
  creditCode: string;
  conditions: StandingConditionInput[];
}> {
  const outletsOf = (e: DemoList['enterprises'][number], names: string[]) =>
    e.points.filter((p) => p.kind === 'OUTLET_CEMS' && names.includes(p.name ?? '')).map((p) => p.code);
  const specs: Record<string, Array<{ name: string; outlets: string[]; limits: PointLimits }>> = {
    山西中阳钢铁有限公司: [
      { name: '烧结机机头烟气深度治理限值', outlets: ['烧结机头烟囱'], limits: { pm: 5, so2: 5, nox: 35 } },
    ],
    山西福裕焦化有限公司: [
      { name: '焦炉烟气深度治理限值', outlets: ['焦炉烟囱'], limits: { pm: 5, so2: 15, nox: 50, vocs: 60 } },
      {
        name: '装煤、推焦、炉头烟、干熄焦地面站烟气深度治理限值',
        outlets: ['装煤地面站', '推焦地面站', '机侧炉头烟除尘站', '干熄焦地面站'],
        limits: { pm: 10, so2: 20 },
      },
    ],
  };
  return list.enterprises
    .filter((e) => specs[e.input.name])
    .map((e) => ({
      creditCode: e.input.creditCode,
      conditions: specs[e.input.name].map((s) => ({
        name: s.name,
        basis: ITEM_5,
        outlets: outletsOf(e, s.outlets),
        limits: s.limits,
        validFrom: '2023-01-01',
        validTo: null,
      })),
    }));
}
