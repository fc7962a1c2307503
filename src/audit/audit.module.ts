import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit-query.service';
import { AnchorFileStore, AnchorSigner } from './anchor-signer';
import { AuditService } from './audit.service';
import { TimelineService } from './timeline.service';

/** Global: every feature writes to the audit log. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditQueryService, TimelineService, AnchorSigner, AnchorFileStore],
  exports: [AuditService, AuditQueryService, TimelineService, AnchorSigner, AnchorFileStore],
})
export class AuditModule {}
