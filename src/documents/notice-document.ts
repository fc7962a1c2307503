/**
 * One notice as an official document (通知), built once from plain data and rendered by every form: the email
 * (HTML and text), the enterprise's ack page, the printable A4 page and the PDF. Pure: no Nest, no database; every
 * text a person reads is decided here, so the forms only lay it out. Exported for other addressees' notices
 * (county bureaus, city departments) to reuse: they give their own addressee, measures or duties.
 */
import {
  ACTION_NAMES,
  type Emissions,
  type MeasureAction,
  type MeasureParams,
  VERIFICATION_NAMES,
  type VerificationMethod,
} from '../enterprises/enterprise.types';
import { formatTime, shanghaiDate } from '../common/time';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

export const NOTICE_KINDS = [
  'ISSUED',
  'UPGRADED',
  'DOWNGRADED',
  'EXTENDED',
  'LIFTED',
  'CANCELLED',
  'EXPIRED',
  'HEADS_UP',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The response level that goes with each warning level (domain.md §1: the same number). */
export const RESPONSE_LEVELS: Record<WarningLevel, string> = {
  BLUE: 'Ⅳ级',
  YELLOW: 'Ⅲ级',
  ORANGE: 'Ⅱ级',
  RED: 'Ⅰ级',
};

/** The short name of each kind, for subjects and lists. */
export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  ISSUED: '预警发布',
  UPGRADED: '预警升级',
  DOWNGRADED: '预警降级',
  EXTENDED: '预警延长',
  LIFTED: '预警解除',
  CANCELLED: '预警撤销',
  EXPIRED: '预警到期解除',
  HEADS_UP: '预警提示',
};

/** Notices that end something: set in neutral colours, not the level's. */
const ENDING: readonly NoticeKind[] = ['LIFTED', 'CANCELLED', 'EXPIRED'];

export interface NoticeMeasureInput {
  line: string | null;
  action: MeasureAction;
  params: MeasureParams;
  description: string;
  reduction: Emissions;
  verification: VerificationMethod;
  /** When it applies, as absolute times (null: from the effective time / until the end). */
  fromAt: string | Date | null;
  toAt: string | Date | null;
}

export interface Contact {
  name: string;
  phone: string | null;
  email: string | null;
}

/** Everything a notice says, as the records hold it. */
export interface NoticeSource {
  kind: NoticeKind;
  /** Null for a notice released before numbering. */
  documentNumber: string | null;
  /** The release (approval, expiry, heads-up): the document's date. */
  releasedAt: Date;
  addressee: { name: string; creditCode?: string | null };
  alertCode: string | null;
  level: WarningLevel | null;
  /** For an upgrade or downgrade: the level before it. */
  previousLevel?: WarningLevel | null;
  counties: Array<{ code: string; name: string }>;
  effectiveAt: Date | null;
  expectedEndAt: Date | null;
  /** A lift's or expiry's end time. */
  endedAt?: Date | null;
  basis: {
    consultation: { heldAt: Date; opinion: string } | null;
    ruleset: { id: string; name: string } | null;
    directives: Array<{ number: string; issuer: string; kindName: string }>;
  };
  /** The addressee's own measures, when the notice orders any. */
  noticeType?: 'MANDATORY' | 'VOLUNTARY' | 'PROTECTED' | null;
  gradeName?: string | null;
  protectedReason?: string | null;
  protectedMaxLoad?: number | null;
  /** Why the enterprise takes stricter measures than the warning's level (escalationSentence), or null. */
  escalation?: string | null;
  measures?: NoticeMeasureInput[];
  /** For an upgrade or downgrade: what changes against the order it replaces. */
  delta?: {
    added: NoticeMeasureInput[];
    relaxed: NoticeMeasureInput[];
    unchanged: NoticeMeasureInput[];
  } | null;
  deadlines?: { receiptDueAt: Date | null; reportDueAt: Date | null } | null;
  consequence: string | null;
  bureau: Contact | null;
  dutyOffice: Contact;
  issuer: { name: string; office: string };
  /** A campaign's notice (issue 18): its kind, name, the ozone window, and why the addressee takes its measures. */
  campaign?: {
    kind: 'AUTUMN_WINTER' | 'SUMMER_OZONE';
    name: string;
    window: { from: string; to: string } | null;
    reasons: string[];
    /** Written while a warning was in force: the warning, and the stricter measure that applies while it lasts. */
    duringWarning?: string | null;
  } | null;
  /** A warning's end notice to an enterprise under a campaign in force: the campaign's measures apply again. */
  afterWarning?: string | null;
  /** A warning's order to an enterprise under a campaign in force: it takes the stricter of the two, line by line. */
  underCampaign?: string | null;
  /** A heads-up: the outlook episodes per period, and the office's note. */
  outlook?: Array<{ period: string; outcome: string; reason: string }>;
  note?: string | null;
}

