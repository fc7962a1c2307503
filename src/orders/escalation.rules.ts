import { CONTROL_TAGS, type ControlTag } from '../enterprises/enterprise.types';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/**
 * Tags and places that bite (issue 18): an enterprise under differentiated control, without dry quenching, in a
 * built-up area, or in one of the 平川四县 is held to stricter measures during a warning when the ruleset says so:
 * it takes its plan's measures of the next level up (an orange warning gives it its red measures). One step, however
 * many reasons apply; the top level stays the top level; a plan without measures at the next level keeps its own.
 * OrdersService and the preview apply it in SQL (orderScopeCtes) from `escalationParams`; the e2e test
 * escalation.e2e-spec.ts runs both over every combination.
 */
export const ESCALATION_SOURCES = [...CONTROL_TAGS, 'JOINT_CONTROL_AREA'] as const;
export type EscalationSource = ControlTag | 'JOINT_CONTROL_AREA';

export const ESCALATION_SOURCE_NAMES: Record<EscalationSource, string> = {
  DIFFERENTIATED_CONTROL: '差异化管控企业',
  NO_DRY_QUENCHING: '未完成干熄焦改造的焦化企业',
  BUILT_UP_AREA: '位于建成区的重污染企业',
  JOINT_CONTROL_AREA: '位于平川四县(太原及周边“1+30”联防联控区)',
};

/** What a source does to a warning's measures. Only NEXT_LEVEL for now (ruleset data: `definition.escalations`). */
export type WarningEscalation = 'NEXT_LEVEL';
export type EscalationSettings = Partial<Record<EscalationSource, WarningEscalation>>;

/** Which of the enterprise's tags and places the ruleset escalates, in the order of ESCALATION_SOURCES. */
export function escalationSources(
  e: { controlTags: readonly string[]; jointControlArea: boolean },
  settings: EscalationSettings | undefined,
): EscalationSource[] {
  if (!settings) return [];
  return ESCALATION_SOURCES.filter(
    (s) =>
      settings[s] === 'NEXT_LEVEL' &&
      (s === 'JOINT_CONTROL_AREA' ? e.jointControlArea : e.controlTags.includes(s)),
  );
}

/** The level above `level` among the ruleset's levels (lowest first), or `level` itself at the top. */
export function nextLevel(level: WarningLevel, levels: readonly WarningLevel[]): WarningLevel {
  const i = levels.indexOf(level);
  return i >= 0 && i + 1 < levels.length ? levels[i + 1] : level;
}

/** The level whose plan measures the enterprise takes: the next one when escalated and its plan has measures there. */
export function measureLevel(
  level: WarningLevel,
  levels: readonly WarningLevel[],
  sources: readonly EscalationSource[],
  planLevels: readonly string[],
): WarningLevel {
  if (sources.length === 0) return level;
  const next = nextLevel(level, levels);
  return planLevels.includes(next) ? next : level;
}

/** The values the SQL twin takes: the next level, the escalated tags, whether the joint-control area escalates. */
export function escalationParams(
  level: WarningLevel,
  levels: readonly WarningLevel[],
  settings: EscalationSettings | undefined,
): { nextLevel: WarningLevel; tags: string[]; joint: boolean } {
  return {
    nextLevel: nextLevel(level, levels),
    tags: CONTROL_TAGS.filter((t) => settings?.[t] === 'NEXT_LEVEL'),
    joint: settings?.JOINT_CONTROL_AREA === 'NEXT_LEVEL',
  };
}

/** The sentence of the notice: 贵单位为差异化管控企业、位于平川四县…,按规定从严管控,执行红色预警减排措施。 */
export function escalationSentence(
  sources: readonly string[],
  level: WarningLevel,
  taken: WarningLevel | null,
): string | null {
  if (sources.length === 0 || !taken || taken === level) return null;
  const names = sources.map((s) => ESCALATION_SOURCE_NAMES[s as EscalationSource] ?? s).join('、');
  return `贵单位为${names},按规定从严管控,执行${LEVEL_NAMES[taken]}预警减排措施。`;
}
