import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { statusOf } from '../common/errors/error-codes';
import { flattenValidationErrors } from '../common/http/validation.pipe';

/** Form values arrive as strings (or arrays of strings for repeated names). */
export type FormBody = Record<string, string | string[] | undefined>;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/**
 * A `datetime-local` value ("2026-11-29T08:00", or with seconds when the field has a step) read as
 * Asia/Shanghai time, as ISO 8601 with offset: the API refuses times without a zone, the console means Beijing.
 */
export function shanghaiIso(local: string | undefined): string | undefined {
  const v = (local ?? '').trim();
  if (v === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return `${v}:00+08:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(v)) return `${v}+08:00`;
  return v; // already carries an offset, or is no time at all: the DTO's validator decides
}

/** The `datetime-local` value showing this instant in Asia/Shanghai. */
export function localInput(at: Date | string | null | undefined): string {
  if (!at) return '';
  return new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

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
