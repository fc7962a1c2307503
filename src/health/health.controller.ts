import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { ApiErrors, ApiPublic } from '../common/http/api-docs.decorators';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** `{status:"ok", database:"up"}`, or 503 with database "down". */
  @Get()
  @Public()
  @ApiOperation({ summary: '服务与数据库是否可用' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(503)
  @ApiPublic()
  async health(@Res({ passthrough: true }) res: Response): Promise<{ status: string; database: string }> {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: 'up' };
    } catch {
      res.status(503);
      return { status: 'error', database: 'down' };
    }
  }

  /** Liveness: the process answers (no database call), so an orchestrator restarts only a hung process. */
  @Get('live')
  @Public()
  @ApiOperation({ summary: '存活检查(不访问数据库)' })
  @ApiPublic()
  live(): { status: string } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers and no migration is pending, so traffic goes only to an instance that can
   * serve it; 503 otherwise (a database outage takes instances out of rotation without restarting them).
   */
  @Get('ready')
  @Public()
  @ApiOperation({ summary: '就绪检查(数据库可用且无待执行迁移)' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(503)
  @ApiPublic()
  async ready(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: string; database: string; migrations: string }> {
    try {
      const pending = await this.dataSource.showMigrations();
      if (pending) res.status(503);
      return {
        status: pending ? 'error' : 'ok',
        database: 'up',
        migrations: pending ? 'pending' : 'applied',
      };
    } catch {
      res.status(503);
      return { status: 'error', database: 'down', migrations: 'unknown' };
    }
  }
}
