import type { MessageKind } from '../notifications/outbox.rules';

/** The signed links of one party notice: its receipt page, and a county's list of its enterprises' orders. */
export type PartyLinks = (partyNoticeId: string, expiresAt: Date) => { receipt: string; orders: string };

const PARTY_KINDS: readonly MessageKind[] = [
  'COUNTY_NOTICE',
  'DEPARTMENT_NOTICE',
  'PARTY_REMINDER',
  'PARTY_ESCALATION',
];

export function isPartyMessage(kind: MessageKind): boolean {
  return PARTY_KINDS.includes(kind);
}

/**
 * The template context of a county's or department's message. Its content was fixed when it was queued (the
 * context holds the notice as decided); only the signed links are made now, with the secret. A notice that ends
 * the warning (lift, cancellation, expiry) and the duty office's digest carry no level colour: the layout's
 * neutral banner.
 */
export function composePartyMessage(
  kind: MessageKind,
  context: Record<string, unknown>,
  opts: { partyLinks: PartyLinks; dutyOffice: { name: string; phone: string; email: string } },
): Record<string, unknown> {
  const c = context;
  const links =
    typeof c.partyNoticeId === 'string' && typeof c.linkExpiresAt === 'string'
      ? opts.partyLinks(c.partyNoticeId, new Date(c.linkExpiresAt))
      : null;
  const coloured = (kind === 'COUNTY_NOTICE' || kind === 'DEPARTMENT_NOTICE') && c.ending !== true;
  const campaign = (c.campaign as { name: string; kindName: string } | null | undefined) ?? null;
  return {
    ...c,
    campaign,
    // The layout's banner shows the notice's number (文号 once documents are numbered, else the warning's code).
    // A campaign has no level colour: its banner names it.
    alert: coloured && !campaign ? { code: c.number, level: c.level, levelName: c.levelName } : null,
    banner:
      kind === 'PARTY_ESCALATION'
        ? `逾期未签收通报 · ${String(c.number)}`
        : campaign
          ? `${campaign.kindName}${String(c.noticeKindName)} · ${String(c.number)}`
          : `${String(c.levelName)}预警${String(c.noticeKindName)} · ${String(c.number)}`,
    dutyOffice: opts.dutyOffice,
    links,
  };
}
