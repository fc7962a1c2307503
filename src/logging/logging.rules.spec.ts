import {
  postgresLogLevel,
  accessLine,
  accessLogLevel,
  accessMessage,
  isProbe,
  nestLogLevel,
  parseLogLevel,
  redactUrl,
  routeLabel,
} from './logging.rules';

describe('parseLogLevel', () => {
  it("takes pino's levels, in any case", () => {
    expect(parseLogLevel('info')).toBe('info');
    expect(parseLogLevel(' DEBUG ')).toBe('debug');
    expect(parseLogLevel('silent')).toBe('silent');
    expect(parseLogLevel('fatal')).toBe('fatal');
  });

  it("reads Nest's old names: log is info, verbose is trace", () => {
    expect(parseLogLevel('log')).toBe('info');
    expect(parseLogLevel('verbose')).toBe('trace');
  });

  it('names no level for anything else', () => {
    expect(parseLogLevel('loud')).toBeNull();
    expect(parseLogLevel('')).toBeNull();
  });
});

describe('postgresLogLevel', () => {
  it('maps the server lines to their weight', () => {
    expect(postgresLogLevel('2026-12-02 04:40:01.123 UTC [88] FATAL:  role "x" does not exist')).toBe(
      'error',
    );
    expect(postgresLogLevel('2026-12-02 04:40:01 UTC [88] ERROR:  relation "y" does not exist')).toBe(
      'error',
    );
    expect(postgresLogLevel('2026-12-02 04:40:01 UTC [88] WARNING:  could not flush dirty data')).toBe(
      'warn',
    );
    expect(
      postgresLogLevel('2026-12-02 04:40:01 UTC [88] LOG:  database system is ready to accept connections'),
    ).toBe('debug');
  });
});

describe('nestLogLevel', () => {
  it("puts Nest's per-module and per-route start-up lines at debug", () => {
    expect(nestLogLevel('InstanceLoader')).toBe('debug');
    expect(nestLogLevel('RoutesResolver')).toBe('debug');
    expect(nestLogLevel('RouterExplorer')).toBe('debug');
  });

  it('keeps every other context, and none, at info', () => {
    expect(nestLogLevel('NestApplication')).toBe('info');
    expect(nestLogLevel('OutboxDispatcher')).toBe('info');
    expect(nestLogLevel(undefined)).toBe('info');
    expect(nestLogLevel({ context: 'RouterExplorer' })).toBe('info');
  });
});

describe('redactUrl', () => {
  it("hides a signed link's token, keeping the rest of the path and the query", () => {
    expect(redactUrl('/ack/eyJvIjoiMSJ9.c2ln')).toBe('/ack/[redacted]');
    expect(redactUrl('/ack/eyJvIjoiMSJ9.c2ln/print?copy=2')).toBe('/ack/[redacted]/print?copy=2');
    expect(redactUrl('/ack/abc/notice.pdf')).toBe('/ack/[redacted]/notice.pdf');
    expect(redactUrl('/party/p.q.r/orders.xlsx')).toBe('/party/[redacted]/orders.xlsx');
    expect(redactUrl('/party/p.q.r')).toBe('/party/[redacted]');
  });

  it('leaves other paths as they are, including ones that only look alike', () => {
    expect(redactUrl('/api/alerts/7f3c?limit=5')).toBe('/api/alerts/7f3c?limit=5');
    expect(redactUrl('/ack/')).toBe('/ack/');
    expect(redactUrl('/api/ack/x')).toBe('/api/ack/x');
    expect(redactUrl('/acknowledge/x')).toBe('/acknowledge/x');
    expect(redactUrl('/')).toBe('/');
  });

  it('hides the values of secret-looking query parameters, and only those', () => {
    expect(redactUrl('/orders/1/cancel?_csrf=abc123&next=%2Forders')).toBe(
      '/orders/1/cancel?_csrf=[redacted]&next=%2Forders',
    );
    expect(redactUrl('/x?token=t&apiKey=k&client_secret=s&page=2')).toBe(
      '/x?token=[redacted]&apiKey=[redacted]&client_secret=[redacted]&page=2',
    );
    expect(redactUrl('/x?%74oken=t')).toBe('/x?%74oken=[redacted]');
    expect(redactUrl('/x?token')).toBe('/x?token');
    expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
    expect(redactUrl('/x?')).toBe('/x?');
  });
});

describe('routeLabel', () => {
  it("is the matched route's pattern under its router's base", () => {
    expect(routeLabel({ baseUrl: '', originalUrl: '/api/alerts/1', routePath: '/api/alerts/:id' })).toBe(
      '/api/alerts/:id',
    );
    expect(routeLabel({ baseUrl: '/v2', originalUrl: '/v2/x/1', routePath: '/x/:id' })).toBe('/v2/x/:id');
  });

  it('is /assets/* for static files and unmatched for anything else no route took', () => {
    expect(routeLabel({ baseUrl: '', originalUrl: '/assets/console.css', routePath: undefined })).toBe(
      '/assets/*',
    );
    expect(routeLabel({ baseUrl: '', originalUrl: '/ack/secret-token/x', routePath: undefined })).toBe(
      'unmatched',
    );
  });
});

describe('isProbe and accessLogLevel', () => {
  it('counts the scrape and the health checks as probes, logged at debug', () => {
    for (const url of [
      '/metrics',
      '/metrics?x=1',
      '/api/health',
      '/api/health/',
      '/api/health/live',
      '/api/health/ready',
    ]) {
      expect(isProbe(url)).toBe(true);
      expect(accessLogLevel(url)).toBe('debug');
    }
  });

  it('logs every other request at info', () => {
    for (const url of ['/', '/api/alerts', '/api/healthy', '/metricsx', '/public/warnings.atom']) {
      expect(isProbe(url)).toBe(false);
      expect(accessLogLevel(url)).toBe('info');
    }
  });
});

describe('accessLine and accessMessage', () => {
  it('has the method, route pattern, status and ms, and the URL without its token', () => {
    const line = accessLine({
      method: 'POST',
      baseUrl: '',
      originalUrl: '/ack/tok.sig/receipt?_csrf=c',
      routePath: '/ack/:token/receipt',
      status: 201,
      ms: 14,
    });
    expect(line).toEqual({
      method: 'POST',
      route: '/ack/:token/receipt',
      url: '/ack/[redacted]/receipt?_csrf=[redacted]',
      status: 201,
      ms: 14,
    });
    expect(accessMessage(line)).toBe('POST /ack/:token/receipt 201 14ms');
  });
});
