import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../common/errors/domain-error';
import { tooLong } from '../enterprises/enterprise.rules';
import {
  CONTROL_TAGS,
  type ControlTag,
  type Emissions,
  type Grade,
  GRADE_NAMES,
  GRADE_ONE_LOWER,
  GRADES,
  MEASURE_ACTIONS,
  type MeasureAction,
  type MeasureParams,
  VERIFICATION_METHODS,
  type VerificationMethod,
} from '../enterprises/enterprise.types';
import { PLAN_LIMITS, paramErrors } from '../enterprises/plan.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { POLLUTANTS, type WarningLevel } from '../rulesets/ruleset.types';

/**
 * Tags and places that bite (issue 18): an enterprise under differentiated control, without dry quenching, in a
 * built-up area, or in one of the 平川四县 is held to stricter measures during a warning when the ruleset says so,
 * per source, one of three treatments:
 * - NEXT_LEVEL: it takes its plan's measures of the next level up (an orange warning gives it its red measures). One
 *   step, however many reasons apply; the top level stays the top level; a plan without measures at the next level
 *   keeps its own.
 * - GRADE_LOWER: it is treated as one grade lower (A as B, LEADING as NON_LEADING): a voluntary grade's notice becomes
 *   a mandatory one (its plan's measures must be taken, not merely considered).
 * - ADD_MEASURES (`{add: [template…]}`): its order carries, besides its plan's measures (of its level, or the next
 *   one when another source says NEXT_LEVEL), the listed measures, each on the whole enterprise for the whole
 *   response (addedMeasures).
 * OrdersService and the preview apply it in SQL (orderScopeCtes) from `escalationParams`; the e2e test
 * escalation.e2e-spec.ts runs both over every enterprise.
 */
export const ESCALATION_SOURCES = [...CONTROL_TAGS, 'JOINT_CONTROL_AREA'] as const;
export type EscalationSource = ControlTag | 'JOINT_CONTROL_AREA';

export const ESCALATION_SOURCE_NAMES: Record<EscalationSource, string> = {
  DIFFERENTIATED_CONTROL: '差异化管控企业',
  NO_DRY_QUENCHING: '未完成干熄焦改造的焦化企业',
  BUILT_UP_AREA: '位于建成区的重污染企业',
  JOINT_CONTROL_AREA: '位于平川四县(太原及周边“1+30”联防联控区)',
};

/** The short names an added measure's description ends with: 禁止公路运输(差异化管控企业从严措施). */
export const ESCALATION_SOURCE_SHORT_NAMES: Record<EscalationSource, string> = {
  DIFFERENTIATED_CONTROL: '差异化管控企业',
  NO_DRY_QUENCHING: '未完成干熄焦改造焦化企业',
  BUILT_UP_AREA: '建成区重污染企业',
  JOINT_CONTROL_AREA: '平川四县',
};

/** A measure a ruleset adds for a source: on the whole enterprise, for the whole response. */
export interface AddedMeasureTemplate {
  action: MeasureAction;
  params?: MeasureParams;
  description: string;
  /** Counted in adequacy only when the ruleset gives one (kg/d); zeros otherwise. */
  reduction?: Emissions;
  /** How it is checked; OTHER when not given. */
  verification?: VerificationMethod;
}

/**
 * What a source does to a warning's measures (ruleset data: `definition.escalations`): the next level's measures,
 * treatment as one grade lower (a voluntary grade's notice becomes mandatory: A in a built-up area as B), or measures
 * added.
 */
export type WarningEscalation = 'NEXT_LEVEL' | 'GRADE_LOWER' | { add: readonly AddedMeasureTemplate[] };
export type EscalationSettings = Partial<Record<EscalationSource, WarningEscalation>>;

/** A measure as the order carries it (the plan's level_measures shape), marked with the source that added it. */
export interface AddedMeasure {
  line: null;
  action: MeasureAction;
  params: MeasureParams;
  description: string;
  reduction: Emissions;
  verification: VerificationMethod;
  fromHour: null;
  toHour: null;
  escalation: EscalationSource;
}

