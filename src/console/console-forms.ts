import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { statusOf } from '../common/errors/error-codes';
import { flattenValidationErrors } from '../common/http/validation.pipe';

/** Form values arrive as strings (or arrays of strings for repeated names). */
export type FormBody = Record<string, string | string[] | undefined>;

/** One value of a form field (the first, if the name repeats), trimmed; undefined when empty. */
export function one(body: FormBody, name: string): string | undefined {
  const v = body[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s === undefined || s === '' ? undefined : s;
}

/** All values of a repeated field (checkboxes), empty ones dropped. */
export function many(body: FormBody, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter((s) => s !== '');
}

/** Validates a plain object against an API DTO class with the API's rules; a 422 naming the fields if not. */
export function validated<T extends object>(cls: new () => T, plain: object): T {
  const dto = plainToInstance(cls, plain);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw DomainError.validation(flattenValidationErrors(errors));
  return dto;
}

/** Field errors by field name, for showing each next to its input; the rest as a list. */
export function formErrors(
  error: unknown,
  keyOf: (field: string) => string = (field) => field.split(/[.[]/)[0],
): {
  /** The API's status for this error (422, 409, 404 …), for the page that shows it. */
  status: number;
  message: string;
  byField: Record<string, string>;
  all: FieldError[];
} {
  if (
    !(error instanceof DomainError) ||
    ['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED'].includes(error.code)
  )
    throw error;
  const byField: Record<string, string> = {};
  for (const f of error.fields ?? []) {
    const key = keyOf(f.field);
    byField[key] = byField[key] ? `${byField[key]};${f.message}` : f.message;
  }
  return { status: statusOf(error.code), message: error.message, byField, all: error.fields ?? [] };
}
