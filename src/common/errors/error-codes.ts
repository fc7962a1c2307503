/**
 * Every coded error the service can return, with its HTTP status. Services throw DomainError with one of
 * these codes; only the exception filters know about HTTP.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  CROSS_ORIGIN_REJECTED: 403,
  /** A signed-in staff member tried to confirm or report through an enterprise's link. */
  STAFF_CANNOT_ACK: 403,
  NOT_FOUND: 404,
  GONE: 410,
  /** A conflict without a code of its own (e.g. a 409 raised by the framework). */
  CONFLICT: 409,
  /** A heads-up (预警提示) from this consultation already went to one of the counties. */
  HEADS_UP_ALREADY_SENT: 409,
  /** The ruleset id is taken. */
  RULESET_ID_TAKEN: 409,
  /** The username is taken. */
  USERNAME_TAKEN: 409,
  /** An enterprise with this unified social credit code is already registered. */
  CREDIT_CODE_TAKEN: 409,
  /** The warning's status does not allow this change (awaiting approval, rejected, ended; or an ISSUE again). */
  ALERT_NOT_CHANGEABLE: 409,
  /** A cancellation of a warning already in effect (or whose effective time has come): lift it instead. */
  ALERT_CANCEL_TOO_LATE: 409,
  /** Another change of the warning already awaits a decision. */
  ALERT_CHANGE_PENDING: 409,
  /** Approve or reject with no change awaiting a decision (e.g. another commander decided it first). */
  ALERT_NO_PENDING_CHANGE: 409,
  /** The change was decided by someone else while this decision was being made. */
  ALERT_CHANGE_ALREADY_DECIDED: 409,
  /** A preview of a warning with neither a pending change nor an approved revision. */
  ALERT_NOTHING_TO_PREVIEW: 409,
  /** A receipt or report through the link of an order a newer order replaced. */
  ORDER_SUPERSEDED: 409,
  /** A receipt or report for an order whose warning was lifted, cancelled or expired. */
  ORDER_ENDED: 409,
  /** A report of measures for an order written ahead that is not in force yet. */
  ORDER_NOT_YET_IN_FORCE: 409,
  /** A reminder now for an order that owes no answer (executed, ended) or has no e-mail address. */
  ORDER_NOT_REMINDABLE: 409,
  /** Re-queueing an outbox message that did not fail. */
  OUTBOX_NOT_FAILED: 409,
  /** The proposer of a warning change tried to approve or reject it (two-person rule). */
  ALERT_SELF_REVIEW: 403,
  /** The same change (kind, level, counties, times) is already pending or approved. */
  ALERT_CHANGE_DUPLICATE: 409,
  /** The warning already is, or is already approved to become, what the change asks. */
  ALERT_CHANGE_NO_EFFECT: 409,
  /** A draft, or a change widening a warning (later end, more counties), would overlap another warning's counties. */
  ALERT_COUNTY_OVERLAP: 409,
  /** A provincial directive with this 文号 is already recorded. */
  DIRECTIVE_NUMBER_TAKEN: 409,
  /** Lifting a provincial directive already lifted, or past its end. */
  DIRECTIVE_LIFTED: 409,
  /** A draft, downgrade, lift or cancellation that would leave a county below a provincial directive's level. */
  DIRECTIVE_FLOOR: 409,
  /** An upload that is no readable XLSX or CSV: another type renamed, empty, damaged, not UTF-8. */
  INVALID_FILE: 400,
  /** Confirming an import preview when the data changed since: the import would not do what was previewed. */
  IMPORT_PREVIEW_STALE: 409,
  /** An import preview past its expiry (or another user's, or already imported). */
  IMPORT_PREVIEW_EXPIRED: 410,
  /** A telemetry push without a valid, unrevoked source key (the session does not count there). */
  API_KEY_INVALID: 401,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
