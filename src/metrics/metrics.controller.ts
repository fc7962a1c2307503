import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

/** Prometheus' scrape target. With METRICS_TOKEN set, only `Authorization: Bearer <token>` may read it. */
@ApiExcludeController()
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new DomainError('UNAUTHENTICATED', '读取监控指标需要令牌(METRICS_TOKEN)');
    }
    const body = await this.metrics.registry.metrics();
    // Written as is: Express' send would rewrite the exposition format's content type around its charset.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.end(body);
  }
}