/** A plan measure as far as the duplicate check sees it. */
export interface PlanMeasureLike {
  line?: string | null;
  action: string;
  params?: MeasureParams | null;
  fromHour?: number | null;
  toHour?: number | null;
}

const ZERO: Emissions = { so2: 0, nox: 0, pm: 0, vocs: 0 };

/** The sources the ruleset holds to the next level's measures. */
export function stepUpSources(settings: EscalationSettings | undefined): EscalationSource[] {
  return ESCALATION_SOURCES.filter((s) => settings?.[s] === 'NEXT_LEVEL');
}

/** The sources the ruleset treats as one grade lower. */
export function gradeLowerSources(settings: EscalationSettings | undefined): EscalationSource[] {
  return ESCALATION_SOURCES.filter((s) => settings?.[s] === 'GRADE_LOWER');
}

/** The grade the enterprise is treated as: one lower per GRADE_LOWER source that applies (D stays D). */
export function gradeTaken(
  grade: Grade,
  sources: readonly EscalationSource[],
  settings: EscalationSettings | undefined,
): Grade {
  let taken = grade;
  for (const s of sources) if (settings?.[s] === 'GRADE_LOWER') taken = GRADE_ONE_LOWER[taken];
  return taken;
}

/** Per grade, the grades it becomes lowered 0, 1, 2 … times (the SQL twin indexes it by the count of sources). */
export function gradeLowerChains(): Record<Grade, Grade[]> {
  return Object.fromEntries(
    GRADES.map((g) => {
      const chain = [g];
      for (let i = 0; i < ESCALATION_SOURCES.length; i++)
        chain.push(GRADE_ONE_LOWER[chain[chain.length - 1]]);
      return [g, chain];
    }),
  ) as Record<Grade, Grade[]>;
}

/**
 * Which of the enterprise's tags and places the ruleset escalates (whatever the treatment), in the order of
 * ESCALATION_SOURCES.
 */
export function escalationSources(
  e: { controlTags: readonly string[]; jointControlArea: boolean },
  settings: EscalationSettings | undefined,
): EscalationSource[] {
  if (!settings) return [];
  return ESCALATION_SOURCES.filter(
    (s) =>
      settings[s] !== undefined &&
      (s === 'JOINT_CONTROL_AREA' ? e.jointControlArea : e.controlTags.includes(s)),
  );
}

/** The level above `level` among the ruleset's levels (lowest first), or `level` itself at the top. */
export function nextLevel(level: WarningLevel, levels: readonly WarningLevel[]): WarningLevel {
  const i = levels.indexOf(level);
  return i >= 0 && i + 1 < levels.length ? levels[i + 1] : level;
}

/**
 * The level whose plan measures the enterprise takes: the next one when one of its sources is NEXT_LEVEL and its plan
 * has measures there (ADD_MEASURES sources add measures, they do not step up).
 */
export function measureLevel(
  level: WarningLevel,
  levels: readonly WarningLevel[],
  sources: readonly EscalationSource[],
  planLevels: readonly string[],
  settings: EscalationSettings | undefined,
): WarningLevel {
  if (!sources.some((s) => settings?.[s] === 'NEXT_LEVEL')) return level;
  const next = nextLevel(level, levels);
  return planLevels.includes(next) ? next : level;
}

/** An added measure's description: the template's, saying it is added and why. */
export function addedMeasureDescription(description: string, source: EscalationSource): string {
  return `${description}(${ESCALATION_SOURCE_SHORT_NAMES[source]}从严措施)`;
}

/** The measures a source's templates add, in the order's shape (before the duplicate check). */
export function sourceMeasures(
  source: EscalationSource,
  escalation: WarningEscalation | undefined,
): AddedMeasure[] {
  if (!escalation || typeof escalation === 'string') return [];
  return escalation.add.map((t) => ({
    line: null,
    action: t.action,
    params: t.params ?? {},
    description: addedMeasureDescription(t.description, source),
    reduction: { ...ZERO, ...t.reduction },
    verification: t.verification ?? 'OTHER',
    fromHour: null,
    toHour: null,
    escalation: source,
  }));
}

