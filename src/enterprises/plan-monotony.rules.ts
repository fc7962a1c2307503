import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { GradeMinimum, MinimumMeasure, WarningLevel } from '../rulesets/ruleset.types';
import {
  GRADE_NAMES,
  type Grade,
  MEASURE_ACTIONS,
  type MeasureAction,
  type MeasureInput,
  type MeasureParams,
  type ProductionLine,
} from './enterprise.types';

/**
 * Plans never relax on an upgrade (issue 14): a higher level keeps every measure of the level below it on the
 * same line or process, at least as strict, for the same elapsed hours; and each grade's plan holds the
 * ruleset's minimum (gradeMinimums). Both only warn: the plan is saved and the warning travels with it.
 */
export type PlanWarningCode =
  'PLAN_RELAXES' | 'GRADE_MINIMUM' | 'LEVEL_REDUCTION_LOWER' | 'VOLUNTARY_GRADE_MANDATORY';

export interface PlanWarning {
  code: PlanWarningCode;
  /** The level the warning is about (the higher one for a relaxation); null for the plan as a whole. */
  level: WarningLevel | null;
  /** The line or process (生产线/工序) as the plan names it; null for the whole enterprise. */
  line: string | null;
  /** Chinese, for a person: "橙色预警 1#焦炉:缺少黄色预警已有的措施“…”". */
  message: string;
  /** Index of the measure it points at (the weaker one, or the one dropped), for the import's row; or null. */
  measureIndex: number | null;
}

/**
 * What a measure holds, as comparable strengths: `cut` is the share of production stopped (STOP = 100,
 * LIMIT_PERCENT and STOP_SHARE their %, higher is stricter); `coking` the coking time in hours (longer is
 * stricter); `feed` the feed cap in t/d and `cap` a concentration cap in mg/m³ per pollutant (lower is
 * stricter); `transport` 1 for the China-IV truck ban, 2 for no road transport at all (which includes the ban);
 * `voluntary` and `other` compare only by being there.
 */
type Kind = 'cut' | 'coking' | 'feed' | 'cap' | 'transport' | 'voluntary' | 'other';
interface Strength {
  kind: Kind;
  /** The pollutant of a `cap` ('*': every pollutant, what a full stop offers). */
  key?: string;
  /** null: not a number (a plan recorded before its parameters were checked); compared by presence only. */
  value: number | null;
}

const HIGHER_IS_STRICTER: Record<Kind, boolean | null> = {
  cut: true,
  coking: true,
  feed: false,
  cap: false,
  transport: true,
  voluntary: null,
  other: null,
};
/** Trucks are controlled at the gate: a transport measure covers the enterprise whatever line it names. */
const ENTERPRISE_WIDE: readonly Kind[] = ['transport'];
const CAP_KEYS = ['pm', 'so2', 'nox', 'vocs'] as const;
const CAP_NAMES: Record<string, string> = { pm: '颗粒物', so2: 'SO2', nox: 'NOx', vocs: 'VOCs(非甲烷总烃)' };

const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** The strengths a measure must be matched on, one per comparable figure. */
function strengthsOf(action: string, params: MeasureParams = {}): Strength[] {
  switch (action as MeasureAction) {
    case 'STOP':
      return [{ kind: 'cut', value: 100 }];
    case 'LIMIT_PERCENT':
      return [{ kind: 'cut', value: num(params.percent) }];
    case 'STOP_SHARE':
      return [{ kind: 'cut', value: num(params.share) }];
    case 'EXTEND_COKING_HOURS':
      return [{ kind: 'coking', value: num(params.hours) }];
    case 'FEED_CAP':
      return [{ kind: 'feed', value: num(params.tonsPerDay) }];
    case 'CONCENTRATION_CAP':
      return CAP_KEYS.filter((k) => params[k] !== undefined).map((k) => ({
        kind: 'cap' as const,
        key: k,
        value: num(params[k]),
      }));
    case 'TRUCK_BAN_CN4':
      return [{ kind: 'transport', value: 1 }];
    case 'STOP_ROAD_TRANSPORT':
      return [{ kind: 'transport', value: 2 }];
    case 'VOLUNTARY':
      return [{ kind: 'voluntary', value: null }];
    case 'OTHER':
      return [{ kind: 'other', value: null }];
    default:
      return [];
  }
}

/**
 * What a measure satisfies: its own strengths; a line stopped entirely (cut ≥ 100) also has no coking time,
 * feed or flue gas left to limit; and any measure is at least a voluntary reduction.
 */
function offersOf(m: Pick<MeasureInput, 'action' | 'params'>): Strength[] {
  const own = strengthsOf(m.action, m.params);
  const stopped = own.some((s) => s.kind === 'cut' && s.value !== null && s.value >= 100);
  return [
    ...own,
    ...(stopped
      ? [
          { kind: 'coking' as const, value: Infinity },
          { kind: 'feed' as const, value: 0 },
          { kind: 'cap' as const, key: '*', value: 0 },
        ]
      : []),
    ...(own.some((s) => s.kind === 'voluntary') ? [] : [{ kind: 'voluntary' as const, value: null }]),
  ];
}

