import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import {
  AuthedRequest,
  AuthUser,
  CurrentUser,
  Public,
  RequestActor,
  OpenToCounties,
  SignedIn,
} from './auth.decorators';
import { AuthService } from './auth.service';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { LoginDto, MeDto } from './dto/login.dto';
import { ApiErrors, ApiPublic } from '../common/http/api-docs.decorators';

const toMe = (u: AuthUser): MeDto => ({ username: u.username, displayName: u.displayName, roles: u.roles });

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: MeDto })
  @ApiOperation({ summary: '登录并下发会话 Cookie' })
  @ApiErrors(400, 422, 429)
  @ApiPublic()
  async login(
    @Body() body: LoginDto,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeDto> {
    const { user, token } = await this.auth.login(body.username, body.password, {
      ip: req.ip ?? 'unknown',
      userAgent: req.get('user-agent') ?? null,
      requestId: req.requestId ?? null,
    });
    setSessionCookie(res, token, this.config);
    return toMe(user);
  }

  @Post('logout')
  @SignedIn()
  @OpenToCounties()
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录' })
  @ApiNoContentResponse({ description: '已完成' })
  @ApiErrors(401, 403)
  async logout(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(user, actor);
    clearSessionCookie(res);
  }

  @Get('me')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: MeDto })
  @ApiOperation({ summary: '当前登录用户' })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): MeDto {
    return toMe(user);
  }
}