export interface NoticeMeasure {
  line: string;
  action: string;
  /** The action's parameters in words: 限产 30%, 颗粒物 ≤ 5 mg/m³ … ('' when it has none). */
  params: string;
  description: string;
  window: string;
  verification: string;
  reduction: string;
}

export interface NoticeDocument {
  kind: NoticeKind;
  kindLabel: string;
  title: string;
  /** The 文号, or null (shown as numberText). */
  number: string | null;
  numberText: string;
  addressee: string;
  level: WarningLevel | null;
  levelName: string;
  responseLevel: string;
  /** Lift, cancel and expiry notices are set in neutral colours. */
  neutral: boolean;
  alertCode: string | null;
  counties: string;
  /** The opening: the basis, then what is decided, in one paragraph. */
  opening: string;
  basis: { consultation: string | null; ruleset: string | null; directives: string[] };
  facts: Array<{ label: string; value: string }>;
  /** The paragraph before the measures (voluntary, protected, mandatory), or null when the notice has none. */
  measuresIntro: string | null;
  measures: NoticeMeasure[];
  delta: { added: NoticeMeasure[]; relaxed: NoticeMeasure[]; unchanged: NoticeMeasure[] } | null;
  /** Closing instructions (resume production in order, keep executing…), one paragraph each. */
  instructions: string[];
  deadlines: Array<{ label: string; value: string }>;
  consequence: string | null;
  contacts: Array<{ label: string; value: string }>;
  outlook: Array<{ period: string; outcome: string; reason: string }>;
  note: string | null;
  issuer: string;
  issuerOffice: string;
  /** 2026年11月28日 (Beijing). */
  date: string;
}

export function responseLevel(level: WarningLevel): string {
  return RESPONSE_LEVELS[level];
}

/** The title of the document (关于启动重污染天气橙色预警（Ⅱ级应急响应）的通知 …). */
export function noticeTitle(
  kind: NoticeKind,
  level: WarningLevel | null,
  previousLevel?: WarningLevel | null,
): string {
  if (kind === 'HEADS_UP') return '关于做好重污染天气应对准备的提示';
  if (!level) throw new Error(`a ${kind} notice needs its level`);
  const name = `${LEVEL_NAMES[level]}预警`;
  const response = `（${RESPONSE_LEVELS[level]}应急响应）`;
  const before = previousLevel ? `${LEVEL_NAMES[previousLevel]}预警` : '预警';
  switch (kind) {
    case 'ISSUED':
      return `关于启动重污染天气${name}${response}的通知`;
    case 'UPGRADED':
      return `关于将重污染天气${before}升级为${name}${response}的通知`;
    case 'DOWNGRADED':
      return `关于将重污染天气${before}降级为${name}${response}的通知`;
    case 'EXTENDED':
      return `关于延长重污染天气${name}${response}的通知`;
    case 'LIFTED':
      return `关于解除重污染天气${name}${response}的通知`;
    case 'CANCELLED':
      return `关于撤销重污染天气${name}的通知`;
    case 'EXPIRED':
      return `关于重污染天气${name}到期解除的通知`;
  }
}

const CONCENTRATION_NAMES: Record<string, string> = { pm: '颗粒物', so2: 'SO2', nox: 'NOx', vocs: 'VOCs' };

