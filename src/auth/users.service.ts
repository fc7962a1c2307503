import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { PasswordHasher } from './password-hasher';
import { ROLE_NAMES } from './roles';
import { User } from './user.entity';
import { NewUserInput, validateNewUser } from './users.rules';

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

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
    const passwordHash = await this.hasher.hash(input.password);
    return this.dataSource.transaction(async (m) => {
      if (await m.existsBy(User, { username })) {
        throw new DomainError('CONFLICT', `用户名 ${username} 已存在`, [
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
          active: true,
        }),
      );
      await this.audit.record(
        {
          actor,
          action: 'user.created',
          subjectType: 'user',
          subjectId: user.id,
          data: { username, roles, displayName: user.displayName },
        },
        m,
      );
      return user;
    });
  }

  /** Creates the user unless one with that username exists; returns whether it was created. */
  async ensure(input: NewUserInput, actor: Actor, manager?: EntityManager): Promise<boolean> {
    const repo = (manager ?? this.dataSource.manager).getRepository(User);
    if (await repo.existsBy({ username: input.username })) return false;
    await this.create(input, actor, { allowShortPassword: true });
    return true;
  }
}
