import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from './auth.decorators';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './dto/user.dto';
import { toUserView, UsersService, UserView } from './users.service';

/** Accounts and roles, for administrators; every change is audited with before and after. */
@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('ADMIN')
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @Roles('ADMIN')
  async create(@Body() body: CreateUserDto, @RequestActor() actor: Actor): Promise<UserView> {
    return toUserView(await this.users.create(body, actor));
  }

  @Patch(':id')
  @Roles('ADMIN')
  update(
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @RequestActor() actor: Actor,
  ): Promise<UserView> {
    return this.users.update(id, body, actor);
  }

  @Post(':id/password')
  @Roles('ADMIN')
  @HttpCode(204)
  resetPassword(
    @Param('id') id: string,
    @Body() body: ResetPasswordDto,
    @RequestActor() actor: Actor,
  ): Promise<void> {
    return this.users.resetPassword(id, body.password, actor);
  }
}
