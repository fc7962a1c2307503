export const MESSAGE_STATES = ['QUEUED', 'SENDING', 'SENT', 'RETRYING', 'FAILED'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export const MESSAGE_KINDS = [
  'ORDER_ISSUED',
  'ORDER_ADJUSTED',
  'ORDER_LIFTED',
  'ORDER_CANCELLED',
  /** The warning's expected end moved later: to each enterprise with an order in force. */
  'ORDER_EXTENDED',
  'REMINDER',
  'ESCALATION',
  /** The audit chain's signed head, to the auditors (published outside the database). */
  'AUDIT_ANCHOR',
  /** A heads-up (预警提示) from a consultation's outlook, to each enterprise of the counties: no order. */
  'HEADS_UP',
  /** A warning revision's (or expiry's) notice to a county bureau: its enterprises, its duties, a signed link. */
  'COUNTY_NOTICE',
  /** A warning revision's (or expiry's) notice to a city department: its duties at the level, a signed link. */
  'DEPARTMENT_NOTICE',
  /** A county bureau or department has not confirmed a notice by its deadline. */
  'PARTY_REMINDER',
  /** To the duty office: the counties and departments that have not confirmed by their deadline. */
  'PARTY_ESCALATION',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Connection-level failures worth retrying (nodemailer reports a refused connection as ESOCKET). */
const CONNECTION_CODES = [
  'ESOCKET',
  'ECONNECTION',
  'ETIMEDOUT',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
];

/**
 * Local I/O failures of the file transport (demo mode's .eml outbox): a full disk or quota, too many open files, a
 * device error, a busy or read-only file system, a permission or a directory someone changed. None is about the
 * message: it will be written once the machine is put right, so it waits with the usual backoff instead of failing
 * for good (MAIL_MAX_ATTEMPTS still bounds it).
 */
const LOCAL_IO_CODES = [
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EAGAIN',
  'EBUSY',
  'EINTR',
  'ENOMEM',
  'EROFS',
  'ESTALE',
  'EACCES',
  'EPERM',
  'ENOENT',
];

const TRANSIENT_CODES = [...CONNECTION_CODES, ...LOCAL_IO_CODES];

/** With an SMTP reply code, 4xx is transient and 5xx permanent; without one, connection and local I/O errors retry. */
export function isTransientMailError(error: unknown): boolean {
  const e = error as { responseCode?: unknown; code?: unknown };
  if (typeof e?.responseCode === 'number') return e.responseCode >= 400 && e.responseCode < 500;
  return typeof e?.code === 'string' && TRANSIENT_CODES.includes(e.code);
}

export function describeMailError(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; message?: string };
  return [e?.code, e?.responseCode, e?.message ?? String(error)]
    .filter((x) => x !== undefined && x !== '')
    .join(' ')
    .slice(0, 500);
}

/**
 * Delay before attempt `attempt + 1`: base × 2^(attempt-1), capped, with ±20% jitter so retries from many
 * messages spread out. `random` is injectable for tests.
 */
export function retryDelayMs(
  attempt: number,
  opts: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/** What a failed send leads to: another try later, or FAILED (permanent, or out of attempts). */
export function afterFailure(error: unknown, attempts: number, maxAttempts: number): 'RETRYING' | 'FAILED' {
  return isTransientMailError(error) && attempts < maxAttempts ? 'RETRYING' : 'FAILED';
}

/** RFC 5322 Message-ID for an outbox message: the idempotency key mail systems use to drop duplicates. */
export function messageIdHeader(id: string, domain: string): string {
  return `<${id}@${domain}>`;
}

/**
 * How often a dispatcher renews the leases of the messages it still has in flight: a third of the lease, so two
 * renewals in a row can fail (a slow or restarting database) before a live dispatcher's lease runs out.
 */
export function leaseRenewalEveryMs(leaseMs: number): number {
  return Math.max(100, Math.floor(leaseMs / 3));
}

/**
 * The claims a renewal did not extend: held when it started and still held now, but no longer SENDING under this
 * claim's attempt (recovered after an expired lease, and perhaps claimed again elsewhere). The dispatcher stops
 * renewing them, so it never extends a lease that is now another claim's.
 */
export function leasesLost(
  asked: ReadonlyArray<{ id: string; attempts: number }>,
  renewed: Iterable<string>,
  stillHeld: (id: string, attempts: number) => boolean,
): string[] {
  const kept = new Set(renewed);
  return asked.filter((c) => !kept.has(c.id) && stillHeld(c.id, c.attempts)).map((c) => c.id);
}
