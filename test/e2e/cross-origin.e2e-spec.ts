import { SIGNER } from '../support/signer';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ROLES } from '../../src/auth/roles';
import { toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { formToken } from '../support/console-forms';
import { EnterpriseLink, issueEnterpriseLink } from '../support/enterprise-link';
import { discoverRoutes, RouteInfo } from '../support/routes';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

/**
 * Issue 12, "cross-origin writes": a page on another origin of the same site (another port of 127.0.0.1)
 * made a signed-in administrator's browser post forms to the API, and the SameSite=Lax cookie went along.
 * Every unsafe route must refuse a foreign Origin (and same-site / cross-site Fetch Metadata), and the JSON
 * API must refuse form bodies and uploads without X-Requested-With, before anything is written.
 */

type Agent = InstanceType<typeof request.agent>;

const APP_URL = 'http://localhost:3000';
const FOREIGN = 'http://127.0.0.1:8081';
/** The review's body: create an account holding the two most powerful roles. */
const EVIL_FORM =
  'username=evil-form&displayName=x&password=evil-form-password-1&roles=ADMIN&roles=COMMANDER&reason=x';

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const isApi = (r: RouteInfo) => r.path.startsWith('/api/');
const unsafe = (r: RouteInfo) => r.method !== 'GET';
const hasChinese = (s: unknown) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

describe('cross-origin writes are refused on every unsafe route', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let link: EnterpriseLink;
  let routes: RouteInfo[];
  let all: Agent;
  let allUsername: string;
  let csv: Buffer;
  /** Real ids for the routes' `:id`, by the path's first segment after /api (else a random UUID). */
  let ids: Record<string, string>;
  let pendingAlertId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    // A warning in force with a genuine enterprise link, whose order a forged post could acknowledge.
    link = await issueEnterpriseLink(t, sink);
    // A warning awaiting approval, proposed by someone else: the all-roles user could approve it.
    const duty = await t.signIn(['DUTY_OFFICER']);
    const { body: pending } = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141102'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    pendingAlertId = pending.id as string;
    allUsername = `all-roles-${randomUUID().slice(0, 8)}`;
    // Every role, the county officer's with a county (a city-wide role makes the account city-wide anyway).
    all = await t.signIn([...ROLES], allUsername, ['141181']);
    const victim = await t.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM app_user WHERE username <> $1 ORDER BY username LIMIT 1',
      [allUsername],
    );
    const [enterprise] = await t.dataSource.query<Array<{ id: string }>>(
      'SELECT enterprise_id AS id FROM reduction_order WHERE id = $1',
      [link.orderId],
    );
    const [message] = await t.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM outbox_message LIMIT 1',
    );
    ids = { alerts: pendingAlertId, users: victim[0].id, enterprises: enterprise.id, outbox: message.id };
    csv = await toBuffer(
      'csv',
      toRows(enterpriseInput({ name: '跨站导入焦化有限公司' }), '2025-2026', [measure()]),
    );
    routes = discoverRoutes(t.app);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** The route's path with its parameters filled: real ids where there are some, the link's token. */
  const fill = (path: string) =>
    path.replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'id') return ids[path.replace(/^\/api/, '').split('/')[1]] ?? randomUUID();
      if (name === 'token') return link.token;
      if (name === 'areaCode') return '141100';
      if (name === 'action') return 'approve';
      return 'x';
    });

  /** Every table's row count and a digest of its content, so an update shows as well as an insert. */
  async function snapshot(): Promise<Record<string, string>> {
    const tables = await t.dataSource.query<Array<{ name: string }>>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await t.dataSource.query<Array<{ n: number; digest: string }>>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest
           FROM "${name}" x`,
      );
      out[name] = `${row.n} ${row.digest}`;
    }
    return out;
  }

  const method = (r: RouteInfo) => r.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';

  /** A JSON body the route would otherwise accept where that matters (creating an account, signing in). */
  const jsonBody = (r: RouteInfo): object =>
    r.path === '/api/users'
      ? { username: 'evil-json', password: 'evil-json-password-1', roles: ['ADMIN', 'COMMANDER'] }
      : r.path === '/api/auth/login'
        ? { username: allUsername, password: TEST_PASSWORD }
        : {};

  /** A forged logout that got through would end the session: sign back in so the rest still shows. */
  const stillSignedIn = async () => {
    if ((await all.get('/api/auth/me')).status === 401)
      await all.post('/api/auth/login').send({ username: allUsername, password: TEST_PASSWORD }).expect(200);
  };

  /** A form the route would otherwise accept where that matters (signing in, reporting on the order). */
  const formBody = (r: RouteInfo): string =>
    r.path === '/login'
      ? `username=${allUsername}&password=${TEST_PASSWORD}`
      : r.path === '/ack/:token/report'
        ? 'note=x&measuresInPlaceAt=2026-11-28T21:00'
        : EVIL_FORM;

  const errorOf = (res: request.Response) => ({
    status: res.status,
    json: String(res.headers['content-type']).startsWith('application/json'),
    code: (res.body as { error?: { code?: string } }).error?.code,
    chinese: hasChinese((res.body as { error?: { message?: string } }).error?.message),
  });

  it('finds the unsafe routes the review named', () => {
    const found = routes.filter(unsafe).map(key);
    for (const named of [
      'POST /api/users',
      'POST /api/enterprises/import',
      'POST /api/alerts/:id/approve',
      'POST /api/alerts/:id/reject',
      'POST /alerts/:id/:action',
      'POST /login',
      'POST /ack/:token/receipt',
    ])
      expect(found).toContain(named);
    expect(routes.filter((r) => unsafe(r) && isApi(r)).length).toBeGreaterThan(20);
  });

  it('refuses, on every unsafe /api route, a form body, an upload without X-Requested-With and a foreign origin, and writes nothing', async () => {
    const before = await snapshot();
    const problems: string[] = [];
    const expectRefusal = (label: string, res: request.Response, status: number, code: string) => {
      const got = errorOf(res);
      const want = { status, json: true, code, chinese: true };
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`${label}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    };
    const apiRoutes = routes.filter((r) => unsafe(r) && isApi(r));
    for (const r of apiRoutes) {
      const url = fill(r.path);
      expectRefusal(
        `${key(r)} urlencoded`,
        await all[method(r)](url).type('form').send(EVIL_FORM),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectRefusal(
        `${key(r)} multipart without X-Requested-With`,
        await all[method(r)](url).field('roles', 'ADMIN').attach('file', csv, 'list.csv'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectRefusal(
        `${key(r)} JSON from ${FOREIGN}`,
        await all[method(r)](url).set('Origin', FOREIGN).send(jsonBody(r)),
        403,
        'CROSS_ORIGIN_REJECTED',
      );
      expectRefusal(
        `${key(r)} JSON with Sec-Fetch-Site: same-site`,
        await all[method(r)](url).set('Sec-Fetch-Site', 'same-site').send(jsonBody(r)),
        403,
        'CROSS_ORIGIN_REJECTED',
      );
      await stillSignedIn();
    }
    expect(problems).toEqual([]);
    expect(await snapshot()).toEqual(before);
    // The rows the review's forgeries would have written are not there (a forged logout would also show
    // above, as the new session of signing back in).
    const users = await t.dataSource.query('SELECT 1 FROM app_user WHERE username IN ($1, $2)', [
      'evil-form',
      'evil-json',
    ]);
    expect(users).toEqual([]);
    const [alert] = await t.dataSource.query<Array<{ status: string }>>(
      'SELECT status FROM alert_change WHERE alert_id = $1',
      [pendingAlertId],
    );
    expect(alert.status).toBe('PENDING');
  }, 120_000);

  it('refuses, on every unsafe console, sign-in and enterprise-link route, a foreign origin even with a valid CSRF token, and writes nothing', async () => {
    const token = await formToken(all);
    const before = await snapshot();
    const problems: string[] = [];
    const pageRoutes = routes.filter((r) => unsafe(r) && !isApi(r));
    for (const r of pageRoutes) {
      const url = fill(r.path);
      for (const [label, headers] of [
        ['Origin', { Origin: FOREIGN }],
        ['Sec-Fetch-Site', { 'Sec-Fetch-Site': 'same-site' }],
      ] as const) {
        let req = all[method(r)](r.path === '/enterprises/import' ? `${url}?_csrf=${token}` : url)
          .redirects(0)
          .set('Accept', 'text/html')
          .set(headers);
        // The console's own upload carries its token in the query string; every other form in the body.
        req =
          r.path === '/enterprises/import'
            ? req.attach('file', csv, 'list.csv')
            : req.type('form').send(`_csrf=${encodeURIComponent(token)}&${formBody(r)}`);
        const res = await req;
        const html = String(res.headers['content-type']).startsWith('text/html');
        const code = /id="error-status" data-code="(\w+)">错误代码 (\d+)/
          .exec(res.text)
          ?.slice(1)
          .reverse()
          .join(' ');
        if (!(html && code === '403 CROSS_ORIGIN_REJECTED' && res.status === 403))
          problems.push(`${key(r)} with ${label}: got ${res.status} ${code ?? res.text.slice(0, 80)}`);
        // Console routes answer with the console's own page (layout and all), like a CSRF refusal.
        if (r.console && !res.text.includes('class="topbar"'))
          problems.push(`${key(r)}: not the console page`);
        await stillSignedIn();
      }
    }
    expect(problems).toEqual([]);
    expect(pageRoutes.length).toBeGreaterThan(10);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('refuses the review’s reproduction sent with an explicit Origin, signed in or not (curl -H "Origin: …")', async () => {
    const forged = await all
      .post('/api/users')
      .set('Origin', FOREIGN)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(EVIL_FORM);
    expect(errorOf(forged)).toEqual({
      status: 403,
      json: true,
      code: 'CROSS_ORIGIN_REJECTED',
      chinese: true,
    });
    // Refused before the session is even looked at: the same answer without one.
    const anonymous = await t
      .http()
      .post('/api/users')
      .set('Origin', FOREIGN)
      .send({ username: 'evil-anon', password: 'evil-anon-password', roles: ['ADMIN'] });
    expect(errorOf(anonymous)).toEqual({
      status: 403,
      json: true,
      code: 'CROSS_ORIGIN_REJECTED',
      chinese: true,
    });
    const nullOrigin = await all
      .post('/api/users')
      .set('Origin', 'null')
      .send({ username: 'evil-null', password: 'evil-null-password', roles: ['ADMIN'] });
    expect(nullOrigin.status).toBe(403);
    expect(
      await t.dataSource.query('SELECT username FROM app_user WHERE username LIKE $1', ['evil-%']),
    ).toEqual([]);
  });

  it('still takes JSON from the APP_URL origin, from the request’s own origin and without Origin (curl)', async () => {
    const create = (username: string) => ({
      username,
      password: 'a-long-enough-password',
      roles: ['AUDITOR'],
    });
    await all.post('/api/users').set('Origin', APP_URL).send(create('from-app-url')).expect(201);
    // The demo opened as another host name than APP_URL's: its own pages send their own origin.
    await all
      .post('/api/users')
      .set('Host', 'demo.test:3103')
      .set('Origin', 'http://demo.test:3103')
      .send(create('from-own-origin'))
      .expect(201);
    await all.post('/api/users').send(create('from-curl')).expect(201);
    await all
      .post('/api/users')
      .set('Sec-Fetch-Site', 'same-origin')
      .send(create('from-fetch-metadata'))
      .expect(201);
    const made = await t.dataSource.query<Array<{ username: string }>>(
      `SELECT username FROM app_user WHERE username LIKE 'from-%' ORDER BY username`,
    );
    expect(made.map((u) => u.username)).toEqual([
      'from-app-url',
      'from-curl',
      'from-fetch-metadata',
      'from-own-origin',
    ]);
  });

  it('still imports an upload that carries X-Requested-With', async () => {
    const res = await all
      .post('/api/enterprises/import')
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', csv, 'list.csv')
      .expect(200);
    expect(res.body).toMatchObject({ imported: 1 });
    const rows = await t.dataSource.query('SELECT 1 FROM enterprise WHERE name = $1', [
      '跨站导入焦化有限公司',
    ]);
    expect(rows).toHaveLength(1);
  });

  it('asks browsers to keep the Origin of our own form posts (Referrer-Policy: same-origin, not no-referrer)', async () => {
    // Under no-referrer a browser sends `Origin: null` on every form post, and the console would refuse itself.
    const res = await t.http().get('/login').expect(200);
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('still takes console forms and enterprise-link posts from our own origin', async () => {
    const token = await formToken(all);
    const res = await all
      .post('/users')
      .set('Origin', APP_URL)
      .type('form')
      .send({ _csrf: token, username: 'console-made', password: 'a-long-enough-password', roles: 'AUDITOR' })
      .redirects(0);
    expect([res.status, res.headers.location]).toEqual([303, '/users?msg=created']);
    const receipt = await t
      .http()
      .post(`/ack/${link.token}/receipt`)
      .set('Origin', APP_URL)
      .type('form')
      .send(SIGNER)
      .redirects(0);
    expect(receipt.status).toBe(303);
    const [order] = await t.dataSource.query<Array<{ state: string }>>(
      'SELECT state FROM reduction_order WHERE id = $1',
      [link.orderId],
    );
    expect(order.state).toBe('RECEIVED');
  });
});
