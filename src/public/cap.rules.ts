import { create } from 'xmlbuilder2';
import type { ChangeKind } from '../alerts/alert.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { formatTime, shanghaiTimestamp } from '../common/time';
import { ALL_CLEAR_ADVICE, PUBLIC_ADVICE } from './public-advice';
import type { PublicContext, PublicRevision } from './public-warning.types';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';

export type CapMsgType = 'Alert' | 'Update' | 'Cancel';

/**
 * CAP's dateTime: "2026-12-01T10:00:00+08:00", seconds and an explicit offset, no fraction and no "Z" (CAP 1.2
 * §3.3.2 forbids "Z"; UTC would be written -00:00). Beijing time, as every other time people read.
 */
export function capDateTime(at: Date): string {
  return shanghaiTimestamp(at);
}

/** One identifier per released revision, stable across renders: no spaces, commas, < or &. */
export function capIdentifier(r: Pick<PublicRevision, 'alertCode' | 'seq'>): string {
  return `lvliang-haze.${r.alertCode}.${r.seq}`.replace(/[\s,<&]/g, '-');
}

/** The warning as an incident: every revision of one warning shares it (CAP <incidents>). */
export function capIncident(r: Pick<PublicRevision, 'alertCode'>): string {
  return `lvliang-haze.${r.alertCode}`.replace(/[\s,<&]/g, '-');
}

/**
 * The first revision raises the alert; a level change or an extension updates it; a lift or a withdrawal
 * cancels it, as China's warning release system marks 解除 (and the info says AllClear).
 */
export function capMsgType(kind: ChangeKind): CapMsgType {
  switch (kind) {
    case 'ISSUE':
      return 'Alert';
    case 'UPGRADE':
    case 'DOWNGRADE':
    case 'EXTEND':
      return 'Update';
    case 'LIFT':
    case 'CANCEL':
      return 'Cancel';
  }
}

/** 红 Extreme, 橙 Severe, 黄 Moderate, 蓝 Minor: the four colours on CAP's four severities. */
export function capSeverity(level: WarningLevel): 'Extreme' | 'Severe' | 'Moderate' | 'Minor' {
  return ({ RED: 'Extreme', ORANGE: 'Severe', YELLOW: 'Moderate', BLUE: 'Minor' } as const)[level];
}

/** Past once the warning ends; Immediate when it takes effect within the hour of release; Expected otherwise. */
export function capUrgency(
  r: Pick<PublicRevision, 'kind' | 'effectiveAt' | 'approvedAt'>,
): 'Immediate' | 'Expected' | 'Past' {
  if (capMsgType(r.kind) === 'Cancel') return 'Past';
  return r.effectiveAt.getTime() - r.approvedAt.getTime() <= 3600_000 ? 'Immediate' : 'Expected';
}

/** A reference to an earlier message: "sender,identifier,sent". */
export function capReference(sender: string, r: PublicRevision): string {
  return `${sender},${capIdentifier(r)},${capDateTime(r.approvedAt)}`;
}

const countyList = (r: PublicRevision, ctx: PublicContext) =>
  r.countyCodes.map((c) => ctx.countyNames.get(c) ?? c).join('、');

/** 吕梁市 离石区、孝义市 发布重污染天气橙色预警 — the headline (CAP recommends under 160 characters). */
export function capHeadline(r: PublicRevision, ctx: PublicContext): string {
  const level = `${LEVEL_NAMES[r.level]}预警`;
  const counties = countyList(r, ctx);
  const head = {
    ISSUE: `发布重污染天气${level}`,
    UPGRADE: `重污染天气预警升级为${level}`,
    DOWNGRADE: `重污染天气预警降级为${level}`,
    EXTEND: `重污染天气${level}延长`,
    LIFT: `解除重污染天气${level}`,
    CANCEL: `撤销重污染天气${level}`,
  }[r.kind];
  const text = `吕梁市${counties}${head}`;
  return text.length <= 160 ? text : `吕梁市${head}(${r.countyCodes.length}个区县)`;
}