const sameKind = (offer: Strength, need: Strength): boolean =>
  offer.kind === need.kind && (need.kind !== 'cap' || offer.key === need.key || offer.key === '*');

function atLeast(offer: Strength, need: Strength): boolean {
  const higher = HIGHER_IS_STRICTER[need.kind];
  if (higher === null || need.value === null || offer.value === null) return true;
  return higher ? offer.value >= need.value : offer.value <= need.value;
}

type Window = [number, number];
const windowOf = (m: Pick<MeasureInput, 'fromHour' | 'toHour'>): Window => [
  m.fromHour ?? 0,
  m.toHour ?? Infinity,
];

/** The parts of `w` none of `cover` spans. */
function gaps(w: Window, cover: Window[]): Window[] {
  const sorted = cover.filter(([a, b]) => b > w[0] && a < w[1]).sort((x, y) => x[0] - y[0]);
  const out: Window[] = [];
  let at = w[0];
  for (const [a, b] of sorted) {
    if (a > at) out.push([at, Math.min(a, w[1])]);
    at = Math.max(at, b);
    if (at >= w[1]) break;
  }
  if (at < w[1]) out.push([at, w[1]]);
  return out;
}
const overlaps = (a: Window, b: Window): boolean => a[0] < b[1] && b[0] < a[1];

function hoursText([a, b]: Window): string {
  return b === Infinity ? `第${a}小时起` : `第${a}-${b}小时`;
}

/** A strength as people read it, in the words of the measure's action. */
function describe(s: Strength, action: string, params: MeasureParams = {}): string {
  const v = s.value ?? '?';
  switch (s.kind) {
    case 'cut':
      if (action === 'STOP') return '停产';
      if (action === 'STOP_SHARE')
        return `停产${v}%${typeof params.unit === 'string' && params.unit ? params.unit : '生产线'}`;
      return `限产${v}%`;
    case 'coking':
      return `结焦时间${v}小时`;
    case 'feed':
      return `投料不超过${v}吨/日`;
    case 'cap':
      return `${CAP_NAMES[s.key ?? ''] ?? s.key}排放浓度不超过${v} mg/m³`;
    case 'transport':
      return s.value === 2 ? '停止公路运输' : '禁用国四及以下重型货车运输';
    case 'voluntary':
      return '自主减排';
    case 'other':
      return '其他措施';
  }
}

interface Offer {
  strength: Strength;
  window: Window;
  line: string | null;
  index: number;
  measure: MeasureInput;
}

interface Need {
  strength: Strength;
  window: Window;
  /** Does a measure on this line (null: the whole enterprise) apply to what is needed? */
  lineApplies: (line: string | null) => boolean;
}

type Finding = { kind: 'missing'; gaps: Window[]; whole: boolean } | { kind: 'weaker'; offer: Offer };

/** How the offers fall short of one need, or null when they meet it for its whole window. */
function shortfall(need: Need, offers: Offer[]): Finding | null {
  const applicable = offers.filter(
    (o) =>
      sameKind(o.strength, need.strength) &&
      (ENTERPRISE_WIDE.includes(need.strength.kind) || need.lineApplies(o.line)),
  );
  const missing = gaps(
    need.window,
    applicable.filter((o) => atLeast(o.strength, need.strength)).map((o) => o.window),
  );
  if (missing.length === 0) return null;
  // The strongest of those that cover part of the missing hours, but not strictly enough.
  const weaker = applicable
    .filter((o) => missing.some((g) => overlaps(g, o.window)))
    .sort((a, b) => {
      const higher = HIGHER_IS_STRICTER[need.strength.kind];
      const d = (a.strength.value ?? 0) - (b.strength.value ?? 0);
      return higher === false ? d : -d;
    })[0];
  if (weaker) return { kind: 'weaker', offer: weaker };
  const [a, b] = need.window;
  return {
    kind: 'missing',
    gaps: missing,
    whole: missing.length === 1 && missing[0][0] === a && missing[0][1] === b,
  };
}

const quote = (m: MeasureInput): string => `“${m.description}”`;
const lineLabel = (line: string | null): string => line ?? '全厂';

function offersAt(measures: MeasureInput[], level: WarningLevel): Offer[] {
  const out: Offer[] = [];
  measures.forEach((measure, index) => {
    if (measure.level !== level) return;
    for (const strength of offersOf(measure))
      out.push({ strength, window: windowOf(measure), line: measure.line ?? null, index, measure });
  });
  return out;
}

/**
 * Each level with measures against the next lower level with measures (a level without any is a NO_PLAN
 * order, flagged where orders are written, not a relaxation): every measure of the lower level must be met on
 * its line, or by a whole-enterprise measure, at least as strictly and over the same elapsed hours.
 */
