import { create } from 'xmlbuilder2';
import { capDateTime, capHeadline } from './cap.rules';
import type { PublicContext, PublicRevision } from './public-warning.types';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** Where a revision's CAP message is served. */
export function capUrl(ctx: PublicContext, r: Pick<PublicRevision, 'revisionId'>): string {
  return `${ctx.baseUrl}/public/cap/${r.revisionId}`;
}

/**
 * The Atom index of released revisions, newest first (RFC 4287: feed id, title, updated, author; each entry its
 * id, title, updated and a link to its CAP message, as the OASIS CAP feed practice has it).
 */
export function atomFeed(revisions: readonly PublicRevision[], ctx: PublicContext, now: Date): string {
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele(ATOM_NAMESPACE, 'feed');
  feed.ele('id').txt(`${ctx.baseUrl}/public/warnings.atom`);
  feed.ele('title').txt('吕梁市重污染天气预警');
  feed.ele('subtitle').txt(`${ctx.senderName}发布的重污染天气预警(CAP 1.2)`);
  // With no warning yet the feed is as new as the request: RFC 4287 asks for an updated element regardless.
  feed.ele('updated').txt(capDateTime(revisions[0]?.approvedAt ?? now));
  feed.ele('author').ele('name').txt(ctx.senderName);
  feed.ele('link', {
    rel: 'self',
    type: 'application/atom+xml',
    href: `${ctx.baseUrl}/public/warnings.atom`,
  });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: `${ctx.baseUrl}/public` });
  for (const r of revisions) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(capUrl(ctx, r));
    entry.ele('title').txt(capHeadline(r, ctx));
    entry.ele('updated').txt(capDateTime(r.approvedAt));
    entry.ele('link', { rel: 'alternate', type: 'application/cap+xml', href: capUrl(ctx, r) });
    entry.ele('summary').txt(capHeadline(r, ctx) + (r.documentNumber ? `(${r.documentNumber})` : ''));
  }
  return feed.end({ prettyPrint: true });
}
