import type { WarningLevel } from './ruleset.types';

/** Lowest to highest. */
export const LEVEL_ORDER: Record<WarningLevel, number> = { BLUE: 1, YELLOW: 2, ORANGE: 3, RED: 4 };

export const LEVEL_NAMES: Record<WarningLevel, string> = {
  BLUE: '蓝色',
  YELLOW: '黄色',
  ORANGE: '橙色',
  RED: '红色',
};

export function compareLevels(a: WarningLevel | null, b: WarningLevel | null): number {
  return (a ? LEVEL_ORDER[a] : 0) - (b ? LEVEL_ORDER[b] : 0);
}

export interface ForecastDay {
  /** YYYY-MM-DD, consecutive days in order. */
  date: string;
  aqi: number;
  /** PM2.5, PM10, O3, NO2, SO2, CO or DUST; absent counts as PM2.5 (a colour-warning pollutant). */
  primaryPollutant?: string;
}
