import {
  apiBodyRefusal,
  isApiPath,
  isJsonMediaType,
  originRefusal,
  ownOrigin,
  RequestFacts,
  requestRefusal,
} from './request-origin.rules';

const APP_URL = 'https://haze.example.gov.cn';

/** A JSON POST to the API from a client that sends no browser headers (curl), on the service's own host. */
const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  method: 'POST',
  path: '/api/users',
  host: '127.0.0.1:3103',
  protocol: 'http',
  contentType: 'application/json',
  contentLength: '20',
  appUrl: APP_URL,
  ...over,
});

const code = (f: RequestFacts) => requestRefusal(f)?.code ?? 'allowed';

describe('originRefusal', () => {
  it('allows a request without Origin or Sec-Fetch-Site (curl, scripts)', () => {
    expect(originRefusal(facts())).toBeNull();
  });

  it("allows APP_URL's origin, whatever host the request arrived on", () => {
    expect(originRefusal(facts({ origin: 'https://haze.example.gov.cn' }))).toBeNull();
    // Case and the default port are part of the serialization, not of the origin.
    expect(originRefusal(facts({ origin: 'HTTPS://Haze.Example.gov.cn' }))).toBeNull();
    expect(
      originRefusal(facts({ appUrl: 'https://haze.example.gov.cn:443/console', origin: APP_URL })),
    ).toBeNull();
  });

  it("allows the request's own origin (demo opened as 127.0.0.1 instead of localhost)", () => {
    expect(
      originRefusal(
        facts({ appUrl: 'http://localhost:3103', host: '127.0.0.1:3103', origin: 'http://127.0.0.1:3103' }),
      ),
    ).toBeNull();
    expect(originRefusal(facts({ host: '[::1]:3103', origin: 'http://[::1]:3103' }))).toBeNull();
  });

  it.each([
    ['another port of the same host', 'http://127.0.0.1:8081'],
    ['another scheme of the same host', 'https://127.0.0.1:3103'],
    ['a sibling subdomain of APP_URL', 'https://evil.example.gov.cn'],
    ['APP_URL with a path (not an origin)', 'https://haze.example.gov.cn/'],
    ['"null" (sandboxed frame, data: page, cross-origin redirect)', 'null'],
    ['an empty Origin', ''],
    ['garbage', 'not a url'],
  ])('refuses Origin from %s', (_what, origin) => {
    expect(originRefusal(facts({ origin }))?.code).toBe('CROSS_ORIGIN_REJECTED');
  });

  it('refuses a foreign Origin even when Sec-Fetch-Site claims same-origin', () => {
    expect(originRefusal(facts({ origin: 'http://127.0.0.1:8081', secFetchSite: 'same-origin' }))?.code).toBe(
      'CROSS_ORIGIN_REJECTED',
    );
  });

  it('does not take an odd Host header as our own origin', () => {
    expect(ownOrigin('http', 'evil.test@127.0.0.1:3103')).toBeNull();
    expect(ownOrigin('http', '127.0.0.1:3103/x')).toBeNull();
    expect(ownOrigin('http', undefined)).toBeNull();
    expect(ownOrigin('http', '127.0.0.1:80')).toBe('http://127.0.0.1');
    expect(
      originRefusal(facts({ host: 'evil.test@127.0.0.1:3103', origin: 'http://127.0.0.1:3103' }))?.code,
    ).toBe('CROSS_ORIGIN_REJECTED');
  });

  it.each(['cross-site', 'same-site', 'Same-Site', 'something-new'])(
    'refuses Sec-Fetch-Site: %s without Origin',
    (secFetchSite) => {
      expect(originRefusal(facts({ secFetchSite }))?.code).toBe('CROSS_ORIGIN_REJECTED');
    },
  );

  it.each(['same-origin', 'none'])('allows Sec-Fetch-Site: %s without Origin', (secFetchSite) => {
    expect(originRefusal(facts({ secFetchSite }))).toBeNull();
  });

  it('allows Sec-Fetch-Site: same-site when the Origin is ours', () => {
    expect(originRefusal(facts({ origin: APP_URL, secFetchSite: 'same-site' }))).toBeNull();
  });

  it('says in Chinese why', () => {
    expect(originRefusal(facts({ origin: 'null' }))?.message).toMatch(/其他网站/);
  });
});

