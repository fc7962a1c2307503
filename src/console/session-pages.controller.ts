import { Body, Controller, Get, Inject, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import {
  AuthedRequest,
  AuthUser,
  CurrentUser,
  Public,
  RequestActor,
  OpenToCounties,
  SignedIn,
} from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConsolePages } from './console-page.decorator';
import { LoginDto } from '../auth/dto/login.dto';
import { FormBody, formErrors, one, validated } from './console-forms';

/** Only paths on this site: no open redirect through ?next=. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/login')
    ? next
    : '/dashboard';
}

@ConsolePages()
@Controller()
export class SessionPagesController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  home(@Req() req: AuthedRequest, @Res() res: Response): void {
    if (req.user) return res.redirect(303, '/dashboard');
    res.render('pages/home', { title: '首页' });
  }

  @Get('login')
  @Public()
  @Render('pages/login')
  loginForm(@Query('next') next?: string): object {
    return { title: '登录', next: safeNext(next) };
  }

  /** A new session token on every sign-in: a token planted before sign-in is never promoted (no fixation). */
  @Post('login')
  @Public()
  async login(@Body() body: FormBody, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const username = one(body, 'username') ?? '';
    const password = typeof body.password === 'string' ? body.password : '';
    try {
      if (!username || !password) throw new DomainError('VALIDATION_FAILED', '请输入用户名和密码');
      validated(LoginDto, { username, password });
      const { token } = await this.auth.login(username, password, {
        ip: req.ip ?? 'unknown',
        userAgent: req.get('user-agent') ?? null,
        requestId: req.requestId ?? null,
      });
      setSessionCookie(res, token, this.config);
      res.redirect(303, safeNext(body.next));
    } catch (e) {
      const f = formErrors(e);
      // formErrors has let anything but a DomainError through, so its headers (Retry-After) are there to copy.
      for (const [k, v] of Object.entries((e as DomainError).headers ?? {})) res.setHeader(k, v);
      res.status(f.status).render('pages/login', {
        title: '登录',
        error: f.message,
        errors: f.byField,
        username,
        next: safeNext(body.next),
      });
    }
  }

  @Post('logout')
  @SignedIn()
  @OpenToCounties()
  async logout(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.auth.logout(user, actor);
    clearSessionCookie(res);
    res.redirect(303, '/login');
  }
}
