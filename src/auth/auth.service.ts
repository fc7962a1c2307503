import { MicroCache } from '../common/cache/micro-cache';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthUser } from './auth.decorators';
import { LoginFailure } from './login-failure.entity';
import {
  isFirstRefusal,
  isThrottled,
  needsCountEntry,
  type ThrottleEpisode,
  throttledEntryData,
} from './login-throttle.rules';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UserSession } from './user-session.entity';

export const SESSION_COOKIE = 'hz_session';

/** First key of the two-key advisory locks login attempts take per address (the second: the address). */
const LOGIN_LOCK_SPACE = "hashtext('haze:login-attempts')";

const EPISODE_COLUMNS = 'username, ip, refused_since, last_refused_at, refusals';

interface EpisodeRow {
  username: string;
  ip: string;
  refused_since: Date;
  last_refused_at: Date;
  refusals: number;
}

const toEpisode = (r: EpisodeRow): ThrottleEpisode => ({
  username: r.username,
  ip: r.ip,
  refusedSince: r.refused_since,
  lastRefusedAt: r.last_refused_at,
  refusals: r.refusals,
});

const throttledRecord = (episode: ThrottleEpisode, actor: Actor, failures?: number): AuditRecord => ({
  actor,
  action: 'auth.login.throttled',
  subjectType: 'user',
  data: throttledEntryData(episode, failures),
});

export interface LoginContext {
  ip: string;
  userAgent: string | null;
  requestId: string | null;
}

