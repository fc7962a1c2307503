import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthedRequest } from '../auth/auth.decorators';
import type { Role } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { type AuthedSource, TelemetrySourcesService } from './telemetry-sources.service';

const KEY_ROUTE = 'haze:telemetry-key';

/**
 * A route public to the session guard that a telemetry source's key opens instead (`Authorization: Bearer`);
 * `orRoles` also lets a signed-in user with one of those roles in without a key. Checked before multer reads
 * an upload, so an anonymous upload is refused unread.
 */
export const TelemetryKey = (opts: { orRoles?: Role[] } = {}) => SetMetadata(KEY_ROUTE, opts);

export interface TelemetryRequest extends AuthedRequest {
  telemetrySource?: AuthedSource;
}

@Injectable()
export class TelemetryKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sources: TelemetrySourcesService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const opts = this.reflector.get<{ orRoles?: Role[] } | undefined>(KEY_ROUTE, context.getHandler());
    if (!opts) return true;
    const req = context.switchToHttp().getRequest<TelemetryRequest>();
    const authorization = req.get('authorization');
    const roles = opts.orRoles ?? [];
    // A staff member signed in with the right role uploads on a source's behalf, without its key.
    if (!authorization && req.user && roles.length) {
      if (roles.some((r) => req.user!.roles.includes(r))) return true;
      throw new DomainError('FORBIDDEN', '当前角色无权执行此操作');
    }
    req.telemetrySource = await this.sources.authenticate(authorization);
    return true;
  }
}