/** A measure's parameters in words, with their units. Unknown keys are shown as they are. */
export function measureParams(action: MeasureAction, params: MeasureParams): string {
  const parts: string[] = [];
  const rest = { ...params };
  const take = (key: string) => {
    const v = rest[key];
    delete rest[key];
    return v;
  };
  if (action === 'LIMIT_PERCENT' && params.percent !== undefined) parts.push(`限产 ${take('percent')}%`);
  if (action === 'STOP_SHARE' && params.share !== undefined) {
    const unit = take('unit');
    parts.push(`停产 ${take('share')}%${unit ? `的${unit}` : ''}`);
  }
  if (action === 'EXTEND_COKING_HOURS' && params.hours !== undefined)
    parts.push(`结焦时间延长至 ${take('hours')} 小时`);
  if (action === 'FEED_CAP' && params.tonsPerDay !== undefined)
    parts.push(`投料不超过 ${take('tonsPerDay')} 吨/日`);
  const caps = Object.keys(CONCENTRATION_NAMES).filter((k) => rest[k] !== undefined);
  if (action === 'CONCENTRATION_CAP' && caps.length)
    parts.push(caps.map((k) => `${CONCENTRATION_NAMES[k]} ≤ ${take(k)} mg/m³`).join('、'));
  for (const [k, v] of Object.entries(rest)) parts.push(`${k}: ${v}`);
  return parts.join(';');
}

const kg = (value: number): string => {
  const [whole, fraction] = (Math.round(value * 10) / 10).toString().split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
};

function measureWindow(m: { fromAt: string | Date | null; toAt: string | Date | null }): string {
  if (m.fromAt && m.toAt) return `${formatTime(m.fromAt)} 至 ${formatTime(m.toAt)}`;
  if (m.fromAt) return `自 ${formatTime(m.fromAt)} 起`;
  if (m.toAt) return `至 ${formatTime(m.toAt)} 止`;
  return '预警期间全程';
}

export function noticeMeasure(m: NoticeMeasureInput): NoticeMeasure {
  return {
    line: m.line || '全厂',
    action: ACTION_NAMES[m.action] ?? m.action,
    params: measureParams(m.action, m.params ?? {}),
    description: m.description,
    window: measureWindow(m),
    verification: VERIFICATION_NAMES[m.verification] ?? m.verification,
    reduction: `SO2 ${kg(m.reduction.so2)} / NOx ${kg(m.reduction.nox)} / 颗粒物 ${kg(m.reduction.pm)} / VOCs ${kg(m.reduction.vocs)}`,
  };
}

