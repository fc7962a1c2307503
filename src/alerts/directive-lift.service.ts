import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Actor, SYSTEM_ACTOR } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import type { DirectiveView } from '../directives/directives.service';
import { DirectivesService } from '../directives/directives.service';
import { AlertCommandsService } from './alert-commands.service';
import { AlertViewsService } from './alert-views.service';
import { HOLDING_STATUSES } from './alert.rules';

export interface DirectiveLiftResult {
  directive: DirectiveView;
  /** The system's LIFT proposals, one per warning started under the directive, awaiting a commander. */
  liftProposals: Array<{ alertId: string; code: string; changeId: string }>;
  /** The warnings started under it for which no lift could be proposed, and why (Chinese). */
  skipped: Array<{ alertId: string; code: string; reason: string }>;
}

/**
 * A provincial directive's lift and what follows for the warnings (domain.md §1: a warning started by a provincial
 * order is lifted when that order is lifted). It lives in the alerts module, which imports the directives module:
 * the directives module records the lift (it alone writes `directive`), this proposes the lifts (the alerts module
 * alone writes `alert_change`), in one transaction, so no module imports one that imports it back.
 */
@Injectable()
export class DirectiveLiftService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directives: DirectivesService,
    private readonly commands: AlertCommandsService,
    private readonly views: AlertViewsService,
    private readonly audit: AuditService,
  ) {}

  async lift(
    id: string,
    dto: { liftedAt?: string; reason?: string },
    actor: Actor,
  ): Promise<DirectiveLiftResult> {
    const result = await this.dataSource.transaction(async (m) => {
      const directive = await this.directives.liftTx(m, id, dto, actor);
      const started = await m.query<Array<{ id: string; code: string }>>(
        `SELECT id, code FROM alert WHERE $1 = ANY(directive_ids) AND status = ANY($2::text[])
          ORDER BY created_at, id`,
        [directive.id, HOLDING_STATUSES],
      );
      const liftProposals: DirectiveLiftResult['liftProposals'] = [];
      const skipped: DirectiveLiftResult['skipped'] = [];
      for (const a of started) {
        try {
          // Refusals are thrown before anything is written, so the transaction goes on with the next warning.
          const change = await this.commands.proposeDirectiveLiftTx(m, a.id, directive, directive.liftedAt!);
          liftProposals.push({ alertId: a.id, code: a.code, changeId: change.id });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          skipped.push({ alertId: a.id, code: a.code, reason: e.message });
          await this.audit.record(
            {
              actor: SYSTEM_ACTOR,
              action: 'directive.lift.proposal-skipped',
              subjectType: 'alert',
              subjectId: a.id,
              alertId: a.id,
              data: { directiveId: directive.id, number: directive.number, code: e.code, reason: e.message },
            },
            m,
          );
        }
      }
      return { liftProposals, skipped };
    });
    for (const a of [...result.liftProposals, ...result.skipped]) await this.views.fresh(a.alertId);
    return { directive: await this.directives.get(id), ...result };
  }
}
