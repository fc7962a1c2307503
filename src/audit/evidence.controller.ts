import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequestActor, Roles } from '../auth/auth.decorators';
import type { Actor } from './actor';
import { EvidenceService } from './evidence.service';
import { ApiErrors, ApiFileResponse } from '../common/http/api-docs.decorators';

@ApiTags('audit')
@Controller('api/alerts')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  /** The warning's evidence bundle (zip, streamed): records, deliveries, audit entries, chain proof, offline verifier. */
  @Get(':id/evidence')
  @Roles('AUDITOR', 'ADMIN')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: '下载预警证据包(ZIP)' })
  @ApiFileResponse('证据包 ZIP', 'zip')
  @ApiErrors(401, 403, 404)
  async download(@Param('id') id: string, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    const bundle = await this.evidence.open(id, actor);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${bundle.fileName}"; filename*=UTF-8''${encodeURIComponent(bundle.displayName)}`,
    );
    res.setHeader('Cache-Control', 'no-store');
    await bundle.write(res);
  }
}
