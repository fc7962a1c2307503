import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { prepareJsonError } from '../common/filters/api-exception.filter';

/**
 * Errors of the console routes its scripts fetch, always as the API's JSON (whatever the Accept header): a missing
 * or expired session is a 401 `UNAUTHENTICATED` the script can show, never the pages' 303 to /login.
 */
@Catch()
export class ScriptJsonExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScriptJsonExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = prepareJsonError(exception, res, this.logger);
    if (answer) res.status(answer.status).json(answer.body);
  }
}
