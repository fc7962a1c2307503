import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit-query.service';
import { AuditService } from './audit.service';
import { TimelineService } from './timeline.service';

/** Global: every feature writes to the audit log. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditQueryService, TimelineService],
  exports: [AuditService, AuditQueryService, TimelineService],
})
export class AuditModule {}
