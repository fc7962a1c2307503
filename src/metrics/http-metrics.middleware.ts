import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request, labelled by the route's pattern (/api/alerts/:id), never the raw path: ids would make a
 * series per warning. Requests no route matched are `unmatched`; static files `/assets/*`.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({
        method: req.method,
        route: route
          ? `${req.baseUrl}${route}`
          : req.originalUrl.startsWith('/assets/')
            ? '/assets/*'
            : 'unmatched',
        status: String(res.statusCode),
      });
    });
    next();
  }
}
