import { Controller, Get } from '@nestjs/common';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

/** A route that declares no access rule: nobody may call it. */
@Controller('api/test-undeclared')
class UndeclaredController {
  @Get()
  get(): string {
    return 'should never be served';
  }
}

describe('auth: login, session cookie, roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      controllers: [UndeclaredController],
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: '15' },
    });
  });
  afterAll(() => t.close());

  const auditRows = (action: string) =>
    t.dataSource.getRepository(AuditEntry).find({ where: { action }, order: { id: 'ASC' } });

  it('logs in, sets an HttpOnly SameSite session cookie, and /me returns the user', async () => {
    const agent = await t.signIn(['DUTY_OFFICER'], 'alice');
    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body).toEqual({ username: 'alice', displayName: '值班员', roles: ['DUTY_OFFICER'] });

    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'ALICE', password: TEST_PASSWORD })
      .expect(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^hz_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const logins = await auditRows('auth.login');
    expect(logins.at(-1)).toMatchObject({ actorName: 'alice', actorType: 'USER', subjectType: 'user' });
  });

  it('refuses a wrong password with 401 and records it in the audit log without the password', async () => {
    await t.signIn(['COMMANDER'], 'bob');
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'bob', password: 'wrong-password' })
      .expect(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(res.headers['set-cookie']).toBeUndefined();
    const failures = await auditRows('auth.login.failed');
    expect(failures.at(-1)).toMatchObject({
      actorType: 'ANONYMOUS',
      actorName: 'bob',
      data: { username: 'bob', reason: 'BAD_PASSWORD' },
    });
    expect(JSON.stringify(failures)).not.toContain('wrong-password');
  });

  it('refuses an unknown user the same way', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'nobody', password: 'whatever-123' })
      .expect(401);
    expect(res.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    expect((await auditRows('auth.login.failed')).at(-1)?.data).toEqual({
      username: 'nobody',
      reason: 'UNKNOWN_USER',
    });
  });

  it('rate-limits failed logins per user and address, even for the right password, until the window passes', async () => {
    await t.signIn(['AUDITOR'], 'carol');
    for (let i = 0; i < 3; i++)
      await t.http().post('/api/auth/login').send({ username: 'carol', password: 'nope-nope' }).expect(401);
    const blocked = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'carol', password: TEST_PASSWORD })
      .expect(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.headers['retry-after']).toBe('900');
    expect((await auditRows('auth.login.throttled')).at(-1)).toMatchObject({ data: { username: 'carol' } });

    t.clock.advance(16 * 60_000);
    await t.http().post('/api/auth/login').send({ username: 'carol', password: TEST_PASSWORD }).expect(200);
  });

  it('logout revokes the session', async () => {
    const agent = await t.signIn(['ADMIN'], 'dave');
    await agent.post('/api/auth/logout').expect(204);
    await agent.get('/api/auth/me').expect(401);
    expect((await auditRows('auth.logout')).at(-1)).toMatchObject({ actorName: 'dave' });
  });

  it('expires sessions after SESSION_TTL_HOURS', async () => {
    const agent = await t.signIn(['ADMIN'], 'erin');
    await agent.get('/api/auth/me').expect(200);
    t.clock.advance(12 * 3600_000 + 1000);
    const res = await agent.get('/api/auth/me').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('gives the cookie a relative lifetime, so a browser whose clock differs from the server keeps it', async () => {
    t.clock.set(new Date(Date.now() - 3 * 24 * 3600_000)); // server clock days behind the client's
    const agent = await t.signIn(['DUTY_OFFICER']);
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'alice', password: TEST_PASSWORD })
      .expect(200);
    expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=43200/);
    await agent.get('/api/auth/me').expect(200);
    t.clock.set(new Date());
  });

  it('denies by default: a route without an access rule is 403 even when signed in, 401 when not', async () => {
    const agent = await t.signIn(['ADMIN']);
    const res = await agent.get('/api/test-undeclared').expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    await t.http().get('/api/test-undeclared').expect(401);
  });

  it('enforces roles: a duty officer may not verify the audit log, an auditor may', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    await duty.get('/api/audit/verify').expect(403);
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor.get('/api/audit/verify').expect(200);
    expect(res.body).toMatchObject({ ok: true });
  });

  it('names the bad field in a 422 and rejects unknown fields', async () => {
    const missing = await t.http().post('/api/auth/login').send({ password: 'x' }).expect(422);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(missing.body.error.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'username' })]),
    );
    const extra = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'a', password: 'b', admin: true })
      .expect(422);
    expect(extra.body.error.fields).toEqual([expect.objectContaining({ field: 'admin' })]);
    const wrongType = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 42, password: 'b' })
      .expect(422);
    expect(wrongType.body.error.fields[0].field).toBe('username');
  });

  it('answers malformed JSON with a coded 400', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect(res.body).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
  });
});