/** What happens, where and from when, with the reason the command office gave and the notice's 文号. */
export function capDescription(r: PublicRevision, ctx: PublicContext): string {
  const counties = countyList(r, ctx);
  const from = formatTime(r.effectiveAt);
  const parts: string[] = [];
  if (r.kind === 'LIFT') parts.push(`自${from}起,${counties}解除重污染天气${LEVEL_NAMES[r.level]}预警。`);
  else if (r.kind === 'CANCEL')
    parts.push(`原定${from}生效的${counties}重污染天气${LEVEL_NAMES[r.level]}预警撤销。`);
  else {
    parts.push(`自${from}起,${counties}启动重污染天气${LEVEL_NAMES[r.level]}预警。`);
    if (r.expectedEndAt) parts.push(`预计持续至${formatTime(r.expectedEndAt)}。`);
  }
  if (r.reason.trim()) parts.push(`研判意见:${r.reason.trim()}`);
  if (r.documentNumber) parts.push(`文号:${r.documentNumber}。`);
  return parts.join('');
}

/**
 * One CAP 1.2 message for a released revision. `earlier` are the warning's revisions released before it (oldest
 * first): each is referenced, the last being the one this revision changes.
 */
export function capMessage(
  r: PublicRevision,
  earlier: readonly PublicRevision[],
  ctx: PublicContext,
): string {
  const msgType = capMsgType(r.kind);
  const ended = msgType === 'Cancel';
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAP_NAMESPACE, 'alert');
  doc.ele('identifier').txt(capIdentifier(r));
  doc.ele('sender').txt(ctx.sender);
  doc.ele('sent').txt(capDateTime(r.approvedAt));
  doc.ele('status').txt('Actual');
  doc.ele('msgType').txt(msgType);
  doc.ele('scope').txt('Public');
  if (earlier.length) doc.ele('references').txt(earlier.map((e) => capReference(ctx.sender, e)).join(' '));
  doc.ele('incidents').txt(capIncident(r));
  const info = doc.ele('info');
  info.ele('language').txt('zh-CN');
  info.ele('category').txt('Env');
  info.ele('event').txt(`重污染天气${LEVEL_NAMES[r.level]}预警`);
  info.ele('responseType').txt(ended ? 'AllClear' : 'Avoid');
  info.ele('urgency').txt(capUrgency(r));
  info.ele('severity').txt(ended ? 'Minor' : capSeverity(r.level));
  info.ele('certainty').txt(ended ? 'Observed' : 'Likely');
  info.ele('effective').txt(capDateTime(r.effectiveAt));
  if (!ended) info.ele('onset').txt(capDateTime(r.effectiveAt));
  if (!ended && r.expectedEndAt) info.ele('expires').txt(capDateTime(r.expectedEndAt));
  info.ele('senderName').txt(ctx.senderName);
  info.ele('headline').txt(capHeadline(r, ctx));
  info.ele('description').txt(capDescription(r, ctx));
  info.ele('instruction').txt(ended ? ALL_CLEAR_ADVICE : PUBLIC_ADVICE[r.level]);
  info.ele('web').txt(`${ctx.baseUrl}/public`);
  info.ele('contact').txt(ctx.contact);
  const param = (name: string, value: string) => {
    const p = info.ele('parameter');
    p.ele('valueName').txt(name);
    p.ele('value').txt(value);
  };
  param('预警编号', r.alertCode);
  if (r.documentNumber) param('文号', r.documentNumber);
  const area = info.ele('area');
  area.ele('areaDesc').txt(`吕梁市${countyList(r, ctx)}`);
  for (const code of r.countyCodes) {
    const g = area.ele('geocode');
    g.ele('valueName').txt('GB/T 2260');
    g.ele('value').txt(code);
  }
  return doc.end({ prettyPrint: true });
}
