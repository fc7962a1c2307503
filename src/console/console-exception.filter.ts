import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/auth.decorators';
import { toErrorResponse } from '../common/filters/api-exception.filter';
import { ConsoleContextService } from './console-context.service';

const TITLES: Record<number, string> = {
  400: '请求有误',
  403: '无权访问',
  404: '页面不存在',
  409: '操作冲突',
  410: '已失效',
  413: '文件过大',
  415: '格式不受支持',
  422: '填写有误',
  429: '尝试过于频繁',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

/**
 * Console pages answer errors with HTML: a sign-in redirect when the session is missing, otherwise an
 * error page in the layout (never a JSON dump). The status and code are the API's.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ConsoleExceptionFilter');

  constructor(private readonly context: ConsoleContextService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<AuthedRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const { status, body, headers } = toErrorResponse(exception);
    if (status === 503) this.logger.warn(`database unavailable: ${String(exception)}`);
    else if (status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    if (body.error.code === 'UNAUTHENTICATED') {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }
    Object.assign(res.locals, this.context.locals(req, res));
    res.status(status).render('pages/error', {
      title: TITLES[status] ?? '出错了',
      status,
      code: body.error.code,
      message: body.error.message,
      fields: body.error.fields ?? [],
    });
  }
}
