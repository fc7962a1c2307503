import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AuditAnchorService } from '../audit/audit-anchor.service';
import { AdvisoryLockService } from '../common/locks/advisory-lock.service';
import { ScheduledJob } from './scheduled-job';

/**
 * Daily, just after midnight in Lüliang: anchor the audit chain's head in the database and publish it,
 * signed, outside it (AuditAnchorService).
 */
@Injectable()
export class AuditAnchorJob extends ScheduledJob<{ entryId: string; entryCount: number } | null> {
  constructor(
    locks: AdvisoryLockService,
    private readonly anchors: AuditAnchorService,
  ) {
    super(locks, 'job:audit-anchor');
  }

  protected async work(): Promise<{ entryId: string; entryCount: number } | null> {
    const anchor = await this.anchors.publish('daily');
    return anchor ? { entryId: anchor.entryId, entryCount: Number(anchor.entryCount) } : null;
  }

  @Cron('10 0 * * *', { name: 'audit-anchor', timeZone: 'Asia/Shanghai' })
  handle(): Promise<void> {
    return this.tick();
  }
}
