import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditPage, AuditQueryService } from './audit-query.service';
import { AnchorCheckDto, AuditQueryDto } from './dto/audit-query.dto';
import { parseAnchorLines, type SignedAnchor } from './anchor.rules';
import { AnchorFileStore, AnchorSigner } from './anchor-signer';
import { Roles } from '../auth/auth.decorators';
import { AnchorCheck, AuditService, VerifyResult } from './audit.service';
import { ApiErrors, ApiFileResponse } from '../common/http/api-docs.decorators';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly queries: AuditQueryService,
    private readonly signer: AnchorSigner,
    private readonly anchorFile: AnchorFileStore,
  ) {}

  /** The log, filtered, oldest first, paged by id: `{items, nextAfter}`. */
  @Get()
  @Roles('AUDITOR', 'ADMIN')
  @ApiOperation({ summary: '审计日志(可筛选、分页)' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403, 422)
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.queries.list(query);
  }

  /** The filtered log as a streamed CSV (UTF-8 with BOM). */
  @Get('export')
  @Roles('AUDITOR', 'ADMIN')
  @ApiOperation({ summary: '导出审计日志 CSV' })
  @ApiFileResponse('审计日志 CSV', 'csv')
  @ApiErrors(401, 403, 422)
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
  @ApiOperation({ summary: '校验审计哈希链' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403)
  verify(): Promise<VerifyResult> {
    return this.audit.verify();
  }

  /** The key heads are signed with, and the latest heads published outside the database (newest first). */
  @Get('anchors')
  @Roles('AUDITOR', 'ADMIN')
  @ApiOperation({ summary: '审计链外部锚点列表' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 403)
  async anchors(): Promise<{ keyId: string; publicKey: string; published: number; latest: SignedAnchor[] }> {
    const lines = parseAnchorLines(await this.anchorFile.read()).flatMap((l) => (l.anchor ? [l.anchor] : []));
    return {
      keyId: this.signer.keyId,
      publicKey: this.signer.publicKeyPem,
      published: lines.length,
      latest: lines.slice(-100).reverse(),
    };
  }

  /**
   * Compares signed anchors an auditor kept (a digest mail, an earlier evidence bundle's anchor.json) with the
   * database as it is now: `{ok:false}` names the entry that was rewritten or cut since.
   */
  @Post('anchors/check')
  @HttpCode(200)
  @Roles('AUDITOR', 'ADMIN')
  @ApiOperation({ summary: '核对审计链与外部锚点' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(400, 401, 403, 422)
  checkAnchors(@Body() body: AnchorCheckDto): Promise<AnchorCheck> {
    return this.audit.checkAnchors(body.anchors);
  }
}
