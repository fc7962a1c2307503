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
  CONFLICT: 409,
  /** The proposer of a warning change tried to approve or reject it (two-person rule). */
  ALERT_SELF_REVIEW: 403,
  /** The same change (kind, level, counties, times) is already pending or approved. */
  ALERT_CHANGE_DUPLICATE: 409,
  /** The warning already is, or is already approved to become, what the change asks. */
  ALERT_CHANGE_NO_EFFECT: 409,
  /** A draft, or a change widening a warning (later end, more counties), would overlap another warning's counties. */
  ALERT_COUNTY_OVERLAP: 409,
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
