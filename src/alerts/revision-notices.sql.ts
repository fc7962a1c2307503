/**
 * The notices a revision's approval queued, as SQL over `alert_revision r`, `reduction_order o` and
 * `outbox_message m`: for an issue, upgrade or downgrade the order notices of its orders, for a lift or
 * cancellation its end notices, for an extension the extension notices naming its new expected end (they belong to
 * the orders in force, not to new ones). Reminders, escalations and the expiry notice (no revision decided it) are
 * no revision's release.
 */
const OWN_NOTICE = `r.kind <> 'EXTEND' AND o.revision_id = r.id
     AND ((r.kind IN ('LIFT', 'CANCEL')) = (m.kind IN ('ORDER_LIFTED', 'ORDER_CANCELLED')))
     AND m.kind IN ('ORDER_ISSUED', 'ORDER_ADJUSTED', 'ORDER_LIFTED', 'ORDER_CANCELLED')`;
const EXTENSION_NOTICE = `r.kind = 'EXTEND' AND o.alert_id = r.alert_id AND m.kind = 'ORDER_EXTENDED'
     AND (m.context->>'expectedEndAt')::timestamptz = r.expected_end_at`;

/**
 * Per revision `r` (a LATERAL body): its notices, those not yet sent, and when the last was handed to SMTP — the
 * revision's release (发布) once none is left unsent.
 */
export const REVISION_NOTICES_SQL = `
  SELECT count(*)::int AS notices, (count(*) FILTER (WHERE n.state <> 'SENT'))::int AS unsent,
         max(n.sent_at) AS last_sent_at
    FROM (SELECT m.state, m.sent_at FROM reduction_order o JOIN outbox_message m ON m.order_id = o.id
           WHERE ${OWN_NOTICE}
          UNION ALL
          SELECT m.state, m.sent_at FROM reduction_order o JOIN outbox_message m ON m.order_id = o.id
           WHERE ${EXTENSION_NOTICE}) n`;

/**
 * Approved revisions with notices not yet sent, with the hours their warning's ruleset allows from approval to
 * release: those of warnings still in force, and any approved within the 72 hours before `$1` (a lift's notices
 * after the warning ended); a dead letter of a warning long over is the outbox page's, not the dashboard's. Starts
 * from the unsent messages (each state through its partial index), so it costs next to nothing once all is sent.
 */
export const UNRELEASED_REVISIONS_SQL = `
  WITH m AS (
    SELECT id, order_id, kind, context FROM outbox_message WHERE state IN ('QUEUED', 'RETRYING')
    UNION ALL SELECT id, order_id, kind, context FROM outbox_message WHERE state = 'SENDING'
    UNION ALL SELECT id, order_id, kind, context FROM outbox_message WHERE state = 'FAILED')
  SELECT r.id AS revision_id, r.alert_id, a.code AS alert_code, r.seq, r.kind, r.approved_at,
         count(*)::int AS unsent,
         (rs.definition->'approval'->>'approvalToReleaseHours')::float8 AS limit_hours
    FROM m
    JOIN reduction_order o ON o.id = m.order_id
    JOIN alert_revision r ON r.alert_id = o.alert_id AND ((${OWN_NOTICE}) OR (${EXTENSION_NOTICE}))
    JOIN alert a ON a.id = r.alert_id
    JOIN ruleset rs ON rs.id = a.ruleset_id
   WHERE a.status IN ('ISSUED', 'ACTIVE') OR r.approved_at > $1::timestamptz - interval '72 hours'
   GROUP BY r.id, a.id, rs.id`;
