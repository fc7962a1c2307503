import { QueryFailedError } from 'typeorm';

/** SQLSTATEs that say the database cannot serve us now, whatever the query was. */
const OUTAGE_STATES = new Set([
  '57P01', // admin_shutdown: our connection was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database is gone (renamed, dropped)
]);

/** Socket errors of a database that cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** What node-postgres says, without a code, when a connection dies or cannot be made in time. */
const DRIVER_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect)/;

/**
 * Whether an error means the database is unavailable (answer 503 and let the client retry) rather than a bug
 * (500). A query error is judged by its SQLSTATE (class 08 is "connection exception"); an error with a SQLSTATE
 * that did not come from a query (TypeORM wraps those in QueryFailedError) was raised while connecting, e.g.
 * "database … is not currently accepting connections" (55000), and counts too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const driver = (error as { driverError?: { code?: unknown; message?: unknown } }).driverError;
  const state = typeof driver?.code === 'string' ? driver.code : code;
  if (typeof state === 'string') {
    if (NETWORK_CODES.has(state)) return true;
    if (/^[0-9A-Z]{5}$/.test(state)) {
      if (state.startsWith('08') || OUTAGE_STATES.has(state)) return true;
      return !(error instanceof QueryFailedError);
    }
  }
  const text = typeof driver?.message === 'string' ? driver.message : message;
  return typeof text === 'string' && DRIVER_MESSAGES.test(text);
}