describe('apiBodyRefusal', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
  ])('allows %s', (contentType) => {
    expect(apiBodyRefusal(facts({ contentType }))).toBeNull();
  });

  it.each([
    'application/x-www-form-urlencoded',
    'text/plain',
    'text/plain; charset=utf-8',
    'application/xml',
    'application/jsonx',
    'text/json',
  ])('refuses %s', (contentType) => {
    expect(apiBodyRefusal(facts({ contentType }))?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an empty form post: a type other than JSON counts even without a body', () => {
    expect(
      apiBodyRefusal(facts({ contentType: 'application/x-www-form-urlencoded', contentLength: '0' }))?.code,
    ).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a multipart upload without X-Requested-With, allows it with one', () => {
    const multipart = 'multipart/form-data; boundary=----x';
    expect(apiBodyRefusal(facts({ contentType: multipart }))?.message).toMatch(/X-Requested-With/);
    expect(apiBodyRefusal(facts({ contentType: multipart, requestedWith: '  ' }))?.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(apiBodyRefusal(facts({ contentType: multipart, requestedWith: 'XMLHttpRequest' }))).toBeNull();
  });

  it('allows a request without a body or type (POST /api/auth/logout from curl)', () => {
    expect(apiBodyRefusal(facts({ contentType: undefined, contentLength: undefined }))).toBeNull();
    expect(apiBodyRefusal(facts({ contentType: undefined, contentLength: '0' }))).toBeNull();
  });

  it('refuses a body without a type', () => {
    expect(apiBodyRefusal(facts({ contentType: undefined, contentLength: '12' }))?.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(
      apiBodyRefusal(facts({ contentType: undefined, contentLength: undefined, transferEncoding: 'chunked' }))
        ?.code,
    ).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('recognises JSON media types only', () => {
    expect(isJsonMediaType('application/problem+json')).toBe(true);
    expect(isJsonMediaType('application/json+x')).toBe(false);
    expect(isJsonMediaType(undefined)).toBe(false);
  });
});

describe('requestRefusal', () => {
  it('lets safe methods through whatever they carry', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(code(facts({ method, origin: 'http://127.0.0.1:8081', contentType: 'text/plain' }))).toBe(
        'allowed',
      );
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'delete'])('checks %s', (method) => {
    expect(code(facts({ method, origin: 'http://127.0.0.1:8081' }))).toBe('CROSS_ORIGIN_REJECTED');
    expect(code(facts({ method, contentType: 'application/x-www-form-urlencoded' }))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('checks the Origin of console, login and enterprise-link posts but lets them send forms', () => {
    const form = { contentType: 'application/x-www-form-urlencoded' };
    for (const path of ['/login', '/users', '/alerts/:id/:action', '/ack/:token/receipt']) {
      expect(code(facts({ ...form, path }))).toBe('allowed');
      expect(code(facts({ ...form, path, origin: 'http://127.0.0.1:8081' }))).toBe('CROSS_ORIGIN_REJECTED');
    }
  });

  it('answers a cross-origin form post to the API with the origin refusal', () => {
    expect(
      code(facts({ origin: 'http://127.0.0.1:8081', contentType: 'application/x-www-form-urlencoded' })),
    ).toBe('CROSS_ORIGIN_REJECTED');
  });

  it('treats the API path as Express routes it (any case, repeated slashes)', () => {
    expect(isApiPath('/API/users')).toBe(true);
    expect(isApiPath('//api//users')).toBe(true);
    expect(isApiPath('/api')).toBe(true);
    expect(isApiPath('/apiary')).toBe(false);
    expect(isApiPath('/alerts/x/approve')).toBe(false);
  });
});
