import { formatTime } from '../common/time';
import { compareLevels, LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/** A provincial dispatch order (调度令) or a regional warning (区域预警). */
export const DIRECTIVE_KINDS = ['DISPATCH_ORDER', 'REGIONAL_WARNING'] as const;
export type DirectiveKind = (typeof DIRECTIVE_KINDS)[number];

export const DIRECTIVE_KIND_NAMES: Record<DirectiveKind, string> = {
  DISPATCH_ORDER: '省级调度令',
  REGIONAL_WARNING: '区域预警',
};

export const DIRECTIVE_STATUSES = ['SCHEDULED', 'IN_FORCE', 'ENDED', 'LIFTED'] as const;
export type DirectiveStatus = (typeof DIRECTIVE_STATUSES)[number];

export const DIRECTIVE_STATUS_NAMES: Record<DirectiveStatus, string> = {
  SCHEDULED: '未开始',
  IN_FORCE: '执行中',
  ENDED: '已到期',
  LIFTED: '已解除',
};

/** What the rules read of a directive. */
export interface DirectiveFacts {
  number: string;
  kind: DirectiveKind;
  level: WarningLevel;
  countyCodes: readonly string[];
  startAt: Date;
  /** Null: until lifted. */
  endAt: Date | null;
  liftedAt: Date | null;
}

const ms = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;

/** When the directive stops binding: its end or its lift, whichever comes first (null: open). */
export function bindingEnd(d: DirectiveFacts): Date | null {
  if (d.liftedAt && ms(d.liftedAt) < ms(d.endAt)) return d.liftedAt;
  return d.endAt;
}

/**
 * Its status at an instant. It binds on [startAt, end), the end being its own end or its lift, whichever is
 * first: at exactly startAt it is in force, at exactly its end (or lift) it no longer is. A lift before the start
 * withdraws it (LIFTED); a lift recorded for a later time leaves it in force until then.
 */
export function directiveStatus(d: DirectiveFacts, at: Date): DirectiveStatus {
  const t = at.getTime();
  if (d.liftedAt && t >= d.liftedAt.getTime() && ms(d.liftedAt) <= ms(d.endAt)) return 'LIFTED';
  if (d.endAt && t >= d.endAt.getTime()) return 'ENDED';
  if (t < d.startAt.getTime()) return 'SCHEDULED';
  return 'IN_FORCE';
}

/** Does the directive bind this county at this instant (in force, and naming the county)? */
export function bindsCounty(d: DirectiveFacts, countyCode: string, at: Date): boolean {
  return directiveStatus(d, at) === 'IN_FORCE' && d.countyCodes.includes(countyCode);
}

/** Does the directive bind at some time of [from, to) (a null `to` open)? A withdrawn directive never does. */
export function bindsDuring(d: DirectiveFacts, from: Date, to: Date | null): boolean {
  const end = bindingEnd(d);
  if (end && end.getTime() <= d.startAt.getTime()) return false;
  return from.getTime() < ms(end) && d.startAt.getTime() < ms(to);
}

/** A warning as the floor reads it: its counties, the level it holds them at and its span. */
export interface WarningCover {
  countyCodes: readonly string[];
  level: WarningLevel;
  start: Date;
  /** Its lift or expected end; null: open. */
  end: Date | null;
}

/**
 * The directive's counties that the warnings leave below its level (需启动): those no warning covers at its
 * level or higher at some time of the directive's remaining binding span, [max(at, start), end). None once it
 * has ended or been lifted. `warnings` are the approved ones (issued or in force): a draft does not answer yet.
 */
export function countiesBelow(d: DirectiveFacts, warnings: readonly WarningCover[], at: Date): string[] {
  const status = directiveStatus(d, at);
  if (status === 'ENDED' || status === 'LIFTED') return [];
  const from = new Date(Math.max(at.getTime(), d.startAt.getTime()));
  const end = bindingEnd(d);
  return d.countyCodes.filter(
    (c) =>
      !warnings.some(
        (w) =>
          w.countyCodes.includes(c) &&
          compareLevels(w.level, d.level) >= 0 &&
          w.start.getTime() < ms(end) &&
          from.getTime() < ms(w.end),
      ),
  );
}

/**
 * What a warning change would do to its counties, as the floor judges it:
 * - a draft (ISSUE) or a downgrade holds `countyCodes` at `level` over [from, to);
 * - a lift or a cancel leaves them with no warning at all from `from` on (`level: null`), judged at that instant
 *   for a lift, and over the span the warning would have covered for a cancel.
 */
export type FloorProposal =
  | {
      kind: 'ISSUE' | 'DOWNGRADE';
      level: WarningLevel;
      countyCodes: readonly string[];
      from: Date;
      to: Date | null;
    }
  | { kind: 'LIFT'; countyCodes: readonly string[]; at: Date }
  | { kind: 'CANCEL'; countyCodes: readonly string[]; from: Date; to: Date | null };

export interface FloorViolation<D extends DirectiveFacts = DirectiveFacts> {
  directive: D;
  /** The directive's counties the change would leave below its level. */
  countyCodes: string[];
}

/** The directives a change would break, each with the counties it would leave below its level. */
export function floorViolations<D extends DirectiveFacts>(
  directives: readonly D[],
  p: FloorProposal,
): Array<FloorViolation<D>> {
  return directives.flatMap((d) => {
    const shared = p.countyCodes.filter((c) => d.countyCodes.includes(c));
    if (shared.length === 0) return [];
    const binds = p.kind === 'LIFT' ? directiveStatus(d, p.at) === 'IN_FORCE' : bindsDuring(d, p.from, p.to);
    if (!binds) return [];
    const below = p.kind === 'ISSUE' || p.kind === 'DOWNGRADE' ? compareLevels(p.level, d.level) < 0 : true;
    return below ? [{ directive: d, countyCodes: shared }] : [];
  });
}

/**
 * The directives a new warning answers: those binding at some time of its span that name one of its counties.
 * A directive named explicitly (`named`) is included whatever its counties and time.
 */
export function answeredDirectives<D extends DirectiveFacts & { id: string }>(
  directives: readonly D[],
  warning: { countyCodes: readonly string[]; start: Date; end: Date | null },
  named: string | null,
): D[] {
  return directives.filter(
    (d) =>
      d.id === named ||
      (warning.countyCodes.some((c) => d.countyCodes.includes(c)) &&
        bindsDuring(d, warning.start, warning.end)),
  );
}

/**
 * The floor refusal for people: "省级调度令 晋气防办调〔2026〕4号 要求文水县、交城县不低于橙色预警
 * (2026年11月29日 00:00起至解除)".
 */
export function describeViolations(
  list: readonly FloorViolation[],
  countyName: (code: string) => string,
): string {
  return list
    .map(
      ({ directive: d, countyCodes }) =>
        `${DIRECTIVE_KIND_NAMES[d.kind]} ${d.number} 要求${countyCodes.map(countyName).join('、')}不低于${LEVEL_NAMES[d.level]}预警(${formatTime(d.startAt)}起至${d.endAt ? formatTime(d.endAt) : '解除'})`,
    )
    .join(';');
}
