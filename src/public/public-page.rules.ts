import type { ChangeKind } from '../alerts/alert.rules';
import { formatTime } from '../common/time';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { PUBLIC_ADVICE } from './public-advice';

/** A warning in force (ACTIVE) as the public page needs it. */
export interface ActiveWarning {
  alertCode: string;
  level: WarningLevel;
  countyCodes: string[];
  effectiveAt: Date;
  expectedEndAt: Date | null;
}

/** A released revision not yet in effect (an issue, upgrade, lift … scheduled for later). */
export interface ScheduledRevision {
  alertCode: string;
  kind: ChangeKind;
  level: WarningLevel;
  countyCodes: string[];
  effectiveAt: Date;
}

/** How a change still to come reads: 12月02日 08:00起升级为红色预警. */
const SCHEDULED_VERBS: Record<ChangeKind, string> = {
  ISSUE: '实施',
  UPGRADE: '升级为',
  DOWNGRADE: '降级为',
  EXTEND: '延长',
  LIFT: '解除',
  CANCEL: '撤销',
};

export interface PublicCountyState {
  code: string;
  name: string;
  inForce: {
    level: WarningLevel;
    levelName: string;
    since: string;
    until: string | null;
    alertCode: string;
    advice: string;
  } | null;
  scheduled: Array<{ text: string; at: string; level: WarningLevel; kind: ChangeKind }>;
}

/**
 * Each county's public state: the warning in force there (if any) with the advice for its level, and the released
 * changes still to come, soonest first. Counties in the order given.
 */
export function publicCountyStates(
  counties: ReadonlyArray<{ code: string; name: string }>,
  active: readonly ActiveWarning[],
  scheduled: readonly ScheduledRevision[],
): PublicCountyState[] {
  const upcoming = [...scheduled].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  return counties.map((c) => {
    const w = active.find((a) => a.countyCodes.includes(c.code));
    return {
      code: c.code,
      name: c.name,
      inForce: w
        ? {
            level: w.level,
            levelName: `${LEVEL_NAMES[w.level]}预警`,
            since: formatTime(w.effectiveAt),
            until: w.expectedEndAt ? formatTime(w.expectedEndAt) : null,
            alertCode: w.alertCode,
            advice: PUBLIC_ADVICE[w.level],
          }
        : null,
      scheduled: upcoming
        .filter((s) => s.countyCodes.includes(c.code))
        .map((s) => ({
          at: formatTime(s.effectiveAt),
          text: `${formatTime(s.effectiveAt)}起${SCHEDULED_VERBS[s.kind]}${LEVEL_NAMES[s.level]}预警`,
          level: s.level,
          kind: s.kind,
        })),
    };
  });
}
