import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { ALL_COUNTIES, type CountyScope, scopeCountiesParam, scopeSql } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { GRADE_NAMES, type Grade } from '../enterprises/enterprise.types';
import type { DecideReviewDto } from './dto/inspection.dto';
import {
  decisionProblems,
  downgradeTargets,
  REVIEW_DECISION_NAMES,
  REVIEW_STATE_NAMES,
  type ReviewDecision,
  type ReviewState,
} from './inspection.rules';

export interface GradeReviewView {
  id: string;
  state: ReviewState;
  stateName: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  /** The grade when the review was opened, and now. */
  gradeAtReview: Grade;
  gradeAtReviewName: string;
  currentGrade: Grade;
  currentGradeName: string;
  /** The grades a downgrade may choose from the present one. */
  downgradeTargets: Array<{ code: Grade; name: string }>;
  evidence: {
    inspectionId: string;
    inspectedAt: Date;
    findings: string;
    inspectors: string[];
    orderId: string;
    alertId: string;
    alertCode: string;
  };
  decision: ReviewDecision | null;
  decisionName: string | null;
  newGrade: Grade | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

const SELECT_VIEW = `SELECT g.*, e.name AS enterprise_name, e.grade AS current_grade, o.county_code,
                            i.inspected_at, i.findings, i.inspectors, a.code AS alert_code
                       FROM grade_review g
                       JOIN enterprise e ON e.id = g.enterprise_id
                       JOIN reduction_order o ON o.id = g.order_id
                       JOIN inspection i ON i.id = g.inspection_id
                       JOIN alert a ON a.id = g.alert_id`;

function viewOf(r: Record<string, unknown>): GradeReviewView {
  const state = r.state as ReviewState;
  const decision = (r.decision as ReviewDecision | null) ?? null;
  const current = r.current_grade as Grade;
  return {
    id: r.id as string,
    state,
    stateName: REVIEW_STATE_NAMES[state],
    enterpriseId: r.enterprise_id as string,
    enterpriseName: r.enterprise_name as string,
    countyCode: r.county_code as string,
    gradeAtReview: r.grade_at_review as Grade,
    gradeAtReviewName: GRADE_NAMES[r.grade_at_review as Grade] ?? (r.grade_at_review as string),
    currentGrade: current,
    currentGradeName: GRADE_NAMES[current] ?? current,
    downgradeTargets: downgradeTargets(current).map((code) => ({ code, name: GRADE_NAMES[code] })),
    evidence: {
      inspectionId: r.inspection_id as string,
      inspectedAt: r.inspected_at as Date,
      findings: r.findings as string,
      inspectors: r.inspectors as string[],
      orderId: r.order_id as string,
      alertId: r.alert_id as string,
      alertCode: r.alert_code as string,
    },
    decision,
    decisionName: decision ? REVIEW_DECISION_NAMES[decision] : null,
    newGrade: (r.new_grade as Grade | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    decidedBy: (r.decided_by_name as string | null) ?? null,
    decidedAt: (r.decided_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/**
 * The grade-review list (绩效分级复核, issue 17): enterprises a violation during a warning put up for a downgrade,
 * with the evidence. Opened by InspectionsService; decided here by an administrator. A downgrade changes the
 * enterprise's grade through EnterprisesService (the one writer of enterprise), in the decision's transaction.
 */
@Injectable()
export class GradeReviewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly enterprises: EnterprisesService,
  ) {}

  /**
   * Pending first, then the decided, newest first within each; only the reviews of orders in the caller's counties
   * (a county officer reads their counties' list).
   */
  async list(q: { state?: ReviewState } = {}, scope: CountyScope = ALL_COUNTIES): Promise<GradeReviewView[]> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} WHERE ${scopeSql('o.county_code', '$1')} ${q.state ? 'AND g.state = $2' : ''}
        ORDER BY (g.state = 'PENDING') DESC, g.created_at DESC, g.id DESC LIMIT 500`,
      q.state ? [scopeCountiesParam(scope), q.state] : [scopeCountiesParam(scope)],
    );
    return rows.map(viewOf);
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<GradeReviewView> {
    if (!isUuid(id)) throw DomainError.notFound('复核记录');
    const [row] = await m.query<Array<Record<string, unknown>>>(`${SELECT_VIEW} WHERE g.id = $1`, [id]);
    if (!row) throw DomainError.notFound('复核记录');
    return viewOf(row);
  }

  /**
   * Decides a pending review: KEEP, or DOWNGRADE to a lower grade (`decisionProblems`: 422 naming 新等级, 409 when
   * already decided). Audited as `grade-review.decided` (in the warning's timeline); a downgrade also as
   * `enterprise.regraded`.
   */
  async decide(id: string, input: DecideReviewDto, actor: Actor): Promise<GradeReviewView> {
    if (!actor.id) throw new DomainError('FORBIDDEN', '复核须由工作人员决定');
    const reason = input.reason.trim();
    if (!reason) throw DomainError.validation([{ field: 'reason', message: '请填写理由' }]);
    return this.dataSource.transaction(async (m) => {
      if (!isUuid(id)) throw DomainError.notFound('复核记录');
      const locked = await m.query<unknown[]>('SELECT 1 FROM grade_review WHERE id = $1 FOR UPDATE', [id]);
      if (!locked.length) throw DomainError.notFound('复核记录');
      const review = await this.get(id, m);
      const problem = decisionProblems(review, review.currentGrade, input.decision, input.newGrade);
      if (problem) throw new DomainError(problem.code, problem.message, problem.fields);
      const downgrade = input.decision === 'DOWNGRADE';
      const now = this.clock.now();
      await m.query(
        `UPDATE grade_review SET state = $2, decision = $3, new_grade = $4, reason = $5, decided_by_id = $6,
                                 decided_by_name = $7, decided_at = $8
          WHERE id = $1`,
        [
          id,
          downgrade ? 'DOWNGRADED' : 'KEPT',
          input.decision,
          downgrade ? input.newGrade : null,
          reason,
          actor.id,
          actor.name ?? '',
          now,
        ],
      );
      if (downgrade)
        await this.enterprises.regrade(
          review.enterpriseId,
          input.newGrade!,
          { reason, gradeReviewId: id },
          actor,
          m,
        );
      await this.audit.record(
        {
          actor,
          action: 'grade-review.decided',
          subjectType: 'grade_review',
          subjectId: id,
          alertId: review.evidence.alertId,
          data: {
            gradeReviewId: id,
            inspectionId: review.evidence.inspectionId,
            enterpriseName: review.enterpriseName,
            decision: input.decision,
            from: review.currentGrade,
            to: downgrade ? input.newGrade : review.currentGrade,
            reason,
          },
        },
        m,
      );
      return this.get(id, m);
    });
  }
}