/** Same action and parameters on the whole enterprise for the whole response: the added measure is already there. */
const sameWhole = (p: PlanMeasureLike, m: { action: string; params: MeasureParams }) =>
  (p.line ?? null) === null &&
  (p.fromHour ?? null) === null &&
  (p.toHour ?? null) === null &&
  p.action === m.action &&
  isDeepStrictEqual({ ...(p.params ?? {}) }, { ...m.params });

/**
 * What the enterprise's order carries besides its plan's measures (`planMeasures`, of the level it takes): the
 * measures of each ADD_MEASURES source that applies, in source then template order, leaving out one the plan already
 * has on the whole enterprise for the whole response with the same action and parameters, and one an earlier source
 * (or template) already added. None when the plan has no measures there (the order is then a NO_PLAN problem for a
 * person, as without escalation).
 */
export function addedMeasures(
  sources: readonly EscalationSource[],
  settings: EscalationSettings | undefined,
  planMeasures: readonly PlanMeasureLike[],
): AddedMeasure[] {
  if (planMeasures.length === 0) return [];
  const added: AddedMeasure[] = [];
  for (const source of sources)
    for (const m of sourceMeasures(source, settings?.[source]))
      if (!planMeasures.some((p) => sameWhole(p, m)) && !added.some((a) => sameWhole(a, m))) added.push(m);
  return added;
}

/**
 * The values the SQL twin takes: the next level, the escalated tags and whether the joint-control area escalates
 * (any treatment), the NEXT_LEVEL sources, and per ADD_MEASURES source its measures in the order's shape.
 */
export function escalationParams(
  level: WarningLevel,
  levels: readonly WarningLevel[],
  settings: EscalationSettings | undefined,
): {
  nextLevel: WarningLevel;
  tags: string[];
  joint: boolean;
  stepUp: string[];
  added: Partial<Record<EscalationSource, AddedMeasure[]>>;
  /** The GRADE_LOWER sources and the chains of lower grades (gradeTaken in SQL). */
  lower: string[];
  chains: Record<Grade, Grade[]>;
} {
  const added: Partial<Record<EscalationSource, AddedMeasure[]>> = {};
  for (const source of ESCALATION_SOURCES) {
    const list = sourceMeasures(source, settings?.[source]);
    if (list.length) added[source] = list;
  }
  return {
    nextLevel: nextLevel(level, levels),
    tags: CONTROL_TAGS.filter((t) => settings?.[t] !== undefined),
    joint: settings?.JOINT_CONTROL_AREA !== undefined,
    stepUp: stepUpSources(settings),
    added,
    lower: gradeLowerSources(settings),
    chains: gradeLowerChains(),
  };
}

/** The template's description of an added measure (its order description without the reason). */
function plainDescription(m: { description: string; escalation?: unknown }): string {
  const short = ESCALATION_SOURCE_SHORT_NAMES[m.escalation as EscalationSource];
  const suffix = short ? `(${short}从严措施)` : '';
  return suffix && m.description.endsWith(suffix) ? m.description.slice(0, -suffix.length) : m.description;
}

/**
 * The sentence of the notice: 贵单位为差异化管控企业、位于平川四县…,按规定从严管控,执行红色预警减排措施。 and, when the
 * order carries added measures (those marked `escalation`), …,另须执行:禁止公路运输。 Null when nothing got stricter.
 */
export function escalationSentence(
  sources: readonly string[],
  level: WarningLevel,
  taken: WarningLevel | null,
  measures: ReadonlyArray<{ description: string; escalation?: unknown }> = [],
  /** The grade it was treated as, when a GRADE_LOWER source made its voluntary grade's notice mandatory. */
  loweredTo: Grade | null = null,
): string | null {
  const added = measures.filter((m) => typeof m.escalation === 'string').map(plainDescription);
  const steppedUp = !!taken && taken !== level;
  if (sources.length === 0 || (!steppedUp && added.length === 0 && !loweredTo)) return null;
  const names = sources.map((s) => ESCALATION_SOURCE_NAMES[s as EscalationSource] ?? s).join('、');
  const parts = [
    ...(loweredTo ? [`按${GRADE_NAMES[loweredTo]}企业管控,须落实减排措施`] : []),
    ...(steppedUp ? [`执行${LEVEL_NAMES[taken]}预警减排措施`] : []),
    ...(added.length ? [`另须执行:${added.join('、')}`] : []),
  ];
  return `贵单位为${names},按规定从严管控,${parts.join(',')}。`;
}

