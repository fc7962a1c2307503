import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertKind } from '../alerts/alert.entity';
import { type CountyScope, scopeCountiesParam } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { shanghaiDate, shanghaiDayStart } from '../common/time';
import type { Grade } from '../enterprises/enterprise.types';
import { type EscalationSource, escalationSources } from '../orders/escalation.rules';
import { RulesetsService } from '../rulesets/rulesets.service';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { type CampaignRow, campaignDecisionOf, ENTERPRISE_ROWS_SQL } from './campaign-subjects';
import {
  type CampaignDecision,
  campaignRulesOf,
  inSeason,
  type OzoneRules,
  type StaggerRules,
} from './campaign.rules';

/**
 * A warning (or a campaign, issue 18) of the year the enterprise got an order in: its latest order there (end notices
 * aside).
 */
export interface YearOrder {
  orderId: string;
  alertId: string;
  alertCode: string;
  alertStatus: string;
  /** WARNING or CAMPAIGN: a campaign has no level (NONE); its name, period, measures and reasons say what it is. */
  kind: AlertKind;
  campaignName: string | null;
  effectiveAt: Date;
  expectedEndAt: Date | null;
  level: WarningLevel;
  /** The order's measures, in words, and why it carries them (a campaign's decision; empty for a warning's). */
  measures: string[];
  reasons: string[];
  /** The level whose measures it took (higher when its tags or county escalated it), and why. */
  measureLevel: WarningLevel | null;
  escalatedBy: string[];
  state: string;
}

/** An enterprise's controls over the year (the enterprise page's 全年管控), under the ruleset in effect today. */
export interface EnterpriseYear {
  date: string;
  year: number;
  rulesetId: string;
  rulesetName: string;
  grade: Grade;
  autumnWinter: { rules: StaggerRules; inSeason: boolean; decision: CampaignDecision };
  summerOzone: { rules: OzoneRules; inSeason: boolean; decision: CampaignDecision };
  /** The enterprise's tags and places the ruleset holds to the next level's measures in a warning. */
  warningEscalation: EscalationSource[];
  orders: YearOrder[];
}

/**
 * What the seasonal and warning rules ask of one enterprise this year: its staggered-production treatment, whether it
 * is in the ozone response's scope, whether warnings hold it stricter, and the warnings of this Beijing year it got
 * orders in. Reads only (the orders are the orders module's, the alerts the alerts module's).
 */
@Injectable()
export class EnterpriseYearService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rulesets: RulesetsService,
    private readonly clock: Clock,
  ) {}

  async of(enterpriseId: string, scope: CountyScope): Promise<EnterpriseYear> {
    const date = shanghaiDate(this.clock.now());
    const year = Number(date.slice(0, 4));
    const [row] = await this.dataSource.query<CampaignRow[]>(
      `${ENTERPRISE_ROWS_SQL} WHERE e.id = $1 AND ($2::varchar[] IS NULL OR e.county_code = ANY($2::varchar[]))`,
      [enterpriseId, scopeCountiesParam(scope)],
    );
    if (!row) throw DomainError.notFound('企业');
    const [ruleset, orders] = await Promise.all([
      this.rulesets.inEffectOn(date),
      this.dataSource.query<
        Array<{
          order_id: string;
          alert_id: string;
          code: string;
          status: string;
          kind: AlertKind;
          campaign_name: string | null;
          effective_at: Date;
          expected_end_at: Date | null;
          level: WarningLevel;
          measure_level: WarningLevel | null;
          escalated_by: string[];
          measures: string[];
          reasons: string[];
          state: string;
        }>
      >(
        // One statement for both kinds: a warning of the year by its effective time; a campaign whose period
        // reaches into the year (an autumn-winter one starts in one year and ends in the next).
        `SELECT DISTINCT ON (a.effective_at, a.id)
                o.id AS order_id, a.id AS alert_id, a.code, a.status, a.kind, a.campaign->>'name' AS campaign_name,
                a.effective_at, a.expected_end_at, o.level, o.measure_level, o.escalated_by, o.reasons, o.state,
                ARRAY(SELECT m->>'description' FROM jsonb_array_elements(o.measures) m) AS measures
           FROM reduction_order o JOIN alert a ON a.id = o.alert_id
          WHERE o.enterprise_id = $1 AND o.notice_type NOT IN ('LIFT', 'CANCEL')
            AND a.effective_at < $3
            AND CASE WHEN a.kind = 'CAMPAIGN'
                     THEN COALESCE(a.lifted_at, a.expected_end_at, a.effective_at) >= $2
                     ELSE a.effective_at >= $2 END
          ORDER BY a.effective_at DESC, a.id, (o.state = 'SCHEDULED'), o.created_at DESC, o.id`,
        [enterpriseId, shanghaiDayStart(`${year}-01-01`), shanghaiDayStart(`${year + 1}-01-01`)],
      ),
    ]);
    const rules = campaignRulesOf(ruleset.definition);
    return {
      date,
      year,
      rulesetId: ruleset.id,
      rulesetName: ruleset.name,
      grade: row.grade,
      autumnWinter: {
        rules: rules.AUTUMN_WINTER,
        inSeason: inSeason(date, rules.AUTUMN_WINTER.season),
        decision: campaignDecisionOf('AUTUMN_WINTER', row, rules),
      },
      summerOzone: {
        rules: rules.SUMMER_OZONE,
        inSeason: inSeason(date, rules.SUMMER_OZONE.season),
        decision: campaignDecisionOf('SUMMER_OZONE', row, rules),
      },
      warningEscalation: escalationSources(
        { controlTags: row.control_tags, jointControlArea: row.joint_control_area },
        ruleset.definition.escalations,
      ),
      orders: orders.map((o) => ({
        orderId: o.order_id,
        alertId: o.alert_id,
        alertCode: o.code,
        alertStatus: o.status,
        kind: o.kind,
        campaignName: o.campaign_name,
        effectiveAt: o.effective_at,
        expectedEndAt: o.expected_end_at,
        level: o.level,
        measures: o.measures,
        reasons: o.reasons,
        measureLevel: o.measure_level,
        escalatedBy: o.escalated_by,
        state: o.state,
      })),
    };
  }
}
