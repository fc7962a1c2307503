import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthedRequest } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ConsoleContextService } from './console-context.service';
import { CSRF_FIELD, csrfTokenMatches } from './csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every console form post must carry the token of this browser's CSRF secret. Multipart forms send it in
 * the query string (their body is parsed after guards run).
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly context: ConsoleContextService) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    if (SAFE_METHODS.has(req.method)) return true;
    const body = req.body as Record<string, unknown> | undefined;
    const token = body?.[CSRF_FIELD] ?? req.query[CSRF_FIELD] ?? req.get('x-csrf-token');
    if (csrfTokenMatches(this.context.serverKey, this.context.csrfSecret(req), token)) return true;
    throw new DomainError('CSRF_REJECTED', '表单已失效或来源不明(CSRF 校验失败),请刷新页面后重试');
  }
}
