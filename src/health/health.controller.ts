import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** `{status:"ok", database:"up"}`, or 503 with database "down". */
  @Get()
  @Public()
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
  live(): { status: string } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers and no migration is pending, so traffic goes only to an instance that can
   * serve it; 503 otherwise (a database outage takes instances out of rotation without restarting them).
   */
  @Get('ready')
  @Public()
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
