import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import type { AuthedRequest } from '../auth/auth.decorators';
import { ConsoleContextService } from './console-context.service';

/** Puts the layout's locals (user, navigation, CSRF token) on the response before the page renders. */
@Injectable()
export class ConsoleLocalsInterceptor implements NestInterceptor {
  constructor(private readonly context: ConsoleContextService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = ctx.switchToHttp();
    const res = http.getResponse<Response>();
    Object.assign(res.locals, this.context.locals(http.getRequest<AuthedRequest>(), res));
    return next.handle();
  }
}
