import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditPage, AuditQueryService } from './audit-query.service';
import { AuditQueryDto } from './dto/audit-query.dto';
import { Roles } from '../auth/auth.decorators';
import { AuditService, VerifyResult } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly queries: AuditQueryService,
  ) {}

  /** The log, filtered, oldest first, paged by id: `{items, nextAfter}`. */
  @Get()
  @Roles('AUDITOR', 'ADMIN')
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.queries.list(query);
  }

  /** The filtered log as a streamed CSV (UTF-8 with BOM). */
  @Get('export')
  @Roles('AUDITOR', 'ADMIN')
  async export(@Query() query: AuditQueryDto, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="audit-log.csv"; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`,
    );
    await this.queries.exportCsv(query, res);
  }

  /** Recomputes the hash chain: `{ok, checked, firstBadId?}`. */
  @Get('verify')
  @Roles('AUDITOR', 'ADMIN')
  verify(): Promise<VerifyResult> {
    return this.audit.verify();
  }
}
