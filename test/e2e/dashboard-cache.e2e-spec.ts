import { ROLE_NAMES } from '../../src/auth/roles';
import { scenario } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

// The dashboard's figures are reused per county scope for DASHBOARD_CACHE_MS (every duty screen polls the page):
// here for a minute, so anything seen below that is not the first answer came through the cache's own rules.
describe('dashboard cache (DASHBOARD_CACHE_MS)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DASHBOARD_CACHE_MS: '60000' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
  });
  afterAll(() => t.close());

  it('shows a warning approved through this instance at once, and keeps county scopes apart', async () => {
    const admin = await t.signIn(['ADMIN'], 'dash-admin');
    const county = await t.signIn(['COUNTY_OFFICER'], 'dash-county', ['141102']);

    const before = await admin.get('/dashboard').expect(200);
    expect(before.text).toContain('id="no-alerts"');
    // The city-wide page asks for the day's consultation; a county bureau's page (its own cache entry) does not.
    expect(before.text).toContain('id="consultation-status"');
    const countyBefore = await county.get('/dashboard').expect(200);
    expect(countyBefore.text).not.toContain('id="consultation-status"');

    const s = await scenario(t)
      .enterprises([{ key: 'jia' }])
      .warning({ level: 'ORANGE', effectiveAt: '2026-11-28T12:00:00+08:00' })
      .approved();

    const after = await admin.get('/dashboard').expect(200);
    expect(after.text).toContain(`id="alert-${s.alertId}"`);
    expect(after.text).not.toContain('id="no-alerts"');
    const countyAfter = await county.get('/dashboard').expect(200);
    expect(countyAfter.text).toContain(`id="alert-${s.alertId}"`);
    expect(countyAfter.text).not.toContain('id="consultation-status"');
    // Each person's own layout (name, roles, sign-out token) around the shared body.
    const who = (html: string) => /<span id="current-user">([^<]*)<\/span>/.exec(html)?.[1];
    expect(who(after.text)).toContain(ROLE_NAMES.ADMIN);
    expect(who(countyAfter.text)).toContain(ROLE_NAMES.COUNTY_OFFICER);
  });
});
