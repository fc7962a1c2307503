import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/auth.decorators';
import { stringCookie } from '../common/http/cookie.rules';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { navFor, ROLE_NAMES } from './console-nav';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSecret } from './csrf';

export interface ConsoleLocals {
  currentUser: { username: string; displayName: string; roleNames: string } | null;
  nav: ReturnType<typeof navFor>;
  csrfToken: string;
  demo: boolean;
}

/** What every console page's layout needs: the user, the navigation and the form token. */
@Injectable()
export class ConsoleContextService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Ensures the browser holds a CSRF secret and returns the locals for the layout. */
  locals(req: AuthedRequest, res: Response): ConsoleLocals {
    let secret = this.csrfSecret(req);
    if (!secret) {
      secret = newCsrfSecret();
      (req.cookies as Record<string, string>)[CSRF_COOKIE] = secret;
      res.cookie(CSRF_COOKIE, secret, {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.config.secureCookies,
        path: '/',
      });
    }
    const user = req.user;
    return {
      currentUser: user
        ? {
            username: user.username,
            displayName: user.displayName,
            roleNames: user.roles.map((r) => ROLE_NAMES[r]).join('、'),
          }
        : null,
      nav: user ? navFor(user.roles, req.path) : [],
      csrfToken: csrfTokenFor(this.config.sessionSecret, secret),
      demo: this.config.demo,
    };
  }

  csrfSecret(req: AuthedRequest): string | undefined {
    return stringCookie(req.cookies, CSRF_COOKIE);
  }

  get serverKey(): string {
    return this.config.sessionSecret;
  }
}
