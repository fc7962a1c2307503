import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { type ChangeKind, KIND_NAMES } from './alert.rules';
import { UNRELEASED_REVISIONS_SQL } from './revision-notices.sql';
import { type OverdueApproval, overdueApprovals, type OverdueRelease, overdueReleases } from './timing.rules';

export interface OverdueReport {
  at: Date;
  /** Proposals waiting for a commander longer than their ruleset's draftToApprovalHours, longest first. */
  approvals: Array<OverdueApproval & { kindName: string }>;
  /** Approved revisions whose notices are not all sent after approvalToReleaseHours, longest first. */
  releases: Array<OverdueRelease & { kindName: string }>;
}

/** The procedure's time limits as the dashboard watches them (审批时限, 发布时限), each from the warning's ruleset. */
@Injectable()
export class TimelinessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async overdue(): Promise<OverdueReport> {
    const now = this.clock.now();
    const [pending, unreleased] = await Promise.all([
      this.dataSource.query<
        Array<{
          id: string;
          alert_id: string;
          code: string;
          kind: ChangeKind;
          proposed_at: Date;
          proposed_by: string;
          limit_hours: number;
        }>
      >(
        `SELECT c.id, c.alert_id, a.code, c.kind, c.proposed_at, c.proposed_by,
                (rs.definition->'approval'->>'draftToApprovalHours')::float8 AS limit_hours
           FROM alert_change c JOIN alert a ON a.id = c.alert_id JOIN ruleset rs ON rs.id = a.ruleset_id
          WHERE c.status = 'PENDING'`,
      ),
      this.dataSource.query<
        Array<{
          revision_id: string;
          alert_id: string;
          alert_code: string;
          seq: number;
          kind: ChangeKind;
          approved_at: Date;
          unsent: number;
          limit_hours: number;
        }>
      >(UNRELEASED_REVISIONS_SQL, [now]),
    ]);
    return {
      at: now,
      approvals: overdueApprovals(
        pending.map((p) => ({
          alertId: p.alert_id,
          alertCode: p.code,
          changeId: p.id,
          kind: p.kind,
          proposedAt: p.proposed_at,
          proposedBy: p.proposed_by,
          limitHours: p.limit_hours,
        })),
        now,
      ).map((a) => ({ ...a, kindName: KIND_NAMES[a.kind as ChangeKind] })),
      releases: overdueReleases(
        unreleased.map((r) => ({
          alertId: r.alert_id,
          alertCode: r.alert_code,
          revisionId: r.revision_id,
          seq: r.seq,
          kind: r.kind,
          approvedAt: r.approved_at,
          unsent: r.unsent,
          limitHours: r.limit_hours,
        })),
        now,
      ).map((r) => ({ ...r, kindName: KIND_NAMES[r.kind as ChangeKind] })),
    };
  }
}
