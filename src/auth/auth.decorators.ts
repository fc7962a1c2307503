import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../audit/actor';
import type { Role } from './roles';

export const ACCESS_KEY = 'haze:access';

/** Who may call a route. A route without one of these decorators is refused (deny by default). */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: Role[] };

/** No sign-in needed (health, login, enterprise acknowledgement links). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, whatever the role. */
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);

/** Signed-in users holding at least one of these roles. */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessRule);

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
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
