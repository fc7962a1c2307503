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
