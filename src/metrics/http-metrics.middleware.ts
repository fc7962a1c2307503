import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { routeLabel } from '../logging/logging.rules';
import { MetricsService } from './metrics.service';

/**
 * Times every request, labelled by the route's pattern (/api/alerts/:id), never the raw path: ids would make a
 * series per warning. Requests no route matched are `unmatched`; static files `/assets/*` (routeLabel).
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.once('finish', () => {
      end({
        method: req.method,
        route: routeLabel({
          baseUrl: req.baseUrl,
          originalUrl: req.originalUrl,
          routePath: (req.route as { path?: string } | undefined)?.path,
        }),
        status: String(res.statusCode),
      });
    });
    next();
  }
}