/** 2026年11月28日: the document's date, in Beijing. */
export function documentDate(at: Date): string {
  const [y, m, d] = shanghaiDate(at).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** The basis sentence's parts: 根据…会商意见, 按照《…》, 依据 province's directive (文号). */
function basisOf(s: NoticeSource): NoticeDocument['basis'] {
  const c = s.basis.consultation;
  return {
    consultation: c
      ? `${documentDate(c.heldAt)}重污染天气会商意见(${c.opinion.trim() || '见会商记录'})`
      : null,
    ruleset: s.basis.ruleset ? `《${s.basis.ruleset.name}》` : null,
    directives: s.basis.directives.map((d) => `${d.issuer}${d.kindName}(${d.number})`),
  };
}

function basisSentence(b: NoticeDocument['basis']): string {
  const parts: string[] = [];
  if (b.directives.length) parts.push(`根据${b.directives.join('、')}要求`);
  if (b.consultation) parts.push(`根据${b.consultation}`);
  if (b.ruleset) parts.push(`按照${b.ruleset}`);
  return parts.length ? `${parts.join(',')},` : '';
}

/** The title of a campaign's notice: 关于实施2026—2027年秋冬季差异化错峰生产的通知 … */
export function campaignNoticeTitle(kind: NoticeKind, name: string): string {
  switch (kind) {
    case 'EXTENDED':
      return `关于延长${name}的通知`;
    case 'LIFTED':
      return `关于结束${name}的通知`;
    case 'CANCELLED':
      return `关于撤销${name}的通知`;
    case 'EXPIRED':
      return `关于${name}期满结束的通知`;
    case 'ISSUED':
    case 'UPGRADED':
    case 'DOWNGRADED':
    case 'HEADS_UP':
      return `关于实施${name}的通知`;
  }
}

/** A campaign's notice: the warning's document with the campaign in place of a level, and its reasons. */
function buildCampaignDocument(s: NoticeSource, c: NonNullable<NoticeSource['campaign']>): NoticeDocument {
  const doc = buildNoticeDocument({ ...s, campaign: null, level: null, kind: 'HEADS_UP' });
  const t = (d: Date | null | undefined) => (d ? formatTime(d) : '—');
  const counties = s.counties.map((x) => x.name).join('、');
  const lead = basisSentence(basisOf(s));
  const code = s.alertCode ? `(编号 ${s.alertCode})` : '';
  const issuer = s.issuer.name;
  const span =
    c.kind === 'SUMMER_OZONE' && c.window
      ? `${documentDate(s.effectiveAt ?? s.releasedAt)}${c.window.from}至${c.window.to}`
      : `自${t(s.effectiveAt)}起至${t(s.expectedEndAt)}`;
  const instructions: string[] = [];
  let opening: string;
  switch (s.kind) {
    case 'EXTENDED':
      opening = `${lead}${issuer}决定将${counties}${c.name}${code}延长至${t(s.expectedEndAt)}。`;
      instructions.push('延长期间请继续执行现行管控措施。');
      break;
    case 'LIFTED':
      opening = `${lead}${issuer}决定自${t(s.endedAt ?? s.effectiveAt)}起结束${counties}${c.name}${code}。`;
      instructions.push(
        '请按程序有序恢复生产,恢复过程中确保污染治理设施正常运行;如遇重污染天气预警,按预警通知执行。',
      );
      break;
    case 'CANCELLED':
      opening = `${lead}${issuer}决定撤销原定${span}在${counties}实施的${c.name}${code},相关管控措施无需执行。`;
      break;
    case 'EXPIRED':
      opening = `${counties}${c.name}${code}已于${t(s.endedAt ?? s.expectedEndAt)}期满结束,相关管控措施随之解除。`;
      instructions.push('请按程序有序恢复生产,恢复过程中确保污染治理设施正常运行。');
      break;
    case 'ISSUED':
    case 'UPGRADED':
    case 'DOWNGRADED':
    case 'HEADS_UP':
      opening =
        c.kind === 'SUMMER_OZONE'
          ? `${lead}${issuer}决定${span}在${counties}实施臭氧污染应对${code},涉VOCs排放工序错时生产,避开${c.window?.from ?? ''}至${c.window?.to ?? ''}。`
          : `${lead}${issuer}决定${span}在${counties}实施${c.name}${code}。`;
  }
  const ordering = s.kind === 'ISSUED' || s.kind === 'UPGRADED' || s.kind === 'DOWNGRADED';
  const measures = (s.measures ?? []).map(noticeMeasure);
  const reasons = c.reasons.length ? `管控依据:${c.reasons.join(';')}。` : '';
  const facts: NoticeDocument['facts'] = [
    { label: '管控类型', value: c.kind === 'SUMMER_OZONE' ? '夏季臭氧污染应对' : '秋冬季差异化错峰生产' },
    { label: '涉及区县', value: counties || '—' },
  ];
  if (s.alertCode) facts.push({ label: '管控编号', value: s.alertCode });
  if (s.kind === 'LIFTED' || s.kind === 'EXPIRED')
    facts.push({ label: '结束时间', value: t(s.endedAt ?? s.effectiveAt) });
  else facts.push({ label: '管控时段', value: span.replace(/^自/, '') });
  const deadlines: NoticeDocument['deadlines'] = [];
  if (ordering && s.deadlines) {
    deadlines.push({ label: '签收截止', value: `${t(s.deadlines.receiptDueAt)}前确认收到本通知` });
    deadlines.push({ label: '落实报告截止', value: `${t(s.deadlines.reportDueAt)}前报告措施落实情况` });
  }
  return {
    ...doc,
    kind: s.kind,
    kindLabel: c.kind === 'SUMMER_OZONE' ? '臭氧污染应对' : '错峰生产',
    title: campaignNoticeTitle(s.kind, c.name),
    // No level colour: the banner names the campaign (错峰生产 · CW2026-004).
    neutral: true,
    opening,
    facts,
    measuresIntro: ordering
      ? `${reasons}${c.duringWarning ?? ''}请贵单位自生效时间起落实以下管控措施:`
      : null,
    measures: ordering ? measures : [],
    delta: null,
    instructions,
    deadlines,
    consequence: ordering || s.kind === 'EXTENDED' ? s.consequence : null,
    outlook: [],
  };
}

/** Builds the document. Throws on a source that cannot make one (a warning notice without its level). */
export function buildNoticeDocument(s: NoticeSource): NoticeDocument {
  if (s.campaign) return buildCampaignDocument(s, s.campaign);
  const level = s.level;
  const levelName = level ? `${LEVEL_NAMES[level]}预警` : '';
  const response = level ? RESPONSE_LEVELS[level] : '';
  const counties = s.counties.map((c) => c.name).join('、');
  const basis = basisOf(s);
  const lead = basisSentence(basis);
  const t = (d: Date | null | undefined) => (d ? formatTime(d) : '—');
  const expected = s.expectedEndAt ? `,预计持续至${t(s.expectedEndAt)}` : '';
  const code = s.alertCode ? `(预警编号 ${s.alertCode})` : '';
  const issuer = s.issuer.name;

  let opening: string;
  const instructions: string[] = [];
  switch (s.kind) {
    case 'ISSUED':
      opening = `${lead}${issuer}决定自${t(s.effectiveAt)}起在${counties}启动重污染天气${levelName}${code},实施${response}应急响应${expected}。`;
      break;
    case 'UPGRADED':
    case 'DOWNGRADED':
      opening = `${lead}${issuer}决定自${t(s.effectiveAt)}起将${counties}重污染天气${s.previousLevel ? `${LEVEL_NAMES[s.previousLevel]}预警` : '预警'}${code}${s.kind === 'UPGRADED' ? '升级' : '降级'}为${levelName},实施${response}应急响应${expected}。贵单位减排措施相应调整如下。`;
      break;
    case 'EXTENDED':
      opening = `${lead}${issuer}决定将${counties}重污染天气${levelName}${code}(${response}应急响应)延长,预计持续至${t(s.expectedEndAt)}。`;
      instructions.push('在预警解除前,请继续执行现行减排指令,不得提前恢复生产。');
      break;
    case 'LIFTED':
      opening = `${lead}${issuer}决定自${t(s.endedAt ?? s.effectiveAt)} 起解除${counties}重污染天气${levelName}${code}(${response}应急响应)。`;
      instructions.push(s.afterWarning ?? '请按程序有序恢复生产,恢复过程中确保污染治理设施正常运行。');
      break;
    case 'CANCELLED':
      opening = `${lead}${issuer}决定撤销原定自${t(s.effectiveAt)}起在${counties}启动的重污染天气${levelName}${code},尚未生效的减排措施无需执行。`;
      break;
    case 'EXPIRED':
      opening = `${counties}重污染天气${levelName}${code}(${response}应急响应)已于 ${t(s.endedAt ?? s.expectedEndAt)} 到期结束,未作延长,应急响应和减排指令随之解除。`;
      instructions.push(s.afterWarning ?? '请按程序有序恢复生产,恢复过程中确保污染治理设施正常运行。');
      break;
    case 'HEADS_UP':
      opening = `${basis.consultation ? `据${basis.consultation}的趋势预报,` : ''}${counties}未来可能出现以下重污染天气过程:`;
      instructions.push(
        '这是预警提示,不是预警指令:现在无需停限产,无需回执。请对照本企业“一企一策”应急减排措施,提前做好人员、物料和设备准备;正式预警发布后,将另行发送带文号的通知,请按通知要求的时间落实。',
      );
      break;
  }
  const ordering = s.kind === 'ISSUED' || s.kind === 'UPGRADED' || s.kind === 'DOWNGRADED';
  const measures = (s.measures ?? []).map(noticeMeasure);
  let measuresIntro: string | null = null;
  if (ordering) {
    if (s.noticeType === 'VOLUNTARY')
      measuresIntro = `贵单位绩效等级为${s.gradeName ?? ''},按规定自主采取减排措施,请参照以下措施执行并做好记录:`;
    else if (s.noticeType === 'PROTECTED')
      measuresIntro = `贵单位为保障类企业(${s.protectedReason ?? ''}),预警期间按核定最大负荷 ${s.protectedMaxLoad ?? '—'}% 组织生产:`;
    else
      measuresIntro = `${s.escalation ?? ''}${s.underCampaign ?? ''}请贵单位在生效时间前落实以下“一企一策”应急减排措施:`;
    if (measures.length === 0)
      measuresIntro = '贵单位在现行减排清单中没有本级别措施,请立即与所在区县生态环境分局联系。';
  }

  const facts: NoticeDocument['facts'] = [];
  if (level && s.kind !== 'HEADS_UP') {
    facts.push({ label: '预警级别', value: levelName });
    facts.push({ label: '响应级别', value: `${response}应急响应` });
  }
  facts.push({ label: '涉及区县', value: counties || '—' });
  if (s.kind !== 'HEADS_UP') {
    if (s.alertCode) facts.push({ label: '预警编号', value: s.alertCode });
    if (s.kind === 'LIFTED' || s.kind === 'EXPIRED')
      facts.push({ label: '解除时间', value: t(s.endedAt ?? s.effectiveAt) });
    else facts.push({ label: '生效时间', value: t(s.effectiveAt) });
    if (!ENDING.includes(s.kind)) facts.push({ label: '预计结束', value: t(s.expectedEndAt) });
  }

  const deadlines: NoticeDocument['deadlines'] = [];
  if (ordering && s.deadlines) {
    deadlines.push({ label: '签收截止', value: `${t(s.deadlines.receiptDueAt)}前确认收到本通知` });
    deadlines.push({ label: '落实报告截止', value: `${t(s.deadlines.reportDueAt)}前报告措施落实情况` });
  }

  const contacts: NoticeDocument['contacts'] = [];
  if (s.bureau) {
    const parts = [
      s.bureau.phone ? `电话 ${s.bureau.phone}` : null,
      s.bureau.email ? `邮箱 ${s.bureau.email}` : null,
    ];
    contacts.push({ label: s.bureau.name, value: parts.filter(Boolean).join(',') || '—' });
  }
  contacts.push({
    label: `${s.dutyOffice.name}(值班室)`,
    value: [
      s.dutyOffice.phone ? `电话 ${s.dutyOffice.phone}` : null,
      s.dutyOffice.email ? `邮箱 ${s.dutyOffice.email}` : null,
    ]
      .filter(Boolean)
      .join(','),
  });

  return {
    kind: s.kind,
    kindLabel: NOTICE_KIND_LABELS[s.kind],
    title: noticeTitle(s.kind, level, s.previousLevel),
    number: s.documentNumber,
    numberText: s.documentNumber ?? '(本通知发布时尚未编文号)',
    addressee: s.addressee.name,
    level,
    levelName,
    responseLevel: response,
    neutral: ENDING.includes(s.kind) || s.kind === 'HEADS_UP',
    alertCode: s.alertCode,
    counties,
    opening,
    basis,
    facts,
    measuresIntro,
    measures,
    delta: s.delta
      ? {
          added: s.delta.added.map(noticeMeasure),
          relaxed: s.delta.relaxed.map(noticeMeasure),
          unchanged: s.delta.unchanged.map(noticeMeasure),
        }
      : null,
    instructions,
    deadlines,
    // Notices that order or prolong measures name the consequence; ending ones leave nothing to comply with.
    consequence: ordering || s.kind === 'EXTENDED' ? s.consequence : null,
    contacts,
    outlook: s.outlook ?? [],
    note: s.note ?? null,
    issuer,
    issuerOffice: s.issuer.office,
    date: documentDate(s.releasedAt),
  };
}
