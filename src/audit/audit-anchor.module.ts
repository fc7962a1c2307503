import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditAnchorService } from './audit-anchor.service';

/** Publishing the chain head outside the database: the log itself (AuditModule) knows no mail. */
@Module({
  imports: [NotificationsModule],
  providers: [AuditAnchorService],
  exports: [AuditAnchorService],
})
export class AuditAnchorModule {}
