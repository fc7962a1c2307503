/** A page of the timeline unless the client asks otherwise, and the most it may ask for. */
export const TIMELINE_DEFAULT_LIMIT = 200;
export const TIMELINE_MAX_LIMIT = 1000;

export type TimelineKind = 'AUDIT' | 'DELIVERY';

/** An event's id, also the cursor: `audit:<audit entry id>` or `delivery:<delivery history id>`. */
export const CURSOR_PATTERN = /^(audit|delivery):([1-9]\d{0,17})$/;

export function timelineEventId(kind: TimelineKind, seq: string): string {
  return `${kind === 'AUDIT' ? 'audit' : 'delivery'}:${seq}`;
}

/** The event a cursor names, or null when it is no event id. */
export function parseTimelineCursor(cursor: string): { kind: TimelineKind; seq: string } | null {
  const m = CURSOR_PATTERN.exec(cursor);
  return m ? { kind: m[1] === 'audit' ? 'AUDIT' : 'DELIVERY', seq: m[2] } : null;
}

/**
 * Cuts a page from rows fetched with one more than the limit: that extra row only says there is more, and the
 * next page starts after the last row kept.
 */
export function timelinePage<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextAfter: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? items[items.length - 1].id : null };
}