interface SessionRow {
  session_id: string;
  expires_at: Date;
  id: string;
  username: string;
  display_name: string;
  roles: AuthUser['roles'];
  county_codes: string[];
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sessions = new MicroCache(config.sessionCacheMs, 10_000);
  }

  /**
   * Recently checked sessions by token, so a screen polling the API costs no query per request.
   * Logout and account changes made here forget them at once; elsewhere within SESSION_CACHE_MS.
   */
  private readonly sessions: MicroCache<{ user: AuthUser; expiresAt: Date } | null>;

  /** The cookie holds the token; the database only its HMAC, so a leaked table opens no session. */
  tokenDigest(token: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(token).digest('hex');
  }

  async login(
    usernameRaw: string,
    password: string,
    ctx: LoginContext,
  ): Promise<{ user: AuthUser; token: string; expiresAt: Date }> {
    const username = usernameRaw.trim().toLowerCase();
    const now = this.clock.now();
    const anonymous: Actor = {
      type: 'ANONYMOUS',
      id: null,
      name: username,
      ip: ctx.ip,
      requestId: ctx.requestId,
    };
    if (!(await this.reserveAttempt(username, ctx.ip, now, anonymous))) {
      const { windowMinutes } = this.config.login;
      throw new DomainError('TOO_MANY_ATTEMPTS', `登录失败次数过多,请${windowMinutes}分钟后再试`, undefined, {
        'Retry-After': String(windowMinutes * 60),
      });
    }

    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
    const passwordOk = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !passwordOk || !user.active) {
      const reason = !user ? 'UNKNOWN_USER' : !passwordOk ? 'BAD_PASSWORD' : 'INACTIVE';
      // The reserved attempt stays in login_failure: it is this failure.
      await this.dataSource.transaction(async (m) => {
        await this.audit.record(
          [
            ...(await this.endThrottleEpisode(m, username, ctx.ip, anonymous)),
            {
              actor: anonymous,
              action: 'auth.login.failed',
              subjectType: 'user',
              subjectId: user?.id,
              data: { username, reason },
            },
          ],
          m,
        );
      });
      throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
    }

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3600_000);
    const session = await this.dataSource.transaction(async (m) => {
      const saved = await m.save(
        m.create(UserSession, {
          tokenHash: this.tokenDigest(token),
          userId: user.id,
          expiresAt,
          ip: ctx.ip,
          userAgent: ctx.userAgent?.slice(0, 500) ?? null,
        }),
      );
      // The failures (and this attempt's reservation) are forgiven.
      await m.delete(LoginFailure, { username, ip: ctx.ip });
      await this.audit.record(
        [
          ...(await this.endThrottleEpisode(m, username, ctx.ip, anonymous)),
          {
            actor: { type: 'USER', id: user.id, name: user.username, ip: ctx.ip, requestId: ctx.requestId },
            action: 'auth.login',
            subjectType: 'user',
            subjectId: user.id,
            data: { sessionId: saved.id },
          },
        ],
        m,
      );
      return saved;
    });
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        roles: user.roles,
        countyCodes: user.countyCodes ?? [],
        sessionId: session.id,
      },
      token,
      expiresAt,
    };
  }

  /**
   * Reserves a login attempt before its password is checked, or refuses it (false). Attempts from one address
   * take turns on an advisory lock while they count and reserve, and a reservation counts as a failure until
   * the password proves right, so of any number of attempts sent at once at most the limit are checked.
   * A refusal is counted in the pair's throttle episode; only the episode's first refusal is logged at once.
   */
  private async reserveAttempt(username: string, ip: string, now: Date, actor: Actor): Promise<boolean> {
    const { maxFailures, windowMinutes } = this.config.login;
    const since = new Date(now.getTime() - windowMinutes * 60_000);
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(${LOGIN_LOCK_SPACE}, hashtext($1))`, [ip]);
      const [counts] = await m.query<Array<{ pair: number; by_ip: number }>>(
        `SELECT count(*) FILTER (WHERE username = $1)::int AS pair, count(*)::int AS by_ip
           FROM login_failure WHERE ip = $2 AND at > $3`,
        [username, ip, since],
      );
      if (!isThrottled({ pair: counts.pair, byAddress: counts.by_ip }, maxFailures)) {
        await m.insert(LoginFailure, { username, ip, at: now });
        return true;
      }
      // An episode that began a window ago has ended: its count is written and a new one begins.
      const [ended] = await m.query<[EpisodeRow[], number]>(
        `DELETE FROM login_throttle WHERE username = $1 AND ip = $2 AND refused_since <= $3 RETURNING ${EPISODE_COLUMNS}`,
        [username, ip, since],
      );
      const [episode] = await m.query<EpisodeRow[]>(
        `INSERT INTO login_throttle (username, ip, refused_since, last_refused_at, refusals) VALUES ($1, $2, $3, $3, 1)
         ON CONFLICT (username, ip) DO UPDATE
           SET refusals = login_throttle.refusals + 1, last_refused_at = EXCLUDED.last_refused_at
         RETURNING ${EPISODE_COLUMNS}`,
        [username, ip, now],
      );
      const current = toEpisode(episode);
      await this.audit.record(
        [
          ...ended
            .map(toEpisode)
            .filter(needsCountEntry)
            .map((e) => throttledRecord(e, actor)),
          ...(isFirstRefusal(current) ? [throttledRecord(current, actor, counts.pair)] : []),
        ],
        m,
      );
      return false;
    });
  }

  /** Ends the pair's throttle episode at its next recorded login event, writing the refusals only counted. */
  private async endThrottleEpisode(
    m: EntityManager,
    username: string,
    ip: string,
    actor: Actor,
  ): Promise<AuditRecord[]> {
    const [ended] = await m.query<[EpisodeRow[], number]>(
      `DELETE FROM login_throttle WHERE username = $1 AND ip = $2 RETURNING ${EPISODE_COLUMNS}`,
      [username, ip],
    );
    return ended
      .map(toEpisode)
      .filter(needsCountEntry)
      .map((e) => throttledRecord(e, actor));
  }

  /**
   * Writes the count of every throttle episode that began a window ago (called by the scheduler), so the
   * refusals of a burst nobody followed up are logged too. Returns how many entries were written.
   */
  async flushEndedThrottles(): Promise<number> {
    const since = new Date(this.clock.now().getTime() - this.config.login.windowMinutes * 60_000);
    return this.dataSource.transaction(async (m) => {
      const [ended] = await m.query<[EpisodeRow[], number]>(
        `DELETE FROM login_throttle WHERE refused_since <= $1 RETURNING ${EPISODE_COLUMNS}`,
        [since],
      );
      const records = ended
        .map(toEpisode)
        .filter(needsCountEntry)
        .map((e) =>
          throttledRecord(e, { type: 'ANONYMOUS', id: null, name: e.username, ip: e.ip, requestId: null }),
        );
      await this.audit.record(records, m);
      return records.length;
    });
  }

  /** The user behind a session token, or null when the token is unknown, expired, revoked or the user inactive. */
  async authenticate(token: string): Promise<AuthUser | null> {
    const now = this.clock.now();
    // Keyed by the token itself: the HMAC is only computed on a miss.
    const found = await this.sessions.get(token, () => this.lookupSession(this.tokenDigest(token), now));
    // The expiry is checked on every use, cached or not.
    return found && found.expiresAt.getTime() > now.getTime() ? found.user : null;
  }

  /** Forgets every cached session check (after roles change or accounts are deactivated). */
  forgetCachedSessions(): void {
    this.sessions.invalidate();
  }

  private async lookupSession(
    digest: string,
    now: Date,
  ): Promise<{ user: AuthUser; expiresAt: Date } | null> {
    const rows = await this.dataSource.query<SessionRow[]>(
      `SELECT s.id AS session_id, s.expires_at, u.id, u.username, u.display_name, u.roles, u.county_codes
         FROM user_session s JOIN app_user u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active`,
      [digest, now],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      user: {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        roles: row.roles,
        countyCodes: row.county_codes ?? [],
        sessionId: row.session_id,
      },
      expiresAt: row.expires_at,
    };
  }

  async logout(user: AuthUser, actor: Actor): Promise<void> {
    this.forgetCachedSessions();
    await this.dataSource.transaction(async (m) => {
      await m.update(UserSession, { id: user.sessionId }, { revokedAt: this.clock.now() });
      await this.audit.record(
        {
          actor,
          action: 'auth.logout',
          subjectType: 'user',
          subjectId: user.id,
          data: { sessionId: user.sessionId },
        },
        m,
      );
    });
  }
}
