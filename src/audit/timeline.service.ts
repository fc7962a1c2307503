import { isUuid } from '../common/ids';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import {
  parseTimelineCursor,
  TIMELINE_DEFAULT_LIMIT,
  TIMELINE_MAX_LIMIT,
  timelineEventId,
  timelineLabel,
  timelinePage,
  timelineSummary,
  type TimelineKind,
} from './timeline.rules';

export interface TimelineEvent {
  /** `audit:<id>` or `delivery:<id>`: also the cursor to continue after this event. */
  id: string;
  at: Date;
  kind: TimelineKind;
  action: string;
  /** The action in words: the catalog's label (audit) or the delivery state (delivery). */
  label: string;
  actor: string | null;
  subjectType: string | null;
  subjectId: string | null;
  /** The label with the event's details, as the console shows it. */
  summary: string;
  data: Record<string, unknown>;
}

export interface TimelinePage {
  items: TimelineEvent[];
  /** Pass as `after` for the next page; null at the end. */
  nextAfter: string | null;
  /** Events of the warning in all (counted beside the page, so a busy warning may have grown by one or two). */
  total: number;
}

/**
 * Everything that happened to one warning, in order: its audit entries (drafts, decisions, revisions, orders,
 * acknowledgements, escalations) and the delivery history of its messages. A red warning over 10,000
 * enterprises has tens of thousands of events (megabytes), so it is read a page at a time, keyset-paged on
 * (time, kind, id): stable while events are appended.
 */
@Injectable()
export class TimelineService {
  constructor(private readonly dataSource: DataSource) {}

  async page(alertId: string, opts: { after?: string; limit?: number } = {}): Promise<TimelinePage> {
    if (
      !isUuid(alertId) ||
      !(await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length
    ) {
      throw DomainError.notFound('预警');
    }
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? TIMELINE_DEFAULT_LIMIT), 1), TIMELINE_MAX_LIMIT);
    const cursor = opts.after === undefined ? null : parseTimelineCursor(opts.after);
    if (opts.after !== undefined && (!cursor || !(await this.hasEvent(alertId, cursor.kind, cursor.seq))))
      throw DomainError.validation([{ field: 'after', message: '不是此预警时间线中的事件' }]);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<
        Array<{
          at: Date;
          kind: TimelineKind;
          action: string;
          actor: string | null;
          subject_type: string | null;
          subject_id: string | null;
          data: Record<string, unknown>;
          seq: string;
        }>
      >(
        // Each branch takes at most limit+1 rows past the cursor in the same order, so the merge sorts few rows.
        // The cursor's own (time, kind, id) is read in SQL: a JavaScript Date would drop its microseconds.
        `WITH after_event AS (
           SELECT occurred_at AS at, 'AUDIT'::text AS kind, id AS seq FROM audit_entry
            WHERE $2::text = 'AUDIT' AND id = $3::bigint
           UNION ALL
           SELECT at, 'DELIVERY'::text, id FROM outbox_message_history
            WHERE $2::text = 'DELIVERY' AND id = $3::bigint
         )
         SELECT * FROM (
           (SELECT a.occurred_at AS at, 'AUDIT'::text AS kind, a.action, a.actor_name AS actor, a.subject_type,
                   a.subject_id, a.data, a.id AS seq
              FROM audit_entry a
             WHERE a.alert_id = $1
               AND ($2::text IS NULL OR (a.occurred_at, 'AUDIT'::text, a.id) > (SELECT at, kind, seq FROM after_event))
             ORDER BY a.occurred_at, a.id
             LIMIT $4)
           UNION ALL
           -- The page's rows are picked first, and only they get their JSON built (building it for every
           -- delivery of a red warning before the sort cost most of the time).
           (SELECT h.at, 'DELIVERY'::text, 'message.' || lower(h.to_state), NULL, 'outbox_message', h.message_id::text,
                   jsonb_build_object('from', h.from_state, 'to', h.to_state, 'attempt', h.attempt, 'detail', h.detail,
                                      'recipients', m.recipients, 'kind', m.kind),
                   h.id
              FROM (SELECT h.id
                      FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
                     WHERE m.alert_id = $1
                       AND ($2::text IS NULL OR (h.at, 'DELIVERY'::text, h.id) > (SELECT at, kind, seq FROM after_event))
                     ORDER BY h.at, h.id
                     LIMIT $4) page
              JOIN outbox_message_history h ON h.id = page.id
              JOIN outbox_message m ON m.id = h.message_id)
         ) e
         ORDER BY at, kind, seq
         LIMIT $4`,
        [alertId, cursor?.kind ?? null, cursor?.seq ?? null, limit + 1],
      ),
      this.dataSource.query<Array<{ total: number }>>(
        `SELECT (SELECT count(*) FROM audit_entry WHERE alert_id = $1)::int
              + (SELECT count(*) FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
                  WHERE m.alert_id = $1)::int AS total`,
        [alertId],
      ),
    ]);
    const events = rows.map((r) => ({
      id: timelineEventId(r.kind, String(r.seq)),
      at: r.at,
      kind: r.kind,
      action: r.action,
      label: timelineLabel(r.kind, r.action, r.data),
      actor: r.actor,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      summary: timelineSummary(r.kind, r.action, r.data),
      data: r.data,
    }));
    return { ...timelinePage(events, limit), total };
  }

  /** Whether this event (the cursor) belongs to this warning's timeline. */
  private async hasEvent(alertId: string, kind: TimelineKind, seq: string): Promise<boolean> {
    const [{ found }] = await this.dataSource.query<Array<{ found: boolean }>>(
      kind === 'AUDIT'
        ? 'SELECT EXISTS (SELECT 1 FROM audit_entry WHERE id = $2::bigint AND alert_id = $1) AS found'
        : `SELECT EXISTS (SELECT 1 FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
                           WHERE h.id = $2::bigint AND m.alert_id = $1) AS found`,
      [alertId, seq],
    );
    return found;
  }
}
