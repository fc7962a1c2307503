import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from './auth.decorators';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './dto/user.dto';
import { toUserView, UsersService, UserView } from './users.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

/** Accounts and roles, for administrators; every change is audited with before and after. */
@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('ADMIN')
  @ApiOperation({ summary: '用户列表' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403)
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @Roles('ADMIN')
  @ApiOperation({ summary: '新建用户' })
  @ApiCreatedResponse({ description: '已创建' })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@Body() body: CreateUserDto, @RequestActor() actor: Actor): Promise<UserView> {
    return toUserView(await this.users.create(body, actor));
  }

  @Patch(':id')
  @Roles('ADMIN')
  @ApiOperation({ summary: '修改用户(姓名、角色、停用)' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(400, 401, 403, 404, 409, 422)
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
  @ApiOperation({ summary: '重置用户密码' })
  @ApiNoContentResponse({ description: '已完成' })
  @ApiErrors(400, 401, 403, 404, 422)
  resetPassword(
    @Param('id') id: string,
    @Body() body: ResetPasswordDto,
    @RequestActor() actor: Actor,
  ): Promise<void> {
    return this.users.resetPassword(id, body.password, actor);
  }
}