export function monotonyWarnings(measures: MeasureInput[], levels: readonly WarningLevel[]): PlanWarning[] {
  const present = levels.filter((level) => measures.some((m) => m.level === level));
  const warnings: PlanWarning[] = [];
  for (let i = 1; i < present.length; i++) {
    const [lower, higher] = [present[i - 1], present[i]];
    const offers = offersAt(measures, higher);
    const prefix = (line: string | null) => `${LEVEL_NAMES[higher]}预警 ${lineLabel(line)}:`;
    measures.forEach((m, index) => {
      if (m.level !== lower) return;
      const line = m.line ?? null;
      const findings = strengthsOf(m.action, m.params)
        .map((strength) => ({
          strength,
          finding: shortfall(
            { strength, window: windowOf(m), lineApplies: (l) => l === null || l === line },
            offers,
          ),
        }))
        .filter((f): f is { strength: Strength; finding: Finding } => f.finding !== null);
      if (findings.length === 0) return;
      const lowerName = `${LEVEL_NAMES[lower]}预警`;
      const strengths = strengthsOf(m.action, m.params).length;
      if (
        findings.length === strengths &&
        findings.every((f) => f.finding.kind === 'missing' && f.finding.whole)
      ) {
        warnings.push({
          code: 'PLAN_RELAXES',
          level: higher,
          line,
          message: `${prefix(line)}缺少${lowerName}已有的措施${quote(m)}`,
          measureIndex: index,
        });
        return;
      }
      const several = strengths > 1;
      const parts = findings.map(({ strength, finding }) =>
        finding.kind === 'weaker'
          ? `${quote(finding.offer.measure)}(${describe(finding.offer.strength, finding.offer.measure.action, finding.offer.measure.params)})弱于${lowerName}的${quote(m)}(${describe(strength, m.action, m.params)})`
          : `${lowerName}的措施${quote(m)}${several ? `中${describe(strength, m.action, m.params)}` : ''}${finding.whole ? '' : `在响应${finding.gaps.map(hoursText).join('、')}`}没有同等或更严的措施`,
      );
      const weaker = findings.find((f) => f.finding.kind === 'weaker')?.finding;
      warnings.push({
        code: 'PLAN_RELAXES',
        level: higher,
        line,
        message: prefix(line) + [...new Set(parts)].join(';'),
        measureIndex: weaker?.kind === 'weaker' ? weaker.offer.index : index,
      });
    });
  }
  return warnings;
}

const minimumOf = (entry: MinimumMeasure): { action: string; params: MeasureParams } =>
  typeof entry === 'string'
    ? { action: entry, params: {} }
    : { action: entry.action, params: entry.params ?? {} };

/**
 * The ruleset's minimum for the enterprise's grade, at every level of the ruleset: a production measure (e.g.
 * STOP) must hold for every listed line (matched by code or name) or the whole enterprise, for the whole
 * response; a transport measure for the enterprise. Unknown action codes in the ruleset are ignored; protected
 * enterprises (domain.md §3) are not held to their grade's minimum.
 */
export function gradeMinimumWarnings(input: {
  grade: Grade;
  /** Protected enterprises (保障类) run at their approved maximum load instead of their grade's measures. */
  protected?: boolean;
  measures: MeasureInput[];
  levels: readonly WarningLevel[];
  lines?: readonly ProductionLine[];
  minimums?: Partial<Record<string, GradeMinimum>>;
}): PlanWarning[] {
  const minimum = input.minimums?.[input.grade];
  if (!minimum || input.protected) return [];
  const lines = input.lines ?? [];
  const warnings: PlanWarning[] = [];
  for (const level of input.levels) {
    const required = [...(minimum.allLevels ?? []), ...(minimum.levels?.[level] ?? [])].map(minimumOf);
    const offers = offersAt(input.measures, level);
    for (const { action, params } of required) {
      if (!(MEASURE_ACTIONS as readonly string[]).includes(action)) continue;
      for (const strength of strengthsOf(action, params)) {
        const targets: Array<{ label: string | null; applies: (l: string | null) => boolean }> =
          ENTERPRISE_WIDE.includes(strength.kind) || lines.length === 0
            ? [{ label: null, applies: () => true }]
            : lines.map((l) => ({
                label: l.name || l.code,
                applies: (x: string | null) => x === null || x === l.code || x === l.name,
              }));
        for (const target of targets) {
          const finding = shortfall({ strength, window: [0, Infinity], lineApplies: target.applies }, offers);
          if (!finding) continue;
          const what = describe(strength, action, params);
          const tail =
            finding.kind === 'weaker'
              ? `,本级仅有${quote(finding.offer.measure)}`
              : finding.whole
                ? ',本级没有'
                : `,本级在响应${finding.gaps.map(hoursText).join('、')}没有`;
          warnings.push({
            code: 'GRADE_MINIMUM',
            level,
            line: target.label,
            message: `${LEVEL_NAMES[level]}预警 ${lineLabel(target.label)}:${GRADE_NAMES[input.grade]}企业按规则集最低要求须${what}${tail}`,
            measureIndex: finding.kind === 'weaker' ? finding.offer.index : null,
          });
        }
      }
    }
  }
  return warnings;
}
