import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { PasswordHasher } from './password-hasher';
import { ROLE_NAMES } from './roles';
import { User } from './user.entity';
import {
  countyCodesFor,
  MIN_PASSWORD_LENGTH,
  NewUserInput,
  UserChange,
  userDiff,
  validateNewUser,
  validateUserChange,
} from './users.rules';
import { UserSession } from './user-session.entity';
import { isUuid } from '../common/ids';
import { Clock } from '../common/clock/clock';
import { AuthService } from './auth.service';
import { MicroCache } from '../common/cache/micro-cache';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  /** The counties of a county officer (县级分局); empty for city-wide accounts. */
  countyCodes: string[];
  active: boolean;
  createdAt: Date;
}

export const toUserView = (u: User): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  countyCodes: u.countyCodes ?? [],
  active: u.active,
  createdAt: u.createdAt,
});

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.names = new MicroCache(config.sessionCacheMs, 1);
  }

  /** Display names by username for every console page: reused as long as a checked session (SESSION_CACHE_MS). */
  private readonly names: MicroCache<Record<string, string>>;

  /** Creates an account (422 naming the field when invalid, 409 when the username is taken). */
  async create(
    input: NewUserInput,
    actor: Actor,
    opts: { allowShortPassword?: boolean } = {},
  ): Promise<User> {
    const username = input.username.trim().toLowerCase();
    const normalised = { ...input, username };
    const errors = validateNewUser(normalised, opts);
    if (errors.length) throw DomainError.validation(errors);
    const counties = countyCodesFor(input.roles, input.countyCodes ?? [], await this.knownCounties());
    if (counties.errors.length) throw DomainError.validation(counties.errors);
    const passwordHash = await this.hasher.hash(input.password);
    const created = await this.dataSource.transaction(async (m) => {
      if (await m.existsBy(User, { username })) {
        throw new DomainError('USERNAME_TAKEN', `用户名 ${username} 已存在`, [
          { field: 'username', message: '用户名已存在' },
        ]);
      }
      const roles = normalised.roles as User['roles'];
      const user = await m.save(
        m.create(User, {
          username,
          displayName: input.displayName?.trim() || roles.map((r) => ROLE_NAMES[r]).join('/'),
          passwordHash,
          roles,
          countyCodes: counties.codes,
          active: true,
          // Who chose the password: an approval by this account of that administrator's proposal is flagged.
          createdBy: actor.id,
          passwordSetBy: actor.id,
          passwordSetAt: this.clock.now(),
        }),
      );
      await this.audit.record(
        {
          actor,
          action: 'user.created',
          subjectType: 'user',
          subjectId: user.id,
          data: {
            username,
            roles,
            displayName: user.displayName,
            ...(counties.codes.length ? { countyCodes: counties.codes } : {}),
          },
        },
        m,
      );
      return user;
    });
    this.names.invalidate(); // committed: pages name the new account at once
    return created;
  }

  async list(): Promise<UserView[]> {
    const users = await this.dataSource.getRepository(User).find({ order: { username: 'ASC' } });
    return users.map(toUserView);
  }

  /** Username → display name, for the pages that say who did something; changes here show at once. */
  displayNames(): Promise<Record<string, string>> {
    return this.names.get('all', async () =>
      Object.fromEntries(
        (
          await this.dataSource.query<Array<{ username: string; display_name: string }>>(
            'SELECT username, display_name FROM app_user',
          )
        ).map((u) => [u.username, u.display_name]),
      ),
    );
  }

  /** An administrator's change of name, roles or status, audited with before and after. */
  async update(id: string, change: UserChange, actor: Actor): Promise<UserView> {
    const updated = await this.dataSource.transaction(async (m) => {
      const user = isUuid(id)
        ? await m
            .getRepository(User)
            .createQueryBuilder('u')
            .setLock('pessimistic_write')
            .where('u.id = :id', { id })
            .getOne()
        : null;
      if (!user) throw DomainError.notFound('用户');
      const errors = validateUserChange(change, { self: actor.id === user.id, currentRoles: user.roles });
      if (errors.length) throw DomainError.validation(errors);
      const before = {
        displayName: user.displayName,
        roles: [...user.roles],
        active: user.active,
        countyCodes: [...user.countyCodes],
      };
      // Counties are checked against the roles the account ends up with (a change of either re-checks both).
      const roles = change.roles ?? user.roles;
      const counties = countyCodesFor(
        roles,
        change.countyCodes ??
          (change.roles && !change.roles.includes('COUNTY_OFFICER') ? [] : user.countyCodes),
        await this.knownCounties(m),
      );
      if (counties.errors.length) throw DomainError.validation(counties.errors);
      if (change.displayName !== undefined) user.displayName = change.displayName.trim();
      if (change.roles !== undefined) user.roles = [...new Set(change.roles)] as User['roles'];
      user.countyCodes = counties.codes;
      if (change.active !== undefined) user.active = change.active;
      const diff = userDiff(before, user);
      if (Object.keys(diff).length === 0) return toUserView(user);
      await m.save(user);
      // A deactivated account or a changed role takes effect now: its sessions end.
      if (diff.active || diff.roles || diff.countyCodes) {
        this.auth.forgetCachedSessions();
        await m.update(
          UserSession,
          { userId: user.id, revokedAt: IsNull() },
          { revokedAt: this.clock.now() },
        );
      }
      await this.audit.record(
        {
          actor,
          action: 'user.updated',
          subjectType: 'user',
          subjectId: user.id,
          data: { username: user.username, ...diff },
        },
        m,
      );
      return toUserView(user);
    });
    this.names.invalidate();
    return updated;
  }

  /** Sets a new password (never logged) and ends the account's sessions. */
  async resetPassword(id: string, password: string, actor: Actor): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw DomainError.validation([{ field: 'password', message: `密码至少${MIN_PASSWORD_LENGTH}个字符` }]);
    const passwordHash = await this.hasher.hash(password);
    await this.dataSource.transaction(async (m) => {
      const user = isUuid(id) ? await m.getRepository(User).findOneBy({ id }) : null;
      if (!user) throw DomainError.notFound('用户');
      await m.update(
        User,
        { id },
        { passwordHash, passwordSetBy: actor.id, passwordSetAt: this.clock.now() },
      );
      this.auth.forgetCachedSessions();
      await m.update(UserSession, { userId: id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      await this.audit.record(
        {
          actor,
          action: 'user.password-reset',
          subjectType: 'user',
          subjectId: id,
          data: { username: user.username },
        },
        m,
      );
    });
  }

  /** The codes of the counties table (what a county officer may be tied to). */
  private async knownCounties(manager?: EntityManager): Promise<Set<string>> {
    const rows = await (manager ?? this.dataSource.manager).query<Array<{ code: string }>>(
      'SELECT code FROM county',
    );
    return new Set(rows.map((r) => r.code));
  }

  /** Creates the user unless one with that username exists; returns whether it was created. */
  async ensure(input: NewUserInput, actor: Actor, manager?: EntityManager): Promise<boolean> {
    const repo = (manager ?? this.dataSource.manager).getRepository(User);
    if (await repo.existsBy({ username: input.username })) return false;
    await this.create(input, actor, { allowShortPassword: true });
    return true;
  }
}
