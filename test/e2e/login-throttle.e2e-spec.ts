import type { Response } from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { LoginThrottleJob } from '../../src/scheduler/login-throttle.job';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;

/**
 * The real hasher, with a gate a test can close: verifications wait at it until it opens. It lets a test hold
 * wrong passwords "being checked" while it sends the right one, instead of hoping the timing falls that way.
 */
class GatedHasher extends PasswordHasher {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  private held = 0;
  private watchers: Array<{ n: number; resolve: () => void }> = [];

  close(): void {
    this.held = 0;
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.gate = null;
    this.open();
  }

  /** Resolves once n verifications are waiting at the closed gate. */
  waitingAtLeast(n: number): Promise<void> {
    if (this.held >= n) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ n, resolve }));
  }

  override async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    const gate = this.gate;
    if (gate) {
      this.held++;
      for (const w of this.watchers.filter((w) => this.held >= w.n)) w.resolve();
      this.watchers = this.watchers.filter((w) => this.held < w.n);
      await gate;
    }
    return super.verify(passwordHash, password);
  }
}

describe('login throttling holds under concurrency, and its refusals do not flood the audit log', () => {
  let t: TestApp;
  const hasher = new GatedHasher();

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_WINDOW_MINUTES: '15' },
      customise: (b) => b.overrideProvider(PasswordHasher).useValue(hasher),
    });
  });
  afterAll(() => t.close());
  // Every test starts in a window of its own: all requests come from the same address.
  beforeEach(() => t.clock.advance(WINDOW_MS + 60_000));

  const login = (username: string, password: string): Promise<Response> =>
    t
      .http()
      .post('/api/auth/login')
      .send({ username, password })
      .then((r) => r);
  const statuses = (responses: Response[]) =>
    responses.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
  const entries = (action: string, username: string) =>
    t.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('e')
      .where('e.action = :action', { action })
      .andWhere("e.data->>'username' = :username", { username })
      .orderBy('e.id', 'ASC')
      .getMany();
  const failuresOf = async (username: string) =>
    (
      await t.dataSource.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM login_failure WHERE username = $1',
        [username],
      )
    )[0].n;

  it('checks at most LOGIN_MAX_FAILURES of 100 wrong passwords sent at once; the other 95 get 429', async () => {
    await t.signIn(['DUTY_OFFICER'], 'burst-victim');
    const res = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login('burst-victim', `wrong-guess-${i}`)),
    );
    expect(statuses(res)).toEqual({ 401: MAX_FAILURES, 429: 100 - MAX_FAILURES });
    for (const r of res.filter((x) => x.status === 429)) {
      expect(r.body.error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(r.headers['retry-after']).toBe('900');
    }
    expect(await failuresOf('burst-victim')).toBe(MAX_FAILURES);
    expect(await entries('auth.login.failed', 'burst-victim')).toHaveLength(MAX_FAILURES);
  });

  it('refuses the right password with 429 once the limit is taken by wrong ones still being checked', async () => {
    await t.signIn(['COMMANDER'], 'burst-owner');
    hasher.close();
    const wrong = Array.from({ length: 19 }, (_, i) => login('burst-owner', `guess-${i}`));
    // The limit is taken: that many wrong passwords are being checked, none of them finished.
    await hasher.waitingAtLeast(MAX_FAILURES);
    const right = login('burst-owner', TEST_PASSWORD);
    // Either the right one is refused at once, or (the bug) it too waits to be checked.
    await Promise.race([right, hasher.waitingAtLeast(MAX_FAILURES + 1)]);
    hasher.release();
    const [rightRes, ...wrongRes] = await Promise.all([right, ...wrong]);
    expect(rightRes.status).toBe(429);
    expect(rightRes.headers['set-cookie']).toBeUndefined();
    expect(statuses(wrongRes)).toEqual({ 401: MAX_FAILURES, 429: 19 - MAX_FAILURES });
    // After the window the owner gets in.
    t.clock.advance(WINDOW_MS + 1000);
    expect((await login('burst-owner', TEST_PASSWORD)).status).toBe(200);
  });

  it('caps wrong passwords per address across usernames at 4× the limit, also when they come at once', async () => {
    const res = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(`sprayed-${i}`, 'password123')),
    );
    expect(statuses(res)).toEqual({ 401: 4 * MAX_FAILURES, 429: 100 - 4 * MAX_FAILURES });
  });

  it('records the first refusal of a burst of 50, keeps the count of the rest and writes it when the window ends', async () => {
    await t.signIn(['AUDITOR'], 'flooded');
    for (let i = 0; i < MAX_FAILURES; i++) expect((await login('flooded', `nope-${i}`)).status).toBe(401);
    const firstRefusal = t.clock.now().toISOString();
    const res = await Promise.all(Array.from({ length: 50 }, () => login('flooded', 'still-wrong')));
    expect(statuses(res)).toEqual({ 429: 50 });

    const during = await entries('auth.login.throttled', 'flooded');
    expect(during.length).toBeLessThanOrEqual(2);
    expect(during).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ refusedSince: firstRefusal, count: 1 }) }),
    ]);

    // The window ends with nobody trying again: the scheduled flush writes what was only counted.
    t.clock.advance(WINDOW_MS + 1000);
    await t.app.get(LoginThrottleJob).run();
    const after = await entries('auth.login.throttled', 'flooded');
    expect(after).toHaveLength(2);
    expect(after[1].data).toMatchObject({ username: 'flooded', refusedSince: firstRefusal, count: 50 });
    // Written once: a second run has nothing left to write.
    await t.app.get(LoginThrottleJob).run();
    expect(await entries('auth.login.throttled', 'flooded')).toHaveLength(2);
  });

  it('writes the kept count at the next recorded event for that user and address', async () => {
    await t.signIn(['AUDITOR'], 'flooded-again');
    for (let i = 0; i < MAX_FAILURES; i++) await login('flooded-again', `nope-${i}`);
    const firstRefusal = t.clock.now().toISOString();
    const res = await Promise.all(Array.from({ length: 10 }, () => login('flooded-again', 'still-wrong')));
    expect(statuses(res)).toEqual({ 429: 10 });
    expect(await entries('auth.login.throttled', 'flooded-again')).toHaveLength(1);

    t.clock.advance(WINDOW_MS + 1000);
    expect((await login('flooded-again', TEST_PASSWORD)).status).toBe(200);
    const throttled = await entries('auth.login.throttled', 'flooded-again');
    expect(throttled.map((e) => e.data)).toEqual([
      expect.objectContaining({ refusedSince: firstRefusal, count: 1 }),
      expect.objectContaining({ refusedSince: firstRefusal, count: 10 }),
    ]);
    const [signedIn] = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { action: 'auth.login', actorName: 'flooded-again' }, order: { id: 'DESC' }, take: 1 });
    expect(Number(throttled[1].id)).toBeLessThan(Number(signedIn.id));
  });
});
