import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Alert } from '../../src/alerts/alert.entity';
import type { Role } from '../../src/auth/roles';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { signAckToken } from '../../src/orders/ack-token';
import { csrfOf, formToken } from '../support/console-forms';
import { EnterpriseLink, issueEnterpriseLink } from '../support/enterprise-link';
import { SIGNER } from '../support/signer';
import { discoverRoutes } from '../support/routes';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

/**
 * Security checks not covered elsewhere (auth, console and orders e2e already cover the basic cookie flags,
 * the API rate limit, one CSRF refusal and a tampered link): session fixation, Secure and CSRF cookie
 * flags, CSRF on every console form route, expired and re-dated links, and the console login's rate limit.
 */

interface Browser {
  session?: string;
  csrfCookie: string;
  csrf: string;
}

/** The Set-Cookie header for `name`, or undefined. */
function setCookie(res: request.Response, name: string): string | undefined {
  const all = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return all.find((c) => c.startsWith(`${name}=`));
}
const valueOf = (cookie: string | undefined) => cookie?.split(';')[0].split('=')[1];

/** The attributes that matter, from a Set-Cookie header. */
function flags(cookie: string | undefined) {
  const attrs = (cookie ?? '').split(';').map((a) => a.trim().toLowerCase());
  return {
    httpOnly: attrs.includes('httponly'),
    secure: attrs.includes('secure'),
    sameSite: attrs.find((a) => a.startsWith('samesite='))?.slice('samesite='.length),
    path: attrs.find((a) => a.startsWith('path='))?.slice('path='.length),
  };
}

