import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from '../errors/domain-error';
import { chineseMessage } from './validation-messages';

/** What a field sent as null is told, whatever its checks said (they all fail on null, in English). */
export const NULL_MESSAGE = '不能为 null;不填写请省略此字段';

/**
 * Flattens nested class-validator errors into `{field: "a.b[2].c", message}` rows, each message in Chinese with
 * the field's label (validation-messages.ts). A null that fails its field's checks gets one NULL_MESSAGE instead of
 * one line per check (needs `value` in the errors).
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const field = parent === '' ? key : key.startsWith('[') ? `${parent}${key}` : `${parent}.${key}`;
    const { whitelistValidation, ...checks } = error.constraints ?? {};
    // An unknown field is refused for existing, null or not.
    if (whitelistValidation)
      out.push({ field, message: chineseMessage(field, 'whitelistValidation', whitelistValidation) });
    if (error.value === null && Object.keys(checks).length) out.push({ field, message: NULL_MESSAGE });
    else
      for (const [constraint, message] of Object.entries(checks))
        out.push({ field, message: chineseMessage(field, constraint, message) });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Deeper than any request the API takes (a plan's measure parameters are 4 levels down). */
export const MAX_INPUT_DEPTH = 20;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store this text as given (NUL, lone surrogates), or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return '不能包含空字符(NUL)';
  if (LONE_SURROGATE.test(text)) return '包含无效的 Unicode 字符(孤立的代理项)';
  return null;
}

/**
 * Input that no validator or column can take: nesting deeper than MAX_INPUT_DEPTH (class-transformer and the
 * pipe recurse and would overflow the stack: a 500), NUL characters (PostgreSQL text and jsonb refuse them) and
 * lone surrogates (not encodable as UTF-8: silently replaced in text, refused in jsonb). Walks without
 * recursion, keys included; returns the first problem.
 */
export function unsafeInput(value: unknown): FieldError | null {
  const stack: Array<{ node: unknown; field: string; depth: number }> = [
    { node: value, field: '', depth: 0 },
  ];
  while (stack.length) {
    const { node, field, depth } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) return { field: field || 'body', message: problem };
    } else if (node !== null && typeof node === 'object' && !ArrayBuffer.isView(node)) {
      if (depth >= MAX_INPUT_DEPTH)
        return { field: field || 'body', message: `嵌套层级超过${MAX_INPUT_DEPTH}层` };
      for (const [key, child] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem) return { field: field || 'body', message: `字段名${problem}` };
        const path = Array.isArray(node) ? `${field}[${key}]` : field ? `${field}.${key}` : key;
        stack.push({ node: child, field: path, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** Refuses unsafe input (see unsafeInput) before the validators see it. */
class SafeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = unsafeInput(value);
      if (problem) throw DomainError.validation([problem]);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** whitelist + forbidNonWhitelisted: unknown fields are named in a 422, never silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new SafeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    // `value` lets flattenValidationErrors tell a null apart; it never leaves the server.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
  });
}
