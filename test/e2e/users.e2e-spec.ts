import request from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

describe('user administration (ADMIN), audited with before and after', () => {
  let t: TestApp;
  let admin: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN'], 'root-admin');
  });
  afterAll(() => t.close());

  const entries = (action: string) =>
    t.dataSource.getRepository(AuditEntry).find({ where: { action }, order: { id: 'ASC' } });

  it('lets only administrators manage accounts', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    await duty.get('/api/users').expect(403);
    await duty
      .post('/api/users')
      .send({ username: 'x1', password: 'long-enough-pw', roles: ['ADMIN'] })
      .expect(403);
    await t.http().get('/api/users').expect(401);
  });

  it('creates, changes roles (ending the sessions) and deactivates an account, logging each change', async () => {
    const created = await admin
      .post('/api/users')
      .send({
        username: 'li.duty',
        displayName: '李值班',
        password: 'li-password-123',
        roles: ['DUTY_OFFICER'],
      })
      .expect(201);
    expect(created.body).toMatchObject({ username: 'li.duty', roles: ['DUTY_OFFICER'], active: true });
    expect(created.body).not.toHaveProperty('passwordHash');

    const li = t.app.getHttpServer();
    const liAgent = request.agent(li);
    await liAgent
      .post('/api/auth/login')
      .send({ username: 'li.duty', password: 'li-password-123' })
      .expect(200);
    await liAgent.get('/api/auth/me').expect(200);

    const changed = await admin
      .patch(`/api/users/${created.body.id}`)
      .send({ roles: ['DUTY_OFFICER', 'COMMANDER'] })
      .expect(200);
    expect(changed.body.roles).toEqual(['DUTY_OFFICER', 'COMMANDER']);
    await liAgent.get('/api/auth/me').expect(401); // the old session carried the old roles
    const [update] = await entries('user.updated');
    expect(update).toMatchObject({
      actorName: 'root-admin',
      subjectId: created.body.id,
      data: { username: 'li.duty', roles: [['DUTY_OFFICER'], ['DUTY_OFFICER', 'COMMANDER']] },
    });

    await admin.patch(`/api/users/${created.body.id}`).send({ active: false }).expect(200);
    await request(li)
      .post('/api/auth/login')
      .send({ username: 'li.duty', password: 'li-password-123' })
      .expect(401);
    expect((await entries('user.updated'))[1].data).toMatchObject({ active: [true, false] });

    // No change, no entry.
    await admin.patch(`/api/users/${created.body.id}`).send({ active: false }).expect(200);
    expect(await entries('user.updated')).toHaveLength(2);
  });

  it('refuses a taken username with 409 USERNAME_TAKEN naming the field', async () => {
    const input = { username: 'zhao.duty', password: 'zhao-password-123', roles: ['DUTY_OFFICER'] };
    await admin.post('/api/users').send(input).expect(201);
    const taken = await admin.post('/api/users').send(input).expect(409);
    expect(taken.body.error).toMatchObject({
      code: 'USERNAME_TAKEN',
      fields: [{ field: 'username', message: '用户名已存在' }],
    });
  });

  it('resets a password without the password or its hash ever reaching the log', async () => {
    const user = await admin
      .post('/api/users')
      .send({ username: 'zhao.audit', password: 'old-password-1', roles: ['AUDITOR'] })
      .expect(201);
    await admin.post(`/api/users/${user.body.id}/password`).send({ password: 'short' }).expect(422);
    await admin.post(`/api/users/${user.body.id}/password`).send({ password: 'new-password-22' }).expect(204);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'zhao.audit', password: 'old-password-1' })
      .expect(401);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'zhao.audit', password: 'new-password-22' })
      .expect(200);
    const [reset] = await entries('user.password-reset');
    expect(reset.data).toEqual({ username: 'zhao.audit' });
    const leaked = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM audit_entry
        WHERE data::text LIKE '%$argon2%' OR data::text LIKE '%new-password-22%' OR data::text LIKE '%old-password-1%'
           OR data::text LIKE '%' || $1 || '%'`,
      [TEST_PASSWORD],
    );
    expect(leaked[0].n).toBe(0);
  });

  it('refuses to let an administrator lock themselves out, naming the field', async () => {
    const me = await admin.get('/api/auth/me').expect(200);
    const users = await admin.get('/api/users').expect(200);
    const self = users.body.find((u: { username: string }) => u.username === me.body.username);
    const res = await admin
      .patch(`/api/users/${self.id}`)
      .send({ roles: ['AUDITOR'] })
      .expect(422);
    expect(res.body.error.fields).toEqual([
      { field: 'roles', message: expect.stringContaining('不能移除自己') },
    ]);
    await admin.patch(`/api/users/${self.id}`).send({ active: false }).expect(422);
    await admin.patch('/api/users/not-a-uuid').send({ active: false }).expect(404);
    await admin
      .patch(`/api/users/${self.id}`)
      .send({ roles: ['GOD'] })
      .expect(422);
  });
});
