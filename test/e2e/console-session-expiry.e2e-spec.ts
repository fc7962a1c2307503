import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

/**
 * The console's live poll when the session is gone, and the CSP that decides whether the browser may follow
 * http at all: the poll answers 401 JSON (the script shows 登录已过期), never a 303 a script cannot show, and
 * `upgrade-insecure-requests` is sent only for an https APP_URL.
 */
describe('console poll without a session, and the CSP upgrade rule', () => {
  let t: TestApp;

  beforeAll(async () => {
    // testConfig's APP_URL is plain http (http://localhost:3000), the demo default.
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '1' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
  });
  afterAll(() => t.close());

  const expectUnauthenticatedJson = (res: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
  }) => {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: '请先登录' } });
  };

  it('answers the progress poll with 401 JSON, not a redirect, when nobody is signed in', async () => {
    const res = await t.http().get('/dashboard/progress').set('Accept', 'application/json').expect(401);
    expectUnauthenticatedJson(res);
    // Whatever the Accept header: the route is read by a script, not shown as a page.
    expectUnauthenticatedJson(await t.http().get('/dashboard/progress').set('Accept', 'text/html'));
  });

  it('still sends a browser opening a page without a session to the login form', async () => {
    const res = await t.http().get('/dashboard').set('Accept', 'text/html').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
  });

  it('answers 401 JSON once the session was signed out from another request', async () => {
    await t.signIn(['DUTY_OFFICER'], 'duty-logout');
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'duty-logout', password: TEST_PASSWORD })
      .expect(200);
    // The page's cookie, kept after the sign-out (another tab signs out; this one still sends it).
    const cookie = /hz_session=[^;]+/.exec(String(login.headers['set-cookie']))![0];
    await t.http().get('/dashboard/progress').set('Cookie', cookie).expect(200);
    await t.http().post('/api/auth/logout').set('Cookie', cookie).send({}).expect(204);
    expectUnauthenticatedJson(await t.http().get('/dashboard/progress').set('Cookie', cookie));
  });

  it('answers 401 JSON once the clock has passed SESSION_TTL', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    await duty.get('/dashboard/progress').expect(200);
    t.clock.advance(61 * 60_000);
    expectUnauthenticatedJson(await duty.get('/dashboard/progress'));
  });

  it('sends no upgrade-insecure-requests when APP_URL is http', async () => {
    const res = await t.http().get('/login').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('sends upgrade-insecure-requests when APP_URL is https', async () => {
    const secure = await createTestApp({ env: { APP_URL: 'https://haze.example.cn' } });
    try {
      const res = await secure.http().get('/login').expect(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });
});