const TEMPLATE_KEYS = ['action', 'params', 'description', 'reduction', 'verification'];
/** At most this many measures per source: a few stricter measures, not a second plan. */
export const MAX_ADDED_MEASURES = 20;
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A ruleset's `{add: [...]}` for a source, checked like plan measures (action, parameters by plan.rules
 * paramErrors, description, reduction, verification), every problem named at `<field>.add[i].<key>`; the templates
 * in normal form (description trimmed, params {} when absent) when there is none.
 */
export function addMeasuresOverride(
  field: string,
  given: Record<string, unknown>,
  errors: FieldError[],
): { add: AddedMeasureTemplate[] } | null {
  const before = errors.length;
  const extra = Object.keys(given).filter((k) => k !== 'add');
  if (extra.length)
    errors.push({ field, message: `未知字段 ${extra.join('、')}(另加措施写作 {"add": [措施…]})` });
  const list = given.add;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ADDED_MEASURES) {
    errors.push({ field: `${field}.add`, message: `应为 1-${MAX_ADDED_MEASURES} 条措施的数组` });
    return null;
  }
  const add: AddedMeasureTemplate[] = [];
  list.forEach((t: unknown, i) => {
    const f = `${field}.add[${i}]`;
    if (!isObject(t)) {
      errors.push({
        field: f,
        message: '应为措施对象 {action, params?, description, reduction?, verification?}',
      });
      return;
    }
    const unknown = Object.keys(t).filter((k) => !TEMPLATE_KEYS.includes(k));
    if (unknown.length) errors.push({ field: f, message: `未知字段 ${unknown.join('、')}` });
    const action = t.action;
    const params = t.params === undefined ? {} : t.params;
    if (typeof action !== 'string' || !(MEASURE_ACTIONS as readonly string[]).includes(action))
      errors.push({ field: `${f}.action`, message: `未知措施类型,可选:${MEASURE_ACTIONS.join(', ')}` });
    else if (!isObject(params)) errors.push({ field: `${f}.params`, message: '措施参数应为对象' });
    else errors.push(...paramErrors(action as MeasureAction, params as MeasureParams, f));
    const description = typeof t.description === 'string' ? t.description.trim() : '';
    if (!description) errors.push({ field: `${f}.description`, message: '措施描述不能为空' });
    else {
      const problem = tooLong(description, PLAN_LIMITS.description, '措施描述');
      if (problem) errors.push({ field: `${f}.description`, message: problem });
    }
    let reduction: Emissions | undefined;
    if (t.reduction !== undefined) {
      if (!isObject(t.reduction))
        errors.push({ field: `${f}.reduction`, message: '减排量应为对象,如 {"so2": 1.5}(kg/d,未给出的为0)' });
      else {
        reduction = { ...ZERO };
        for (const [p, v] of Object.entries(t.reduction)) {
          if (!(POLLUTANTS as readonly string[]).includes(p))
            errors.push({
              field: `${f}.reduction.${p}`,
              message: `未知污染物(可选:${POLLUTANTS.join('、')})`,
            });
          else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
            errors.push({ field: `${f}.reduction.${p}`, message: `${p} 减排量应为非负数值(kg/d)` });
          else reduction[p as keyof Emissions] = v;
        }
      }
    }
    const verification = t.verification;
    if (
      verification !== undefined &&
      (typeof verification !== 'string' ||
        !(VERIFICATION_METHODS as readonly string[]).includes(verification))
    )
      errors.push({
        field: `${f}.verification`,
        message: `未知核查方式,可选:${VERIFICATION_METHODS.join(', ')}`,
      });
    add.push({
      action: action as MeasureAction,
      params: params as MeasureParams,
      description,
      ...(reduction ? { reduction } : {}),
      ...(verification !== undefined ? { verification: verification as VerificationMethod } : {}),
    });
  });
  return errors.length > before ? null : { add };
}
