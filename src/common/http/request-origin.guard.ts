import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { requestRefusal } from './request-origin.rules';

/**
 * Global guard, registered first: refuses a cross-origin unsafe request (every route: API, console, login,
 * enterprise links) and a non-JSON body on the API, before the session is looked at, before multer reads an
 * upload and before any handler runs. As a guard its refusal goes through the route's own exception filter,
 * so console pages answer with their HTML error page and the API with JSON.
 */
@Injectable()
export class RequestOriginGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const route = (req.route as { path?: unknown } | undefined)?.path;
    const refusal = requestRefusal({
      method: req.method,
      // The pattern Express matched (canonical, whatever case or slashes the client used), else the path.
      path: typeof route === 'string' ? route : req.path,
      origin: req.get('origin'),
      secFetchSite: req.get('sec-fetch-site'),
      host: req.get('host'),
      protocol: req.protocol,
      contentType: req.get('content-type'),
      contentLength: req.get('content-length'),
      transferEncoding: req.get('transfer-encoding'),
      requestedWith: req.get('x-requested-with'),
      appUrl: this.config.appUrl,
    });
    if (refusal) throw new DomainError(refusal.code, refusal.message);
    return true;
  }
}
