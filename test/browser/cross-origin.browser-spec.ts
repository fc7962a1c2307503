/// <reference lib="dom" />
import fs from 'node:fs';
import http from 'node:http';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';
import { freePort } from '../support/free-port';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** An auto-submitting page, as the security review's: it runs its script as soon as it loads. */
const page = (form: string, script = '') =>
  `<!doctype html><meta charset="utf-8"><title>抽奖活动</title>${form}
<script>${script}document.forms[0].submit();</script>`;

/**
 * Issue 12 in a real browser: an administrator (who is also a commander) is signed in to the service on
 * 127.0.0.1:<port>; a page served from another port of 127.0.0.1 (another origin, the same site, so the
 * SameSite=Lax session cookie goes along) auto-submits forms to the API. The review created a user this
 * way. Every post must now be refused and write nothing.
 */
describe('cross-origin forms in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let attacker: http.Server;
  let attackerOrigin: string;
  let pendingAlertId: string;
  let victim: Page;
  const pages: Record<string, string> = {};
  const ENTERPRISE_NAME = '跨站表单导入焦化有限公司';

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { APP_URL: base, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(port, '127.0.0.1', resolve));

    // A warning awaiting approval, proposed by a duty officer: the victim may approve it.
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
    await t.signIn(['ADMIN', 'COMMANDER'], 'guanli');

    const csv = (
      await toBuffer('csv', toRows(enterpriseInput({ name: ENTERPRISE_NAME }), '2025-2026', [measure()]))
    ).toString('utf8');
    pages['/users.html'] = page(
      `<form method="post" action="${base}/api/users">
        <input name="username" value="evil-browser"><input name="password" value="evil-browser-password">
        <input name="roles" value="ADMIN"><input name="roles" value="COMMANDER"></form>`,
    );
    // A file input cannot be filled by a page's script directly, but a DataTransfer can hand it a File.
    pages['/import.html'] = page(
      `<form method="post" action="${base}/api/enterprises/import" enctype="multipart/form-data">
        <input type="file" name="file"></form>`,
      `const dt = new DataTransfer();
       dt.items.add(new File([${JSON.stringify(csv)}], 'list.csv', { type: 'text/csv' }));
       document.forms[0].elements.file.files = dt.files;`,
    );
    pages['/approve.html'] = page(
      `<form method="post" action="${base}/api/alerts/${pendingAlertId}/approve"></form>`,
    );
    const attackerPort = await freePort();
    attackerOrigin = `http://127.0.0.1:${attackerPort}`;
    attacker = http.createServer((req, res) => {
      const body = pages[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? '');
    });
    await new Promise<void>((resolve) => attacker.listen(attackerPort, '127.0.0.1', resolve));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    });
    // The victim signs in on the service through its own login form (itself a same-origin post).
    victim = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await victim.goto(`${base}/login`);
    await victim.fill('input[name=username]', 'guanli');
    await victim.fill('input[name=password]', TEST_PASSWORD);
    await Promise.all([victim.waitForURL(`${base}/dashboard`), victim.click('#login-submit')]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
    await t?.close();
  });

  const counts = async () =>
    (
      await t.dataSource.query<Array<Record<string, number>>>(
        `SELECT (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM enterprise)::int AS enterprises,
                (SELECT count(*) FROM audit_entry)::int AS audit`,
      )
    )[0];

  /** Opens the attacker's page in the victim's browser and returns the service's answer to its form. */
  async function submitFrom(
    path: string,
    target: string,
  ): Promise<{ res: Response; sent: Record<string, string> }> {
    const [res] = await Promise.all([
      victim.waitForResponse((r) => r.url() === `${base}${target}` && r.request().method() === 'POST'),
      victim.goto(`${attackerOrigin}${path}`),
    ]);
    return { res, sent: await res.request().allHeaders() };
  }

  it.each([
    ['a urlencoded form creating an ADMIN + COMMANDER account', '/users.html', '/api/users'],
    ['a multipart form importing an enterprise', '/import.html', '/api/enterprises/import'],
    ['a form approving a pending warning', '/approve.html', () => `/api/alerts/${pendingAlertId}/approve`],
  ] as const)('refuses %s, writing nothing', async (_what, path, target) => {
    const before = await counts();
    const { res, sent } = await submitFrom(path, typeof target === 'function' ? target() : target);
    // The attack is real: the browser sent the victim's session cookie along with the foreign Origin.
    expect(sent.cookie).toMatch(/hz_session=/);
    expect(sent.origin).toBe(attackerOrigin);
    expect({
      status: res.status(),
      code: ((await res.json()) as { error?: { code?: string } }).error?.code,
    }).toEqual({
      status: 403,
      code: 'CROSS_ORIGIN_REJECTED',
    });
    expect(await counts()).toEqual(before);
  });

  it('left no trace of the forged posts in the database', async () => {
    expect(await t.dataSource.query('SELECT 1 FROM app_user WHERE username = $1', ['evil-browser'])).toEqual(
      [],
    );
    expect(await t.dataSource.query('SELECT 1 FROM enterprise WHERE name = $1', [ENTERPRISE_NAME])).toEqual(
      [],
    );
    const [change] = await t.dataSource.query<Array<{ status: string }>>(
      'SELECT status FROM alert_change WHERE alert_id = $1',
      [pendingAlertId],
    );
    expect(change.status).toBe('PENDING');
  });

  it('still takes the victim’s own console form from the service’s origin', async () => {
    await victim.goto(`${base}/users`);
    await victim.fill('#create-user input[name=username]', 'made-in-console');
    await victim.fill('#create-user input[name=password]', 'a-long-enough-password');
    await victim.check('#create-user input[name=roles][value=AUDITOR]');
    await Promise.all([victim.waitForURL(`${base}/users?msg=created`), victim.click('#submit-user')]);
    expect(
      await t.dataSource.query('SELECT 1 FROM app_user WHERE username = $1', ['made-in-console']),
    ).toHaveLength(1);
  });
});