describe('security checks', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let link: EnterpriseLink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      env: {
        SMTP_URL: sink.url,
        SESSION_TTL_HOURS: '720',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_WINDOW_MINUTES: '15',
        ACK_LINK_DAYS: '3', // not the default, so the setting is what the links follow
      },
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    link = await issueEnterpriseLink(t, sink);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const http = () => request(t.app.getHttpServer());
  const me = (sessionToken: string) => http().get('/api/auth/me').set('Cookie', `hz_session=${sessionToken}`);
  /** A fresh browser, signed in or not: the CSRF cookie and form token its first console page hands out. */
  const browser = async (session?: string): Promise<Browser> => {
    const page = await (
      session ? http().get('/dashboard').set('Cookie', session) : http().get('/login')
    ).expect(200);
    return { session, csrfCookie: setCookie(page, 'hz_csrf')!.split(';')[0], csrf: csrfOf(page.text) };
  };
  const writes = async () =>
    (
      await t.dataSource.query<Array<{ audit: number; sessions: number; failures: number }>>(
        `SELECT (SELECT count(*) FROM audit_entry)::int AS audit,
                (SELECT count(*) FROM user_session WHERE revoked_at IS NULL)::int AS sessions,
                (SELECT count(*) FROM login_failure)::int AS failures`,
      )
    )[0];

  describe('session fixation', () => {
    it('never promotes a session token planted before the console sign-in', async () => {
      await t.signIn(['ADMIN'], 'fixation-victim');
      await t.signIn(['AUDITOR'], 'fixation-attacker');
      // The attacker's own, genuine session (a low-privilege account), and a value nobody was ever issued.
      const attackerLogin = await http()
        .post('/api/auth/login')
        .send({ username: 'fixation-attacker', password: TEST_PASSWORD })
        .expect(200);
      const attackerToken = valueOf(setCookie(attackerLogin, 'hz_session'))!;
      const invented = 'planted-by-the-attacker-0123456789abcdefghijk';

      for (const planted of [attackerToken, invented]) {
        const { csrfCookie, csrf } = await browser();
        const res = await http()
          .post('/login')
          .set('Cookie', `${csrfCookie}; hz_session=${planted}`)
          .type('form')
          .send({ _csrf: csrf, username: 'fixation-victim', password: TEST_PASSWORD, next: '/dashboard' })
          .expect(303);
        const issued = valueOf(setCookie(res, 'hz_session'));
        expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(issued).not.toBe(planted);
        expect((await me(issued!).expect(200)).body.username).toBe('fixation-victim');
      }
      // The planted values still open what they opened before: the attacker's account, or nothing.
      expect((await me(attackerToken).expect(200)).body.username).toBe('fixation-attacker');
      await me(invented).expect(401);
    });

    it('never promotes a session token planted before the API sign-in', async () => {
      const victim = 'fixation-api-victim';
      await t.signIn(['COMMANDER'], victim);
      const attacker = await http()
        .post('/api/auth/login')
        .send({ username: 'fixation-attacker', password: TEST_PASSWORD })
        .expect(200);
      const planted = valueOf(setCookie(attacker, 'hz_session'))!;
      const res = await http()
        .post('/api/auth/login')
        .set('Cookie', `hz_session=${planted}`)
        .send({ username: victim, password: TEST_PASSWORD })
        .expect(200);
      const issued = valueOf(setCookie(res, 'hz_session'))!;
      expect(issued).not.toBe(planted);
      expect((await me(issued).expect(200)).body.username).toBe(victim);
      expect((await me(planted).expect(200)).body.username).toBe('fixation-attacker');
    });
  });

  describe('cookie flags', () => {
    it('keeps the CSRF secret HttpOnly and SameSite=Strict, and neither cookie Secure over plain http', async () => {
      const page = await http().get('/login').expect(200);
      expect(flags(setCookie(page, 'hz_csrf'))).toEqual({
        httpOnly: true,
        secure: false,
        sameSite: 'strict',
        path: '/',
      });
      const login = await http()
        .post('/api/auth/login')
        .send({ username: 'fixation-attacker', password: TEST_PASSWORD })
        .expect(200);
      expect(flags(setCookie(login, 'hz_session'))).toEqual({
        httpOnly: true,
        secure: false,
        sameSite: 'lax',
        path: '/',
      });
    });

    it('marks both cookies Secure, from the API and the console login alike, when SECURE_COOKIES=true', async () => {
      const secure = await createTestApp({ env: { SECURE_COOKIES: 'true' } });
      try {
        await secure.signIn(['DUTY_OFFICER'], 'secure-user');
        const s = request(secure.app.getHttpServer());
        const page = await s.get('/login').expect(200);
        const csrfCookie = setCookie(page, 'hz_csrf');
        expect(flags(csrfCookie)).toEqual({ httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
        const api = await s
          .post('/api/auth/login')
          .send({ username: 'secure-user', password: TEST_PASSWORD })
          .expect(200);
        expect(flags(setCookie(api, 'hz_session'))).toEqual({
          httpOnly: true,
          secure: true,
          sameSite: 'lax',
          path: '/',
        });
        const form = await s
          .post('/login')
          .set('Cookie', csrfCookie!.split(';')[0])
          .type('form')
          .send({ _csrf: csrfOf(page.text), username: 'secure-user', password: TEST_PASSWORD })
          .expect(303);
        expect(flags(setCookie(form, 'hz_session'))).toEqual({
          httpOnly: true,
          secure: true,
          sameSite: 'lax',
          path: '/',
        });
      } finally {
        await secure.close();
      }
    });
  });

  describe('CSRF on console forms', () => {
    it('refuses every console form route without a valid token for its browser, and writes nothing', async () => {
      const posts = discoverRoutes(t.app).filter((r) => r.csrf && r.method !== 'GET');
      expect(posts.length).toBeGreaterThanOrEqual(8);
      const signedIn = new Map<Role, Browser>();
      const browserFor = async (role: Role): Promise<Browser> => {
        if (!signedIn.has(role)) {
          const username = `csrf-${role.toLowerCase()}`;
          if (!(await t.dataSource.query('SELECT 1 FROM app_user WHERE username = $1', [username])).length)
            await t.signIn([role], username);
          const login = await http().post('/api/auth/login').send({ username, password: TEST_PASSWORD });
          signedIn.set(role, await browser(`hz_session=${valueOf(setCookie(login, 'hz_session'))}`));
        }
        return signedIn.get(role)!;
      };
      const attacker = await browser(); // a valid token, but for the attacker's own browser secret
      const problems: string[] = [];

      for (const route of posts) {
        expect(route.rule).toBeDefined();
        // An unknown `:action` answers under the route's own rule (the known ones each need their role).
        const url = route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? randomUUID() : 'x'));
        // A caller the route admits, so the guard that refuses is the CSRF one, not the AuthGuard.
        const role = route.rule?.kind === 'roles' ? route.rule.roles[0] : 'DUTY_OFFICER';
        const own = route.rule?.kind === 'public' ? await browser() : await browserFor(role);
        const post = (cookies: Array<string | undefined>) =>
          http().post(url).redirects(0).set('Cookie', cookies.filter(Boolean).join('; '));

        const before = await writes();
        const refusals = {
          'no token': await post([own.session, own.csrfCookie])
            .type('form')
            .send({ username: 'csrf-duty_officer', password: TEST_PASSWORD }),
          "another browser's token": await post([own.session, own.csrfCookie])
            .type('form')
            .send({ _csrf: attacker.csrf }),
          "another browser's token in the header": await post([own.session, own.csrfCookie])
            .set('x-csrf-token', attacker.csrf)
            .send({}),
          // Without the browser's CSRF cookie (a SameSite=Strict cookie stays behind on a cross-site
          // post) even a token that was once right for it proves nothing.
          'no CSRF cookie': await post([own.session]).type('form').send({ _csrf: own.csrf }),
        };
        for (const [how, res] of Object.entries(refusals)) {
          const code = /id="error-status" data-code="(\w+)">错误代码 403/.exec(res.text)?.[1];
          if (res.status !== 403 || code !== 'CSRF_REJECTED' || setCookie(res, 'hz_session'))
            problems.push(`${route.method} ${route.path} with ${how}: ${res.status} ${code ?? ''}`);
        }
        expect(await writes()).toEqual(before);

        // The control: the same caller with its own token gets past the CSRF guard.
        const ok = await post([own.session, own.csrfCookie]).type('form').send({ _csrf: own.csrf });
        if (ok.status === 403) problems.push(`${route.method} ${route.path} refused even with the token`);
        if (route.path.endsWith('/logout')) signedIn.delete(role); // that session has just ended
      }
      expect(problems).toEqual([]);
    });

    it('does not approve a pending warning posted without the token, and does with it', async () => {
      const duty = await t.signIn(['DUTY_OFFICER']);
      const commander = await t.signIn(['COMMANDER']);
      const { body: draft } = await duty
        .post('/api/alerts')
        .send({
          level: 'YELLOW',
          countyCodes: ['141102'],
          effectiveAt: '2026-11-29T00:00:00+08:00',
          reason: '会商研判',
        })
        .expect(201);
      await formToken(commander); // the browser holds a CSRF secret, as a real one would
      const forged = await commander
        .post(`/alerts/${draft.id}/approve`)
        .type('form')
        .send({ comment: '同意' });
      expect(forged.status).toBe(403);
      expect(forged.text).toContain('CSRF_REJECTED');
      const alerts = t.dataSource.getRepository(Alert);
      expect((await alerts.findOneByOrFail({ id: draft.id })).status).toBe('PENDING_APPROVAL');

      const token = await formToken(commander);
      const real = await commander
        .post(`/alerts/${draft.id}/approve`)
        .type('form')
        .send({ _csrf: token, comment: '同意' });
      expect(real.status).toBe(303);
      expect((await alerts.findOneByOrFail({ id: draft.id })).status).not.toBe('PENDING_APPROVAL');
    });
  });

  describe('console login rate limit', () => {
    it('answers a 429 page after LOGIN_MAX_FAILURES failed form logins, even for the right password', async () => {
      await t.signIn(['DUTY_OFFICER'], 'throttled-user');
      const { csrfCookie, csrf } = await browser();
      const attempt = (password: string) =>
        http()
          .post('/login')
          .set('Cookie', csrfCookie)
          .type('form')
          .send({ _csrf: csrf, username: 'throttled-user', password });
      for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).status).toBe(401);

      const blocked = await attempt(TEST_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/text\/html/);
      expect(blocked.headers['retry-after']).toBe('900');
      expect(blocked.text).toContain('id="login-error"');
      expect(blocked.text).toContain('登录失败次数过多');
      expect(setCookie(blocked, 'hz_session')).toBeUndefined();

      t.clock.advance(15 * 60_000 + 1000);
      const after = await attempt(TEST_PASSWORD);
      expect(after.status).toBe(303);
      expect(valueOf(setCookie(after, 'hz_session'))).toBeTruthy();
    });
  });

  describe('enterprise links', () => {
    const orderState = async () =>
      (
        await t.dataSource.query<Array<{ state: string }>>(
          'SELECT state FROM reduction_order WHERE id = $1',
          [link.orderId],
        )
      )[0].state;
    const orderAudit = async () =>
      (
        await t.dataSource.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM audit_entry WHERE subject_type = 'order' AND subject_id = $1`,
          [link.orderId],
        )
      )[0].n;

    it('stops working ACK_LINK_DAYS after the report deadline, and cannot be re-dated or re-signed', async () => {
      const [{ report_due_at: reportDue }] = await t.dataSource.query<Array<{ report_due_at: Date }>>(
        'SELECT report_due_at FROM reduction_order WHERE id = $1',
        [link.orderId],
      );
      const config = t.app.get<AppConfig>(APP_CONFIG);
      expect(config.ackLinkDays).toBe(3);
      const expiry = reportDue.getTime() + config.ackLinkDays * 86_400_000;
      const stateBefore = await orderState();
      expect(stateBefore).toBe('SENT');
      const start = t.clock.now();
      try {
        t.clock.set(new Date(expiry - 60_000));
        await http().get(`/ack/${link.token}`).expect(200);

        t.clock.set(new Date(expiry + 1000));
        const auditBefore = await orderAudit();
        const page = await http().get(`/ack/${link.token}`).expect(410);
        expect(page.text).toContain('链接已过期');
        await http().post(`/ack/${link.token}/receipt`).type('form').send(SIGNER).expect(410);
        await http()
          .post(`/ack/${link.token}/report`)
          .type('form')
          .send({ ...SIGNER, measuresInPlaceAt: '2026-11-28T09:30', note: '已落实' })
          .expect(410);

        // Re-dating the expired link (same order, later expiry, old MAC) is a forgery, not a renewal.
        const [payload, mac] = link.token.split('.');
        const bytes = Buffer.from(payload, 'base64url');
        bytes.writeUInt32BE(Math.floor(expiry / 1000) + 365 * 86_400, 16);
        const redated = `${bytes.toString('base64url')}.${mac}`;
        const forged = await http().post(`/ack/${redated}/receipt`).type('form').send(SIGNER).expect(404);
        expect(forged.text).toContain('链接无效');
        // A well-formed link for the same order signed with any key but the server's is refused too.
        const foreign = signAckToken(
          link.orderId,
          new Date(expiry + 30 * 86_400_000),
          `${config.sessionSecret}-guess`,
        );
        await http().post(`/ack/${foreign}/receipt`).type('form').send(SIGNER).expect(404);
        await http().get(`/ack/${foreign}`).expect(404);

        expect(await orderState()).toBe(stateBefore);
        expect(await orderAudit()).toBe(auditBefore);
      } finally {
        t.clock.set(start);
      }
    });
  });
});
