import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../audit/actor';
import { type CountyScope, countyScopeOf } from './county-scope';
import type { Role } from './roles';

export const ACCESS_KEY = 'haze:access';
export const COUNTY_OPEN_KEY = 'haze:county-open';

/** Who may call a route. A route without one of these decorators is refused (deny by default). */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: Role[] };

/** No sign-in needed (health, login, enterprise acknowledgement links). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, whatever the role. */
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);

/** Signed-in users holding at least one of these roles. */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessRule);

/**
 * A `SignedIn()` route a county bureau officer (county-scoped only) may call too: it serves city-wide data (warnings,
 * regions, the caller's own session) or applies the caller's CountyScope. Other signed-in routes refuse them.
 */
export const OpenToCounties = () => SetMetadata(COUNTY_OPEN_KEY, true);

/** The caller's county scope (every county for city-wide roles). */
export const CallerScope = createParamDecorator((_: unknown, ctx: ExecutionContext): CountyScope => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  return user ? countyScopeOf(user) : { counties: [] };
});

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** The counties of a county officer (县级分局); empty for city-wide accounts. */
  countyCodes: string[];
  sessionId: string;
}

export interface AuthedRequest extends Request {
  user?: AuthUser;
  requestId?: string;
}

/** The signed-in user (the guard has already refused anonymous calls on protected routes). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().user;
});

export function actorOf(req: AuthedRequest): Actor {
  const user = req.user;
  return {
    type: user ? 'USER' : 'ANONYMOUS',
    id: user?.id ?? null,
    name: user?.username ?? null,
    ip: req.ip ?? null,
    requestId: req.requestId ?? null,
  };
}

/** The audit actor for this request: the signed-in user with address and request id. */
export const RequestActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return actorOf(ctx.switchToHttp().getRequest<AuthedRequest>());
});
