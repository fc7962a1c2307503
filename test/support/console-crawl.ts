import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { Role } from '../../src/auth/roles';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { launchChromium, servedTestApp } from './browser';
import { discoverRoutes } from './routes';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { TEST_PASSWORD, type TestApp } from './test-app';

/** The staff roles the crawls sign in as, one account each. */
export const CRAWL_ROLES: Role[] = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN', 'COUNTY_OFFICER'];

/** The county officer's county: 孝义市, where the crawl's warning has orders and its pages have ids. */
const CRAWL_COUNTY_CODES: Partial<Record<Role, string[]>> = { COUNTY_OFFICER: ['141181'] };

const usernameOf = (role: Role) => `crawl-${role.toLowerCase().replace('_', '-')}`;

/**
 * The app, an SMTP sink and Chromium, with data behind every console page (three enterprises with plans, a
 * consultation, an orange warning approved and sent, so orders, outbox messages, ack links and county notices
 * exist; a campaign record approved), and the list of every console GET page with its ids filled in. Shared by the language, accessibility
 * and 375 px crawls (issue 16).
 */
export interface ConsoleCrawl {
  t: TestApp;
  sink: SmtpSink;
  browser: Browser;
  base: string;
  /** Every console GET page (discovered from the router), ids filled, downloads and /ack left out. */
  pages: string[];
  /** An enterprise's signed link (/ack/:token) and a county bureau's (/party/:token), as mailed. */
  ackPath: string;
  partyPath: string;
  alertId: string;
  /** Every account name the crawl made, longest first (so crawl-duty-officer is not read as crawl-duty). */
  usernames: string[];
  /** A new context signed in through the login form as the crawl's account for `role`. */
  signedIn(role: Role, opts?: { width?: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function startConsoleCrawl(): Promise<ConsoleCrawl> {
  const sink = await startSmtpSink();
  const { t, base } = await servedTestApp(
    { SMTP_URL: sink.url, PARTY_NOTICES: 'true' },
    '2026-12-01T10:00:00+08:00',
  );
  try {
    return await prepare(t, sink, base);
  } catch (e) {
    // A failed set-up must not leave the app, its database and the sink holding jest open.
    await t.close();
    await sink.close();
    throw e;
  }
}

async function prepare(t: TestApp, sink: SmtpSink, base: string): Promise<ConsoleCrawl> {
  const enterprises = t.app.get(EnterprisesService);
  for (const [n, countyCode, grade] of [
    [1, '141181', 'B'],
    [2, '141181', 'C'],
    [3, '141182', 'D'],
  ] as const) {
    const e = await enterprises.create(
      enterpriseInput({ countyCode, grade, name: `语言巡检焦化${n}号`, industry: 'COKING' }),
      SYSTEM_ACTOR,
    );
    await enterprises.putPlan(
      e.id,
      { measures: ['YELLOW', 'ORANGE', 'RED'].map((level) => measure({ level: level as 'YELLOW' })) },
      SYSTEM_ACTOR,
    );
  }

  // Data for every page: a consultation, a warning approved and sent, a directive.
  const duty = await t.signIn(['DUTY_OFFICER'], 'crawl-duty');
  const commander = await t.signIn(['COMMANDER'], 'crawl-cmd');
  const consultation = await duty
    .post('/api/consultations')
    .send({
      heldAt: '2026-12-01T09:00:00+08:00',
      participants: ['市气象局'],
      opinion: '静稳天气',
      forecasts: ['141181', '141182'].flatMap((countyCode) =>
        [210, 220, 150].map((aqi, i) => ({
          countyCode,
          date: `2026-12-0${i + 2}`,
          aqi,
          primaryPollutant: 'PM2.5',
        })),
      ),
    })
    .expect(201);
  const alert = await duty
    .post('/api/alerts')
    .send({
      level: 'ORANGE',
      countyCodes: ['141181', '141182'],
      effectiveAt: '2026-12-02T00:00:00+08:00',
      consultationId: consultation.body.id,
      reason: '按会商建议',
    })
    .expect(201);
  await commander.post(`/api/alerts/${alert.body.id}/approve`).send({}).expect(200);
  const drained = await t.app.get(OutboxDispatcher).drain();
  await sink.waitFor(drained.sent);
  const [enterprise] = (await duty.get('/api/enterprises?pageSize=1').expect(200)).body.items;
  const [message] = (await duty.get(`/api/outbox?alertId=${alert.body.id}`).expect(200)).body;
  const [order] = (await duty.get(`/api/alerts/${alert.body.id}/orders`).expect(200)).body;
  // Issue 17: an inspection plan on the warning page, an inspection (with a rectification) on the order's page.
  await duty.post(`/api/alerts/${alert.body.id}/inspection-plan`).send({ size: 2, seed: 1 }).expect(201);
  await duty
    .post(`/api/orders/${order.orderId}/inspections`)
    .send({
      inspectedAt: t.clock.now().toISOString(),
      inspectors: ['巡检员'],
      findings: '一条生产线未停产',
      result: 'VIOLATION',
      rectification: {
        required: true,
        deadline: new Date(t.clock.now().getTime() + 86400_000).toISOString(),
      },
    })
    .expect(201);
  // Issue 18: a campaign record approved (its page, with orders and its 文号), apart from the warning.
  const campaign = await duty
    .post('/api/campaigns')
    .send({
      kind: 'AUTUMN_WINTER',
      countyCodes: ['141181'],
      effectiveAt: '2026-12-02T00:00:00+08:00',
      expectedEndAt: '2027-03-31T23:59:00+08:00',
    })
    .expect(201);
  await commander.post(`/api/campaigns/${campaign.body.id}/approve`).send({}).expect(200);
  const ids: Record<string, string> = {
    campaigns: campaign.body.id,
    alerts: alert.body.id,
    consultations: consultation.body.id,
    enterprises: enterprise.id,
    outbox: message.id,
    orders: order.orderId,
  };
  const pages = discoverRoutes(t.app)
    .filter((r) => r.console && r.method === 'GET' && !r.path.startsWith('/ack') && r.path !== '/logout')
    .map((r) => r.path.replace(/:id/g, () => ids[r.path.split('/')[1]] ?? ''))
    .filter((p) => !p.includes(':') && !/\.(csv|xlsx|pdf|zip)$/.test(p));

  const texts = sink.messages.map((m) => m.text ?? '');
  const ack = texts.map((s) => /\/ack\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?![\w/.-])/.exec(s)).find(Boolean);
  const party = texts.map((s) => /\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?![\w/.-])/.exec(s)).find(Boolean);
  if (!ack || !party)
    throw new Error(
      `the crawl found no ack or party link in the ${texts.length} mails sent: ${JSON.stringify(drained)} ${texts.join('\n').slice(0, 3000)}`,
    );

  for (const role of CRAWL_ROLES) await t.signIn([role], usernameOf(role), CRAWL_COUNTY_CODES[role]);
  const usernames = ['crawl-duty', 'crawl-cmd', ...CRAWL_ROLES.map(usernameOf)].sort(
    (a, b) => b.length - a.length,
  );
  const browser = await launchChromium();

  return {
    t,
    sink,
    browser,
    base,
    pages,
    ackPath: new URL(ack[0], base).pathname,
    partyPath: new URL(party[0], base).pathname,
    alertId: alert.body.id,
    usernames,
    async signedIn(role, opts = {}) {
      const context = await browser.newContext({
        viewport: { width: opts.width ?? 1280, height: 900 },
        locale: 'zh-CN',
      });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('input[name=username]', usernameOf(role));
      await page.fill('input[name=password]', TEST_PASSWORD);
      await Promise.all([page.waitForURL(/\/dashboard/), page.click('#login-submit')]);
      return page;
    },
    async close() {
      await browser.close();
      await t.close();
      await sink.close();
    },
  };
}
