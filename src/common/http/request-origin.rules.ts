/**
 * Which state-changing requests the service accepts, decided from the request's headers alone.
 *
 * A page on another origin can make a signed-in browser submit a plain HTML form to us, and the
 * SameSite=Lax session cookie goes along when that origin is on the same site (another port of
 * 127.0.0.1, a sibling subdomain). Two independent checks close that:
 * - every unsafe request must come from our own origin (Origin / Sec-Fetch-Site);
 * - the JSON API takes only JSON bodies, which a form cannot send, and uploads must carry a header a form
 *   cannot set (a cross-origin script would need a CORS preflight, which we never answer).
 */

export type RefusalCode = 'CROSS_ORIGIN_REJECTED' | 'UNSUPPORTED_MEDIA_TYPE';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** What the decision reads from a request. Header values as Node gives them (undefined when absent). */
export interface RequestFacts {
  method: string;
  /** The route's path (or the request's, without the query string), e.g. `/api/users`. */
  path: string;
  origin?: string;
  secFetchSite?: string;
  /** The Host header: with the protocol, the request's own origin. */
  host?: string;
  /** `http` or `https`, as the server saw the request. */
  protocol: string;
  contentType?: string;
  contentLength?: string;
  transferEncoding?: string;
  requestedWith?: string;
  /** APP_URL: its origin is always ours. */
  appUrl: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sec-Fetch-Site values that say the browser itself (or the user) started the request on our origin. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

// A Host header we are willing to turn into an origin: a name or IPv4 address, or a bracketed IPv6 one.
const HOST_SHAPE = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export const CROSS_ORIGIN_MESSAGE = '请求来自其他网站或来源不明,已拒绝;请在本系统的页面内操作';
export const JSON_ONLY_MESSAGE =
  '接口只接受 JSON 格式的请求内容(Content-Type: application/json),不接受网页表单提交';
export const UPLOAD_HEADER_MESSAGE =
  '上传文件须随请求发送 X-Requested-With 请求头(任意非空值),普通网页表单无法发送此请求头';

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The serialized origin of a URL (scheme, host, port as a browser writes it), or null. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The request's own origin from its scheme and Host header, or null when the Host is absent or odd. */
export function ownOrigin(protocol: string, host: string | undefined): string | null {
  if (!host || !HOST_SHAPE.test(host)) return null;
  return originOf(`${protocol}://${host}`);
}

/**
 * Refuses an unsafe request that a browser sent from another origin. Non-browser clients (curl, scripts)
 * send neither header and pass; their requests cannot ride on someone else's session cookie.
 */
export function originRefusal(f: RequestFacts): Refusal | null {
  const refused: Refusal = { code: 'CROSS_ORIGIN_REJECTED', message: CROSS_ORIGIN_MESSAGE };
  if (f.origin !== undefined) {
    // "null" is what sandboxed frames, data: and file: pages and cross-origin redirects send: never ours.
    const given = f.origin.trim().toLowerCase();
    const ours = [originOf(f.appUrl), ownOrigin(f.protocol, f.host)].filter((o) => o !== null);
    return ours.includes(given) ? null : refused;
  }
  // Without Origin, only Fetch Metadata can tell: same-site is still another origin (another port or host).
  const site = f.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && !OWN_FETCH_SITES.has(site)) return refused;
  return null;
}

/** The media type without parameters, lower case; undefined when the header is absent or empty. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type ? type : undefined;
}

export function isJsonMediaType(type: string | undefined): boolean {
  return type === 'application/json' || (!!type && /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type));
}

/** Whether the request carries a body (as Node's type-is decides it), for a request without a type. */
function carriesBody(f: RequestFacts): boolean {
  if (f.transferEncoding !== undefined) return true;
  const length = Number(f.contentLength);
  return f.contentLength !== undefined && Number.isFinite(length) && length > 0;
}

/**
 * The JSON API takes JSON bodies only; a multipart upload must also carry X-Requested-With. Any content
 * type counts, even on an empty body: an empty form post would otherwise still approve a warning.
 */
export function apiBodyRefusal(f: RequestFacts): Refusal | null {
  const type = mediaTypeOf(f.contentType);
  if (type === undefined)
    return carriesBody(f) ? { code: 'UNSUPPORTED_MEDIA_TYPE', message: JSON_ONLY_MESSAGE } : null;
  if (isJsonMediaType(type)) return null;
  if (type === 'multipart/form-data')
    return f.requestedWith?.trim()
      ? null
      : { code: 'UNSUPPORTED_MEDIA_TYPE', message: UPLOAD_HEADER_MESSAGE };
  return { code: 'UNSUPPORTED_MEDIA_TYPE', message: JSON_ONLY_MESSAGE };
}

/** Express matches routes case-insensitively and tolerates repeated slashes, so the test must too. */
export function isApiPath(path: string): boolean {
  const p = path.toLowerCase().replace(/\/{2,}/g, '/');
  return p === '/api' || p.startsWith('/api/');
}

/** The whole decision for one request: null to let it through, or why it is refused. */
export function requestRefusal(f: RequestFacts): Refusal | null {
  if (!isUnsafeMethod(f.method)) return null;
  return originRefusal(f) ?? (isApiPath(f.path) ? apiBodyRefusal(f) : null);
}
