import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from '../common/filters/api-exception.filter';

/**
 * Errors of the console routes its scripts fetch, always as the API's JSON (whatever the Accept header): a missing
 * or expired session is a 401 `UNAUTHENTICATED` the script can show, never the pages' 303 to /login.
 */
@Catch()
export class ScriptJsonExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScriptJsonExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body, headers } = toErrorResponse(exception);
    if (status === 503) this.logger.warn(`database unavailable: ${String(exception)}`);
    else if (status >= 500)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.status(status).json(body);
  }
}
