import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleLocalsInterceptor } from './console-locals.interceptor';
import { CsrfGuard } from './csrf.guard';

/** A console controller: HTML errors, CSRF-checked posts, layout locals; not part of the OpenAPI document. */
export const ConsolePages = () =>
  applyDecorators(
    ApiExcludeController(),
    UseFilters(ConsoleExceptionFilter),
    UseGuards(CsrfGuard),
    UseInterceptors(ConsoleLocalsInterceptor),
  );
