/**
 * What the structured log writes and at which level: pure functions, so the rules are tested without a server.
 * The module (logging.module.ts) wires them into pino, pino-http and Nest.
 */

/** pino's levels, quietest last; LOG_LEVEL takes one of them. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The names Nest's logger used before (LOG_LEVEL=log, verbose), still accepted so older settings keep working. */
const NEST_ALIASES: Record<string, LogLevel> = { log: 'info', verbose: 'trace' };

/** The pino level a LOG_LEVEL value names (case-insensitive), or null when it names none. */
export function parseLogLevel(value: string): LogLevel | null {
  const v = value.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  return NEST_ALIASES[v] ?? null;
}

/**
 * Nest's start-up chatter: a line per module (InstanceLoader), per controller (RoutesResolver) and per route
 * (RouterExplorer), some 150 lines. Written at debug, not info: the routes are in the README and /api/docs.
 */
const DEBUG_CONTEXTS: ReadonlySet<string> = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The level for a line the embedded PostgreSQL writes to its stderr (all of its log, `LOG:` lines included): its
 * errors as errors, its warnings as warnings, its routine notes at debug.
 */
export function postgresLogLevel(line: string): 'error' | 'warn' | 'debug' {
  if (/\b(PANIC|FATAL|ERROR):/.test(line)) return 'error';
  if (/\bWARNING:/.test(line)) return 'warn';
  return 'debug';
}

/** The level for a line Nest's `Logger.log` writes in this context (the last of its arguments). */
export function nestLogLevel(context: unknown): 'info' | 'debug' {
  return typeof context === 'string' && DEBUG_CONTEXTS.has(context) ? 'debug' : 'info';
}

const REDACTED = '[redacted]';

/** Path prefixes whose next segment is a signed link's token (src/orders/ack.controller, src/parties/party.controller). */
const TOKEN_PATHS = ['/ack/', '/party/'];

/** Query parameters whose value is a secret of some kind: a form's CSRF token, a key, a token. */
const SECRET_QUERY = /^(_csrf|.*(token|key|secret|password|signature).*)$/i;

/**
 * The URL as the log may write it: a signed link's token (/ack/:token…, /party/:token…) and secret-looking
 * query values replaced by `[redacted]`. Anyone who read the log could otherwise open the enterprise's order
 * (or the county's receipt) and acknowledge it in their name.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  for (const prefix of TOKEN_PATHS) {
    if (path.startsWith(prefix) && path.length > prefix.length) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      path = `${prefix}${REDACTED}${slash === -1 ? '' : rest.slice(slash)}`;
      break;
    }
  }
  if (query === '') return q === -1 ? path : `${path}?`;
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: judge the name as written
    }
    return eq !== -1 && SECRET_QUERY.test(decoded) ? `${name}=${REDACTED}` : pair;
  });
  return `${path}?${parts.join('&')}`;
}

/**
 * The route's pattern (`/api/alerts/:id`), never the raw path with its ids (or tokens): the metrics' label and
 * the access log's `route`. Requests no route matched are `unmatched`; static files `/assets/*`.
 */
export function routeLabel(req: {
  baseUrl: string;
  originalUrl: string;
  routePath: string | undefined;
}): string {
  if (req.routePath) return `${req.baseUrl}${req.routePath}`;
  return req.originalUrl.startsWith('/assets/') ? '/assets/*' : 'unmatched';
}

/**
 * Prometheus' scrapes and the orchestrator's probes come every few seconds and say nothing: their access lines
 * go at debug. `/api/health` alone is the health check people (and the smoke test) call, a probe too.
 */
export function isProbe(url: string): boolean {
  const path = url.split('?', 1)[0].replace(/\/+$/, '');
  return path === '/metrics' || path === '/api/health' || path.startsWith('/api/health/');
}

/** The access line's level: debug for probes, info for everything else (a 500's error is the filter's line). */
export function accessLogLevel(url: string): 'info' | 'debug' {
  return isProbe(url) ? 'debug' : 'info';
}

export interface AccessLine {
  method: string;
  route: string;
  url: string;
  status: number;
  ms: number;
}

/** One request's access line: method, route pattern, status and time taken, and the URL without secrets. */
export function accessLine(req: {
  method: string;
  baseUrl: string;
  originalUrl: string;
  routePath: string | undefined;
  status: number;
  ms: number;
}): AccessLine {
  return {
    method: req.method,
    route: routeLabel(req),
    url: redactUrl(req.originalUrl),
    status: req.status,
    ms: req.ms,
  };
}

/** The access line's message, readable at a glance: "GET /api/alerts/:id 200 12ms". */
export function accessMessage(line: AccessLine): string {
  return `${line.method} ${line.route} ${line.status} ${line.ms}ms`;
}

/**
 * Paths pino's redaction censors wherever they turn up in a logged object: headers carrying a session or a key,
 * and request bodies (a login's password, an enterprise's report). The access line writes none of them; this
 * is for whatever code logs a request or a response some day.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.body',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'body',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.body',
];
