import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AuditService, VerifyResult } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Recomputes the hash chain: `{ok, checked, firstBadId?}`. */
  @Get('verify')
  @Roles('AUDITOR', 'ADMIN')
  verify(): Promise<VerifyResult> {
    return this.audit.verify();
  }
}
