import { Client } from 'pg';
import { createTestApp, TestApp } from '../support/test-app';

describe('health, OpenAPI and the front page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/health answers without signing in and reports the database up', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document with the routes of the contract', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/auth/login',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/counties',
        '/api/industries',
        '/api/rulesets',
        '/api/audit/verify',
      ]),
    );
    // The timeline is paged, and says so.
    const timeline = res.body.paths['/api/alerts/{id}/timeline'].get;
    expect(timeline.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['after', 'id', 'limit']);
    expect(timeline.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/TimelinePageDto',
    });
    const ui = await t.http().get('/api/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('renders the zh-CN front page from local assets', async () => {
    const res = await t.http().get('/').expect(200);
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text).toContain('吕梁市重污染天气应急协调系统');
    await t.http().get('/assets/console.css').expect(200).expect('content-type', /css/);
  });

  it('answers unknown API routes with a coded 404', async () => {
    const res = await t.http().get('/api/nope').expect(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('during a database outage', () => {
  let t: TestApp;
  let admin: Client;
  let duty: Awaited<ReturnType<TestApp['signIn']>>;
  /** Cuts the app off its database: no new connections, its open ones terminated (waiting until they are gone). */
  const cut = async () => {
    await admin.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [t.db.name],
    );
  };
  const restore = () => admin.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS true`);

  beforeAll(async () => {
    // Every request checks its session in the database (no cached session hides the outage from the guard).
    t = await createTestApp({ env: { SESSION_CACHE_MS: '0' } });
    duty = await t.signIn(['DUTY_OFFICER']);
    // The run's server, as test/support/test-database.ts reaches it.
    admin = new Client({ connectionString: process.env.HZ_TEST_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await restore();
    await admin.end();
    await t.close();
  });

  it('answers 503, never 500: health with or without a session, the API and the console; back once restored', async () => {
    await cut();
    try {
      const health = await t.http().get('/api/health');
      const healthSignedIn = await duty.get('/api/health');
      const api = await duty.get('/api/alerts');
      const login = await t.http().post('/api/auth/login').send({ username: 'duty', password: 'x' });
      const page = await duty.get('/dashboard');
      const unavailable = { error: { code: 'SERVICE_UNAVAILABLE', message: '数据库暂时不可用,请稍后重试' } };
      expect({
        health: [health.status, health.body],
        healthSignedIn: [healthSignedIn.status, healthSignedIn.body],
        api: [api.status, api.body, api.headers['retry-after']],
        login: [login.status, login.body],
        page: [page.status, page.text.includes('服务暂不可用')],
      }).toEqual({
        health: [503, { status: 'error', database: 'down' }],
        healthSignedIn: [503, { status: 'error', database: 'down' }],
        api: [503, unavailable, '5'],
        login: [503, unavailable],
        page: [503, true],
      });
    } finally {
      await restore();
    }
    await duty.get('/api/health').expect(200, { status: 'ok', database: 'up' });
    await duty.get('/api/auth/me').expect(200);
  });
});
