import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AuditService } from '../audit/audit.service';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { ScheduledJob } from './scheduled-job';

/** Daily, just after midnight in Lüliang: anchor the audit chain's head (see AuditService.anchor). */
@Injectable()
export class AuditAnchorJob extends ScheduledJob<{ entryId: string; entryCount: number } | null> {
  constructor(
    locks: AdvisoryLockService,
    private readonly audit: AuditService,
  ) {
    super(locks, 'job:audit-anchor');
  }

  protected work(): Promise<{ entryId: string; entryCount: number } | null> {
    return this.audit.anchor();
  }

  @Cron('10 0 * * *', { name: 'audit-anchor', timeZone: 'Asia/Shanghai' })
  handle(): Promise<void> {
    return this.tick();
  }
}
