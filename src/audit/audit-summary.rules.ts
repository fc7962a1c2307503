import { KIND_NAMES, STATUS_NAMES, type ChangeKind } from '../alerts/alert.rules';
import { ROLE_NAMES, type Role } from '../auth/roles';
import { formatTime } from '../common/time';
import { ANCHOR_REASON_NAMES } from './anchor.rules';
import { ORDER_STATE_NAMES } from '../orders/order.rules';
import { CAMPAIGN_LEVEL } from '../alerts/alert.entity';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/** What the entry alone does not say but the log's reader needs: the level a change replaced. */
export interface SummaryContext {
  previousLevel?: string | null;
}

/** Codes some entries carry as their reason or state, in words. */
const REASON_NAMES: Record<string, string> = {
  ...ANCHOR_REASON_NAMES,
  EXPIRED: '到期',
  UNKNOWN_USER: '无此用户',
  BAD_PASSWORD: '密码错误',
  INACTIVE: '账号已停用',
};

/** Orders', notices' and warnings' states (an order's and a warning's LIFTED read alike). */
const STATE_NAMES: Record<string, string> = { ...ORDER_STATE_NAMES, ...STATUS_NAMES };

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** A code rather than words: one token of Latin letters, digits, `_`, `.` or `-` (EXPIRED, alert.released). */
const isCode = (s: string): boolean => /^[A-Za-z][\w.-]*$/.test(s);
const level = (l: string): string => LEVEL_NAMES[l as WarningLevel] ?? l;
const stateName = (s: unknown): string => STATE_NAMES[str(s)] ?? str(s);
/** Free text kept to one line of the table. */
const short = (s: string, max = 40): string => {
  const line = s.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

/**
 * One line of Chinese saying what an audit entry's data holds (级别 黄色→橙色 · 文号 … · 原因 …), from the fields
 * the code records; an entry with none of them has an empty summary (its raw record is still shown, folded).
 * Codes become words; free text (reasons, comments) is shortened; nothing here is a secret (redacted at write).
 */
export function auditSummary(
  action: string,
  data: Record<string, unknown>,
  ctx: SummaryContext = {},
): string {
  const parts: string[] = [];
  const kind = str(data.kind);
  if (kind && KIND_NAMES[kind as ChangeKind]) parts.push(KIND_NAMES[kind as ChangeKind]);
  // A campaign's records carry the level NONE (it has none): no 级别 part for it.
  const to = str(data.level) === CAMPAIGN_LEVEL ? '' : str(data.level);
  const from = str(ctx.previousLevel) === CAMPAIGN_LEVEL ? '' : str(ctx.previousLevel);
  if (to && from && from !== to) parts.push(`级别 ${level(from)}→${level(to)}`);
  else if (to) parts.push(`级别 ${level(to)}`);
  if (typeof data.effectiveAt === 'string') parts.push(`生效 ${formatTime(data.effectiveAt)}`);
  if (typeof data.expectedEndAt === 'string') parts.push(`预计结束 ${formatTime(data.expectedEndAt)}`);
  if (str(data.documentNumber)) parts.push(`文号 ${str(data.documentNumber)}`);
  for (const key of ['state', 'status'] as const) {
    const change = data[key];
    if (Array.isArray(change) && change.length === 2 && change.every((s) => typeof s === 'string'))
      parts.push(`状态 ${stateName(change[0])}→${stateName(change[1])}`);
  }
  const signer = (data.signer ?? {}) as Record<string, unknown>;
  // Orders record `signer: {name, phone}`; party notices `signerName` beside the state.
  const signerName = str(signer.name) || str(data.signerName);
  if (signerName) parts.push(`${action.endsWith('executed') ? '报告人' : '签收人'} ${signerName}`);
  const reason = str(data.reason);
  if (reason) {
    if (!isCode(reason)) parts.push(`原因 ${short(reason)}`);
    else if (REASON_NAMES[reason]) parts.push(`原因 ${REASON_NAMES[reason]}`);
  }
  if (str(data.comment)) parts.push(`意见 ${short(str(data.comment))}`);
  if (str(data.message) && action === 'alert.approval.two-person-concern')
    parts.push(short(str(data.message), 60));
  if (str(data.note) && !isCode(str(data.note))) parts.push(`说明 ${short(str(data.note))}`);
  if (str(data.displayName)) parts.push(`姓名 ${str(data.displayName)}`);
  if (Array.isArray(data.roles))
    parts.push(`角色 ${data.roles.map((r) => ROLE_NAMES[r as Role] ?? String(r)).join('、')}`);
  if (str(data.filename)) parts.push(`文件 ${str(data.filename)}`);
  const counts: Array<[string, string, string]> = [
    ['orders', '指令', '份'],
    ['enterprises', '企业', '家'],
    ['created', '新增', '家'],
    ['updated', '更新', '家'],
    ['ended', '解除指令', '份'],
    ['notices', '通知', '份'],
    ['messages', '消息', '条'],
  ];
  for (const [key, name, unit] of counts) {
    const n = num(data[key]);
    if (n !== null) parts.push(`${name} ${n} ${unit}`);
  }
  return parts.join(' · ');
}
