import type { FieldError } from '../common/errors/domain-error';

export const METERING_POINT_KINDS = ['LINE_POWER', 'OUTLET_CEMS'] as const;
export type MeteringPointKind = (typeof METERING_POINT_KINDS)[number];

export const METERING_POINT_KIND_NAMES: Record<MeteringPointKind, string> = {
  LINE_POWER: '生产线用电',
  OUTLET_CEMS: '排口在线监测',
};

export const MAX_POINTS_PER_ENTERPRISE = 200;

export interface PointLimits {
  so2?: number | null;
  nox?: number | null;
  pm?: number | null;
  vocs?: number | null;
}

export interface MeteringPointInput {
  kind: MeteringPointKind;
  code: string;
  name?: string | null;
  normalPowerKw?: number | null;
  limits?: PointLimits | null;
}

const CODE = /^[A-Za-z0-9_-]{1,40}$/;
const POLLUTANTS = ['so2', 'nox', 'pm', 'vocs'] as const;
const POLLUTANT_NAMES = { so2: '二氧化硫', nox: '氮氧化物', pm: '颗粒物', vocs: '挥发性有机物' };

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * What is wrong with an enterprise's metering points as a whole: a line point must name one of the
 * enterprise's lines and carry its normal power; an outlet point carries at least one limit and no power;
 * codes are unique. Each problem names its field (`points[2].normalPowerKw`) in Chinese.
 */
export function meteringPointProblems(
  points: MeteringPointInput[],
  lineCodes: readonly string[],
): FieldError[] {
  const problems: FieldError[] = [];
  if (points.length > MAX_POINTS_PER_ENTERPRISE)
    problems.push({ field: 'points', message: `计量点最多${MAX_POINTS_PER_ENTERPRISE}个` });
  const seen = new Set<string>();
  points.forEach((p, i) => {
    const at = (f: string) => `points[${i}]${f ? `.${f}` : ''}`;
    if (!CODE.test(p.code ?? '')) {
      problems.push({ field: at('code'), message: '计量点编码应为1至40位字母、数字、下划线或连字符' });
    } else if (seen.has(p.code.toUpperCase())) {
      problems.push({ field: at('code'), message: `计量点编码“${p.code}”重复` });
    }
    seen.add((p.code ?? '').toUpperCase());
    if (p.kind === 'LINE_POWER') {
      if (!lineCodes.includes(p.code))
        problems.push({ field: at('code'), message: `企业没有编码为“${p.code}”的生产线` });
      if (!positive(p.normalPowerKw))
        problems.push({ field: at('normalPowerKw'), message: '生产线须填写正常生产时的功率(kW,大于0)' });
      if (p.limits && POLLUTANTS.some((k) => p.limits?.[k] != null))
        problems.push({ field: at('limits'), message: '生产线计量点不设排放限值' });
    } else if (p.kind === 'OUTLET_CEMS') {
      if (p.normalPowerKw != null)
        problems.push({ field: at('normalPowerKw'), message: '排口计量点不填功率' });
      const given = POLLUTANTS.filter((k) => p.limits?.[k] != null);
      if (given.length === 0)
        problems.push({ field: at('limits'), message: '排口须至少填写一项污染物限值(mg/m³)' });
      for (const k of given)
        if (!positive(p.limits![k]))
          problems.push({ field: at(`limits.${k}`), message: `${POLLUTANT_NAMES[k]}限值应大于0(mg/m³)` });
    } else {
      problems.push({
        field: at('kind'),
        message: '类型应为 LINE_POWER(生产线用电)或 OUTLET_CEMS(排口在线监测)',
      });
    }
  });
  return problems;
}
