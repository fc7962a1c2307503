import { campaignNoticeTitle, type NoticeKind } from '../documents/notice-document';
import { checkSigner as checkSignerRule } from '../orders/signer.rules';
import type { FieldError } from '../common/errors/domain-error';
import {
  ACTION_NAMES,
  GRADE_NAMES,
  GRADES,
  type Grade,
  MEASURE_ACTIONS,
  type MeasureAction,
} from '../enterprises/enterprise.types';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { RulesetDefinition, WarningLevel } from '../rulesets/ruleset.types';

/** Who besides the enterprises a warning's notices go to: county bureaus (县级分局) and city departments. */
export const PARTY_KINDS = ['COUNTY', 'DEPARTMENT'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** What a party notice is about: a revision of the warning, or its running out at its expected end. */
export const PARTY_NOTICE_KINDS = [
  'ISSUE',
  'UPGRADE',
  'DOWNGRADE',
  'EXTEND',
  'LIFT',
  'CANCEL',
  'EXPIRE',
] as const;
export type PartyNoticeKind = (typeof PARTY_NOTICE_KINDS)[number];

/** PENDING until its email is sent, SENT until the party confirms through its link, then RECEIVED. */
export const PARTY_STATES = ['PENDING', 'SENT', 'RECEIVED'] as const;
export type PartyState = (typeof PARTY_STATES)[number];

export const PARTY_KIND_NAMES: Record<PartyKind, string> = { COUNTY: '县级分局', DEPARTMENT: '市直部门' };
export const PARTY_STATE_NAMES: Record<PartyState, string> = {
  PENDING: '待发送',
  SENT: '已发送,未签收',
  RECEIVED: '已签收',
};
export const PARTY_NOTICE_KIND_NAMES: Record<PartyNoticeKind, string> = {
  ISSUE: '发布',
  UPGRADE: '升级',
  DOWNGRADE: '降级',
  EXTEND: '延长',
  LIFT: '解除',
  CANCEL: '撤销',
  EXPIRE: '到期解除',
};

/** The notices that end the warning: they carry no duties, only that the response ends. */
export const ENDING_KINDS: readonly PartyNoticeKind[] = ['LIFT', 'CANCEL', 'EXPIRE'];

/** 应急响应级别: the response level has the warning level's number (domain.md §1). */
export const RESPONSE_LEVEL_NAMES: Record<WarningLevel, string> = {
  BLUE: 'Ⅳ级',
  YELLOW: 'Ⅲ级',
  ORANGE: 'Ⅱ级',
  RED: 'Ⅰ级',
};

/**
 * A county bureau's duties during a warning (the plan's 监督帮扶, domain.md §2 step 6): the same at every level,
 * what changes with the level is the list of enterprises and their measures the notice carries.
 */
export const COUNTY_DUTIES: readonly string[] = [
  '督促辖区内企业按"一厂一策"落实本级别减排措施,并在规定时间内签收指令、报告落实情况',
  '开展现场监督检查,核查企业停限产、错峰生产措施落实情况',
  '通过分表计电、在线监测(CEMS)等数据核查企业减排措施落实情况,发现未落实的依法查处',
  '对未签收、未报告的企业逐一督办,并向市应急指挥部办公室报送辖区落实情况',
];

type Duties = RulesetDefinition['departmentDuties'];

export interface PartyToNotify {
  partyKind: PartyKind;
  partyCode: string;
  /** The duties this notice gives it (none for an ending notice, or a department with none at this level). */
  duties: string[];
}

/** A department's duties at a level, in the ruleset's order. */
export function departmentDutiesAt(duties: Duties, level: WarningLevel, department: string): string[] {
  return (duties?.[level] ?? []).filter((d) => d.department === department).map((d) => d.duty);
}

/**
 * Who gets a notice of a revision (or the expiry): an issue goes to the bureaus of the warning's counties and to
 * every active department with duties at its level; a change (upgrade, downgrade, extension) to the same, plus
 * everyone already told of this warning (a department whose duties end at a downgrade is told so); the end of the
 * warning (lift, cancellation, expiry) to everyone already told, and no one else.
 */
export function partiesToNotify(input: {
  kind: PartyNoticeKind;
  level: WarningLevel;
  countyCodes: readonly string[];
  duties: Duties;
  /** Departments in their sort order. */
  departments: ReadonlyArray<{ code: string; active: boolean }>;
  /** Parties with a notice of this warning before this one. */
  notified: ReadonlyArray<{ partyKind: PartyKind; partyCode: string }>;
}): PartyToNotify[] {
  const ending = ENDING_KINDS.includes(input.kind);
  const told = (kind: PartyKind, code: string) =>
    input.notified.some((n) => n.partyKind === kind && n.partyCode === code);
  const counties = ending
    ? uniq(input.notified.filter((n) => n.partyKind === 'COUNTY').map((n) => n.partyCode))
    : uniq([
        ...input.countyCodes,
        ...input.notified.filter((n) => n.partyKind === 'COUNTY').map((n) => n.partyCode),
      ]);
  const result: PartyToNotify[] = counties.map((code) => ({
    partyKind: 'COUNTY',
    partyCode: code,
    duties: ending ? [] : [...COUNTY_DUTIES],
  }));
  for (const d of input.departments) {
    const duties = ending ? [] : departmentDutiesAt(input.duties, input.level, d.code);
    const wanted = ending
      ? told('DEPARTMENT', d.code)
      : (d.active && duties.length > 0) || told('DEPARTMENT', d.code);
    if (wanted) result.push({ partyKind: 'DEPARTMENT', partyCode: d.code, duties });
  }
  return result;
}

/** The notice's title, as a 通知 of the command office names it. */
export function partyNoticeTitle(kind: PartyNoticeKind, level: WarningLevel): string {
  const warning = `重污染天气${LEVEL_NAMES[level]}预警`;
  const response = `(${RESPONSE_LEVEL_NAMES[level]}应急响应)`;
  switch (kind) {
    case 'ISSUE':
      return `关于启动${warning}${response}的通知`;
    case 'UPGRADE':
      return `关于将重污染天气预警升级为${LEVEL_NAMES[level]}预警${response}的通知`;
    case 'DOWNGRADE':
      return `关于将重污染天气预警降级为${LEVEL_NAMES[level]}预警${response}的通知`;
    case 'EXTEND':
      return `关于延长${warning}${response}的通知`;
    case 'LIFT':
      return `关于解除${warning}${response}的通知`;
    case 'CANCEL':
      return `关于撤销${warning}的通知`;
    case 'EXPIRE':
      return `关于${warning}到期解除的通知`;
  }
}

/** 签收人 and 联系电话 as a county or department gives them when confirming receipt. */
export interface Signer {
  signerName: string;
  signerPhone: string;
}

/**
 * The party's signer in the shape its forms use; the rule is the one of src/orders/signer.rules.ts, shared with the
 * enterprises' receipts.
 */
export function checkSigner(body: Record<string, unknown>): { signer: Signer; errors: FieldError[] } {
  const checked = checkSignerRule(body);
  if ('errors' in checked) {
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    return {
      signer: { signerName: text(body.signerName), signerPhone: text(body.signerPhone) },
      errors: checked.errors,
    };
  }
  return { signer: { signerName: checked.signer.name, signerPhone: checked.signer.phone }, errors: [] };
}

/** One enterprise of a county notice: its grade, whether it has an email, and the actions of its measures. */
export interface SummaryOrder {
  grade: Grade;
  noticeType: string;
  problem: string | null;
  actions: readonly string[];
  /** How many orders are alike in all the above (the SQL groups them); 1 when not given. */
  n?: number;
}

export interface CountySummary {
  enterprises: number;
  /** Enterprises without an email address (their order was written but could not be sent). */
  noEmail: number;
  /** Enterprises with no measures at the level (no plan): the bureau follows them up. */
  noPlan: number;
  grades: Array<{
    grade: Grade;
    gradeName: string;
    enterprises: number;
    /** How many of them have a measure of each action, in the catalogue's order. */
    actions: Array<{ action: MeasureAction; actionName: string; enterprises: number }>;
  }>;
}

/** A county notice's summary of its enterprises in scope: counts per grade and per measure action. */
export function countySummary(orders: readonly SummaryOrder[]): CountySummary {
  const count = (list: readonly SummaryOrder[]) => list.reduce((sum, o) => sum + (o.n ?? 1), 0);
  const grades: CountySummary['grades'] = [];
  for (const grade of GRADES) {
    const of = orders.filter((o) => o.grade === grade);
    if (of.length === 0) continue;
    const actions = MEASURE_ACTIONS.map((action) => ({
      action,
      actionName: ACTION_NAMES[action],
      enterprises: count(of.filter((o) => o.actions.includes(action))),
    })).filter((a) => a.enterprises > 0);
    grades.push({ grade, gradeName: GRADE_NAMES[grade], enterprises: count(of), actions });
  }
  return {
    enterprises: count(orders),
    noEmail: count(orders.filter((o) => o.problem === 'NO_EMAIL')),
    noPlan: count(orders.filter((o) => o.problem === 'NO_PLAN')),
    grades,
  };
}

function uniq(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The enterprise notice's kind that goes with each party notice's (their titles are worded alike). */
const NOTICE_KIND_OF: Record<PartyNoticeKind, NoticeKind> = {
  ISSUE: 'ISSUED',
  UPGRADE: 'UPGRADED',
  DOWNGRADE: 'DOWNGRADED',
  EXTEND: 'EXTENDED',
  LIFT: 'LIFTED',
  CANCEL: 'CANCELLED',
  EXPIRE: 'EXPIRED',
};

/** A campaign's party notice title (issue 18), as its enterprises' notices: 关于实施2027年6月12日臭氧污染应对的通知 … */
export function campaignPartyTitle(kind: PartyNoticeKind, name: string): string {
  return campaignNoticeTitle(NOTICE_KIND_OF[kind], name);
}
