import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, FieldError } from '../errors/domain-error';
import { isDatabaseUnavailable } from '../errors/database-outage.rules';
import { ErrorCode, statusOf } from '../errors/error-codes';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldError[] };
  [extra: string]: unknown;
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'TOO_MANY_ATTEMPTS',
  503: 'SERVICE_UNAVAILABLE',
};

const MESSAGE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: '请求格式错误',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '无权执行此操作',
  NOT_FOUND: '资源不存在',
  PAYLOAD_TOO_LARGE: '上传内容超过服务器允许的大小上限',
  UNSUPPORTED_MEDIA_TYPE: '不支持的请求内容格式或字符集',
  SERVICE_UNAVAILABLE: '数据库暂时不可用,请稍后重试',
  INTERNAL: '服务器内部错误',
};

/** Turns any thrown error into `{error:{code,message,fields?}}` with the right status. */
export function toErrorResponse(exception: unknown): {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
} {
  if (exception instanceof DomainError) {
    return {
      status: statusOf(exception.code),
      body: {
        ...exception.body,
        error: {
          code: exception.code,
          message: exception.message,
          ...(exception.fields ? { fields: exception.fields } : {}),
        },
      },
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    // Body-parser errors (malformed JSON, too large) arrive as HttpExceptions with English text.
    const message = MESSAGE_BY_CODE[code] ?? exception.message;
    return { status, body: { error: { code, message } } };
  }
  const withStatus = exception as { status?: number; type?: string };
  if (typeof withStatus?.status === 'number' && withStatus.status >= 400 && withStatus.status < 500) {
    // Errors raised by Express middleware (body-parser) carry a status but are not HttpExceptions.
    const code = CODE_BY_STATUS[withStatus.status] ?? 'BAD_REQUEST';
    return {
      status: withStatus.status,
      body: { error: { code, message: MESSAGE_BY_CODE[code] ?? '请求格式错误' } },
    };
  }
  if (isDatabaseUnavailable(exception)) {
    // Not a bug: the database is down or unreachable. Clients (and load balancers) may retry.
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: { error: { code: 'SERVICE_UNAVAILABLE', message: MESSAGE_BY_CODE.SERVICE_UNAVAILABLE! } },
      headers: { 'Retry-After': '5' },
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: 'INTERNAL', message: MESSAGE_BY_CODE.INTERNAL! } },
  };
}

/** Logs an error the way both JSON filters do and returns its answer, headers applied; null once headers are sent. */
export function prepareJsonError(
  exception: unknown,
  res: Response,
  logger: Logger,
): ReturnType<typeof toErrorResponse> | null {
  const answer = toErrorResponse(exception);
  // An outage is one line per request, not a stack each: the cause is the database, not this code.
  if (answer.status === 503) logger.warn(`database unavailable: ${String(exception)}`);
  else if (answer.status >= 500)
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  if (res.headersSent) return null;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  return answer;
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = prepareJsonError(exception, res, this.logger);
    if (!answer) return;
    const { status, body } = answer;
    const req = host.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith('/api') && req.accepts(['json', 'html']) === 'html') {
      // A browser on a path no console page answers (e.g. a mistyped address): a page, not JSON.
      res.status(status).render('pages/error', {
        title: status === 404 ? '页面不存在' : '出错了',
        status,
        code: body.error.code,
        message: body.error.message,
        fields: body.error.fields ?? [],
      });
      return;
    }
    res.status(status).json(body);
  }
}
