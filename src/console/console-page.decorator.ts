import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleLocalsInterceptor } from './console-locals.interceptor';
import { CsrfGuard } from './csrf.guard';
import { ScriptJsonExceptionFilter } from './script-json-exception.filter';

/** A console controller: HTML errors, CSRF-checked posts, layout locals; not part of the OpenAPI document. */
export const ConsolePages = () =>
  applyDecorators(
    ApiExcludeController(),
    UseFilters(ConsoleExceptionFilter),
    UseGuards(CsrfGuard),
    UseInterceptors(ConsoleLocalsInterceptor),
  );

/**
 * A console route that the console's own scripts fetch (the live progress poll): its errors are the API's JSON,
 * a missing or expired session a 401 `UNAUTHENTICATED` rather than the pages' 303 to /login, so the script can
 * tell the user instead of following a redirect it cannot show. A method's filter is tried before its class's.
 */
export const ScriptEndpoint = () => UseFilters(ScriptJsonExceptionFilter);
