import { parseTimelineCursor, timelineEventId, timelinePage } from './timeline.rules';

describe('timeline cursors', () => {
  it('names an event by its table and id, and reads the name back', () => {
    expect(timelineEventId('AUDIT', '42')).toBe('audit:42');
    expect(timelineEventId('DELIVERY', '7')).toBe('delivery:7');
    expect(parseTimelineCursor('audit:42')).toEqual({ kind: 'AUDIT', seq: '42' });
    expect(parseTimelineCursor('delivery:7')).toEqual({ kind: 'DELIVERY', seq: '7' });
  });

  it.each([
    '42',
    'audit:',
    'audit:0',
    'audit:01',
    'audit:-1',
    'other:1',
    'audit:1 ',
    `audit:${'9'.repeat(19)}`,
  ])('refuses %j', (cursor) => {
    expect(parseTimelineCursor(cursor)).toBeNull();
  });
});

describe('timelinePage', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `audit:${i + 1}` }));

  it('keeps the limit and points past the last row kept when a further row came back', () => {
    expect(timelinePage(rows(3), 2)).toEqual({ items: rows(2), nextAfter: 'audit:2' });
  });

  it('ends without a cursor when no further row came back', () => {
    expect(timelinePage(rows(2), 2)).toEqual({ items: rows(2), nextAfter: null });
    expect(timelinePage([], 2)).toEqual({ items: [], nextAfter: null });
  });
});
