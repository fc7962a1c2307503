import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { AuthedRequest } from '../auth/auth.decorators';
import { UsersService } from '../auth/users.service';
import { ConsoleContextService } from './console-context.service';
import type { People } from './console-helpers';

/**
 * Puts the layout's locals (user, navigation, CSRF token) on the response before the page renders, and, for the
 * pages (GET), the accounts' display names by username (`people`), so the helpers that say who did something
 * (`person`, `actor`, `proposer`) show names rather than usernames (one small query, reused for SESSION_CACHE_MS).
 */
@Injectable()
export class ConsoleLocalsInterceptor implements NestInterceptor {
  constructor(
    private readonly context: ConsoleContextService,
    private readonly users: UsersService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    const res = http.getResponse<Response>();
    Object.assign(res.locals, this.context.locals(req, res));
    if (req.method !== 'GET' || !req.user) return next.handle();
    return from(this.users.displayNames()).pipe(
      mergeMap((names) => {
        res.locals.people = names satisfies People;
        return next.handle();
      }),
    );
  }
}
