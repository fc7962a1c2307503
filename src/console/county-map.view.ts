import type { CountyMap } from '../regions/county-map.rules';
import type { CountyProgress } from '../orders/county-progress.service';
import { LEVEL_COLORS } from '../notifications/email-helpers';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/** What the map knows of one county: its level in force and scheduled, its warning. */
export interface MapCounty {
  code: string;
  level: WarningLevel | null;
  upcoming: WarningLevel | null;
  alertId: string | null;
  alertCode: string | null;
}

export interface MapShape {
  code: string;
  name: string;
  path: string;
  labelX: number;
  labelY: number;
  fill: string;
  /** The scheduled level's colour for the dashed outline, or null. */
  upcomingStroke: string | null;
  href: string | null;
  /** One line for the tooltip and the info panel, in Chinese. */
  summary: string;
  progress: string;
}

const NONE = '#e4e7eb';
/** A county with a warning scheduled but none in force: a light tint of the coming level. */
const TINTS: Record<WarningLevel, string> = {
  BLUE: '#dbe4ff',
  YELLOW: '#fff3bf',
  ORANGE: '#ffe8cc',
  RED: '#ffe3e3',
};

/** The county map's shapes coloured by level, with each county's warning and order progress (pure). */
export function countyMapView(
  map: CountyMap,
  counties: readonly MapCounty[],
  progress: readonly CountyProgress[],
): { width: number; height: number; shapes: MapShape[] } {
  const shapes = map.shapes.map((s): MapShape => {
    const c = counties.find((k) => k.code === s.code);
    const level = c?.level ?? null;
    const upcoming = c?.upcoming ?? null;
    const p = c?.alertId
      ? progress.find((r) => r.alertId === c.alertId && r.countyCode === s.code)
      : undefined;
    const state = level ? `${LEVEL_NAMES[level]}预警 ${c!.alertCode}` : '无预警';
    const next = upcoming ? `,即将生效:${LEVEL_NAMES[upcoming]}预警` : '';
    return {
      ...s,
      fill: level ? LEVEL_COLORS[level] : upcoming ? TINTS[upcoming] : NONE,
      upcomingStroke: upcoming ? LEVEL_COLORS[upcoming] : null,
      href: c?.alertId ? `/alerts/${c.alertId}` : null,
      summary: `${s.name}:${state}${next}`,
      progress: p
        ? `指令 ${p.total} 条,已签收 ${p.received},已落实 ${p.executed}${p.overdue ? `,逾期 ${p.overdue}` : ''}`
        : level
          ? '暂无指令'
          : '',
    };
  });
  // Outlined counties last, so their dashed borders are drawn over their neighbours' white ones.
  shapes.sort((a, b) => Number(a.upcomingStroke !== null) - Number(b.upcomingStroke !== null));
  return { width: map.width, height: map.height, shapes };
}

/**
 * One warning's counties for its own map (warning page, assessment): in its level once it has taken effect (also
 * after it ended), tinted as scheduled while it awaits approval or its effective time.
 */
export function warningCounties(alert: {
  id: string;
  code: string;
  status: string;
  level: WarningLevel;
  countyCodes: readonly string[];
}): MapCounty[] {
  const started = ['ACTIVE', 'LIFTED', 'EXPIRED'].includes(alert.status);
  const coming = ['PENDING_APPROVAL', 'ISSUED'].includes(alert.status);
  return alert.countyCodes.map((code) => ({
    code,
    level: started ? alert.level : null,
    upcoming: coming ? alert.level : null,
    alertId: alert.id,
    alertCode: alert.code,
  }));
}
