import type { ErrorCode } from './error-codes';

/** One invalid input: the field path (e.g. "forecasts[2].aqi") or a spreadsheet cell, and what is wrong. */
export interface FieldError {
  field: string;
  message: string;
  row?: number;
}

/** A business rule said no. Carries a stable code; the filters map it to HTTP. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    /** Extra response headers, e.g. Retry-After for TOO_MANY_ATTEMPTS. */
    readonly headers?: Record<string, string>,
    /** Extra top-level members of the error body (e.g. the import's `errors` list). */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(fields: FieldError[], message = '提交的数据有误'): DomainError {
    return new DomainError('VALIDATION_FAILED', message, fields);
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what}不存在`);
  }
}
