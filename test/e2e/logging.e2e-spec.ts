import { Controller, Get, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Public } from '../../src/auth/auth.decorators';
import { LOG_DESTINATION } from '../../src/logging/logging.module';
import { signAckToken } from '../../src/orders/ack-token';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/test-app';

type Line = Record<string, unknown> & { level: string; time: string; msg?: string; requestId?: string };

/** A destination for the app's log that keeps every line, and waits (without sleeping) for one to turn up. */
class LogCapture extends Writable {
  readonly raw: string[] = [];
  readonly lines: Line[] = [];
  private waiters: Array<{ test: (l: Line) => boolean; resolve: (l: Line) => void }> = [];
  private partial = '';

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) {
      this.raw.push(raw);
      const line = JSON.parse(raw) as Line; // throws (and fails the test) on a line that is not JSON
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
    }
    done();
  }

  /** The first line (already written or still to come) that passes the test; fails after 5 s. */
  next(test: (l: Line) => boolean): Promise<Line> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such log line within 5 s')), 5000);
      this.waiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }
}

@Controller('test-logging')
class LoggingProbeController {
  private readonly logger = new Logger('LoggingProbe');

  @Get()
  @Public()
  get(): { ok: true } {
    this.logger.warn('inside the request');
    this.logger.log('still inside');
    return { ok: true };
  }
}

const accessLineOf = (capture: LogCapture, requestId: string) =>
  capture.next((l) => l.requestId === requestId && typeof l.route === 'string');

describe('structured JSON logs at LOG_LEVEL=info', () => {
  let t: TestApp;
  const log = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'info' },
      controllers: [LoggingProbeController],
      customise: (b) => b.overrideProvider(LOG_DESTINATION).useValue(log),
    });
  });
  afterAll(() => t.close());

  it("writes Nest's start-up through pino, without the route mapping lines", async () => {
    await log.next(
      (l) => l.context === 'NestApplication' && l.msg === 'Nest application successfully started',
    );
    expect(log.lines.filter((l) => l.context === 'RouterExplorer' || l.context === 'RoutesResolver')).toEqual(
      [],
    );
    expect(log.raw.some((r) => r.includes('Mapped {'))).toBe(false);
  });

  it("gives a request's lines the request id its response carries, and one access line", async () => {
    const res = await t.http().get('/test-logging').expect(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const access = await accessLineOf(log, id);
    expect(access).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/test-logging',
      url: '/test-logging',
      status: 200,
      ms: expect.any(Number),
      msg: expect.stringMatching(/^GET \/test-logging 200 \d+ms$/),
    });
    const ofRequest = log.lines.filter((l) => l.requestId === id);
    expect(ofRequest.map((l) => [l.level, l.context ?? null, l.msg])).toEqual([
      ['warn', 'LoggingProbe', 'inside the request'],
      ['info', 'LoggingProbe', 'still inside'],
      ['info', null, access.msg],
    ]);
    expect(log.lines.filter((l) => l.route === '/test-logging' && l.requestId !== id)).toEqual([]);
  });

  it('keeps a sane incoming X-Request-Id and puts it on the lines', async () => {
    const res = await t.http().get('/test-logging').set('X-Request-Id', 'upstream-42.a').expect(200);
    expect(res.headers['x-request-id']).toBe('upstream-42.a');
    await accessLineOf(log, 'upstream-42.a');
    expect(log.lines.filter((l) => l.requestId === 'upstream-42.a')).toHaveLength(3);
  });

  it('writes every line as JSON with the level by name and Beijing time (+08:00)', () => {
    expect(log.raw.length).toBeGreaterThan(3);
    for (const line of log.lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
      expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(line.level);
    }
  });

  it("never writes a signed link's token, the session cookie, an Authorization header or a password", async () => {
    const token = signAckToken(
      randomUUID(),
      new Date(Date.now() + 86_400_000),
      'a-secret-for-this-test-only',
    );
    const sessionCookie = `hz_session=${randomUUID()}`;
    const bearer = `Bearer ${randomUUID()}`;
    const res = await t
      .http()
      .get(`/ack/${token}/print?copy=1`)
      .set('Cookie', sessionCookie)
      .set('Authorization', bearer);
    const access = await accessLineOf(log, res.headers['x-request-id']);
    expect(access).toMatchObject({ route: '/ack/:token/print', url: '/ack/[redacted]/print?copy=1' });

    const user = await t.signIn(['DUTY_OFFICER'], 'logging-duty');
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'logging-duty', password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
    const me = await user.get('/api/auth/me').expect(200);
    await accessLineOf(log, login.headers['x-request-id']);
    await accessLineOf(log, me.headers['x-request-id']);

    const text = log.raw.join('\n');
    for (const secret of [token, token.split('.')[1], sessionCookie.split('=')[1], bearer.split(' ')[1]]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(cookie.split('=')[1]);
    expect(text).not.toContain(TEST_PASSWORD);
  });

  it('writes the access lines of health probes and /metrics at debug only: none at info', async () => {
    const probes = await Promise.all(
      ['/api/health', '/api/health/live', '/api/health/ready', '/metrics'].map((p) => t.http().get(p)),
    );
    // A line after them, so theirs would have been written by now.
    const after = await t.http().get('/test-logging').expect(200);
    await accessLineOf(log, after.headers['x-request-id']);
    for (const p of probes)
      expect(log.lines.filter((l) => l.requestId === p.headers['x-request-id'])).toEqual([]);
  });

  it("writes lines logged outside any request (the scheduler's, the dispatcher's) as JSON without a request id", async () => {
    new Logger('OutboxDispatcher').warn('lease renewal failed: test');
    const line = await log.next((l) => l.msg === 'lease renewal failed: test');
    expect(line).toMatchObject({ level: 'warn', context: 'OutboxDispatcher' });
    expect(line).not.toHaveProperty('requestId');
  });
});

describe('structured JSON logs at LOG_LEVEL=debug', () => {
  let t: TestApp;
  const log = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug' },
      customise: (b) => b.overrideProvider(LOG_DESTINATION).useValue(log),
    });
  });
  afterAll(() => t.close());

  it('writes the route mapping lines, at debug', async () => {
    const mapped = await log.next((l) => l.context === 'RouterExplorer');
    expect(mapped.level).toBe('debug');
    expect(log.lines.filter((l) => l.context === 'RouterExplorer').length).toBeGreaterThan(100);
    expect(log.lines.filter((l) => l.context === 'RoutesResolver').every((l) => l.level === 'debug')).toBe(
      true,
    );
  });

  it("writes a probe's access line at debug", async () => {
    const res = await t.http().get('/api/health/live').expect(200);
    const access = await accessLineOf(log, res.headers['x-request-id']);
    expect(access).toMatchObject({ level: 'debug', route: '/api/health/live', status: 200 });
  });
});
