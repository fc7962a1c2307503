import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { CreateUserDto, UpdateUserDto } from '../auth/dto/user.dto';
import { ROLE_NAMES, ROLES } from '../auth/roles';
import { UsersService } from '../auth/users.service';
import { RegionsService } from '../regions/regions.service';
import { ConsolePages } from './console-page.decorator';
import { FormBody, formErrors, many, one, validated } from './console-forms';

const FLASH: Record<string, string> = {
  created: '账号已创建。',
  updated: '已保存;该账号需重新登录。',
  password: '密码已重置;该账号需用新密码登录。',
};

/** Accounts and roles for administrators: the same service and rules as /api/users. */
@ConsolePages()
@Controller('users')
export class UserPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly regions: RegionsService,
  ) {}

  @Get()
  @Roles('ADMIN')
  async list(@Res() res: Response, @Query('msg') msg?: string): Promise<void> {
    await this.render(res, 200, { flash: FLASH[msg ?? ''] ?? null });
  }

  @Post()
  @Roles('ADMIN')
  async create(@Body() body: FormBody, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    try {
      const dto = validated(CreateUserDto, {
        username: one(body, 'username') ?? '',
        ...(one(body, 'displayName') ? { displayName: one(body, 'displayName') } : {}),
        password: typeof body.password === 'string' ? body.password : '',
        roles: many(body, 'roles'),
        countyCodes: many(body, 'countyCodes'),
      });
      await this.users.create(dto, actor);
      res.redirect(303, '/users?msg=created');
    } catch (e) {
      const errors = formErrors(e);
      await this.render(res, errors.status, {
        failed: { create: errors },
        values: body,
      });
    }
  }

  @Post(':id')
  @Roles('ADMIN')
  async update(
    @Param('id') id: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    try {
      if (one(body, 'password') !== undefined) {
        await this.users.resetPassword(id, String(body.password), actor);
        return res.redirect(303, '/users?msg=password');
      }
      const dto = validated(UpdateUserDto, {
        ...(one(body, 'displayName') ? { displayName: one(body, 'displayName') } : {}),
        roles: many(body, 'roles'),
        countyCodes: many(body, 'countyCodes'),
        active: one(body, 'active') === '1',
      });
      await this.users.update(id, dto, actor);
      res.redirect(303, '/users?msg=updated');
    } catch (e) {
      const errors = formErrors(e);
      await this.render(res, errors.status, {
        failed: { [id]: errors },
      });
    }
  }

  private async render(
    res: Response,
    status: number,
    extra: {
      flash?: string | null;
      failed?: Record<string, ReturnType<typeof formErrors>>;
      values?: FormBody;
    },
  ): Promise<void> {
    const [users, counties] = await Promise.all([this.users.list(), this.regions.listCounties()]);
    const roles = ROLES.map((code) => ({ code, name: ROLE_NAMES[code] }));
    res.status(status).render('pages/users', {
      title: '用户与角色',
      users: users.map((u) => ({
        ...u,
        roleNames: u.roles.map((r) => ROLE_NAMES[r as keyof typeof ROLE_NAMES] ?? r).join('、'),
        roleChoices: roles.map((r) => ({ ...r, checked: u.roles.includes(r.code) })),
        countyChoices: counties.map((c) => ({
          code: c.code,
          name: c.name,
          selected: u.countyCodes.includes(c.code),
        })),
        error: extra.failed?.[u.id],
      })),
      roles,
      counties: counties.map((c) => ({ code: c.code, name: c.name })),
      flash: extra.flash ?? null,
      createError: extra.failed?.create,
      values: extra.values ?? {},
    });
  }
}
