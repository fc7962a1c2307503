import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { isDatabaseUnavailable } from '../common/errors/database-outage.rules';
import { stringCookie } from '../common/http/cookie.rules';
import { ACCESS_KEY, AccessRule, AuthedRequest, COUNTY_OPEN_KEY } from './auth.decorators';
import { countyScopeOf } from './county-scope';
import { AuthService, SESSION_COOKIE } from './auth.service';

/**
 * Global guard: resolves the session cookie, then applies the route's access rule. A route that
 * declares no rule is refused to everyone (deny by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const token = stringCookie(req.cookies, SESSION_COOKIE);
    if (token && !req.user) {
      try {
        req.user = (await this.auth.authenticate(token)) ?? undefined;
      } catch (e) {
        // A public route (health above all) answers for itself during an outage, as anonymous; elsewhere the
        // outage propagates and the filters make it a 503.
        if (rule?.kind !== 'public' || !isDatabaseUnavailable(e)) throw e;
      }
    }

    if (rule?.kind === 'public') return true;
    if (!req.user) throw new DomainError('UNAUTHENTICATED', '请先登录');
    if (!rule) throw new DomainError('FORBIDDEN', '此操作未向任何角色开放');
    if (rule.kind === 'signed-in') {
      // County officers reach only the routes that serve city-wide data or apply their scope (deny by default).
      const countyOpen = this.reflector.getAllAndOverride<boolean | undefined>(COUNTY_OPEN_KEY, [
        context.getHandler(),
        context.getClass(),
      ]);
      if ('all' in countyScopeOf(req.user) || countyOpen) return true;
      throw new DomainError('FORBIDDEN', '县级分局账号无权访问此页面或数据');
    }
    if (rule.roles.some((role) => req.user!.roles.includes(role))) return true;
    throw new DomainError('FORBIDDEN', '当前角色无权执行此操作');
  }
}
