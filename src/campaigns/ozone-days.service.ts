import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_COUNTIES, type CountyScope, inCountyScope } from '../auth/county-scope';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import type { CountyRecommendation } from '../consultations/consultation.entity';
import { RulesetsService } from '../rulesets/rulesets.service';
import { campaignRulesOf, ozoneResponseDays } from './campaign.rules';

export interface OzoneDays {
  consultationId: string;
  heldAt: Date;
  rulesetId: string;
  season: { from: string; to: string };
  window: { from: string; to: string };
  days: Array<{
    date: string;
    inSeason: boolean;
    counties: Array<{ code: string; name: string }>;
  }>;
}

/**
 * The ozone-response days of a consultation (the latest when none is named): the days the summer ozone response would
 * order the VOC-emitting enterprises of those counties out of the window. Read only; the orders come with campaigns.
 */
@Injectable()
export class OzoneDaysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rulesets: RulesetsService,
  ) {}

  async forConsultation(
    consultationId: string | undefined,
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<OzoneDays> {
    if (consultationId !== undefined && !isUuid(consultationId)) throw DomainError.notFound('会商记录');
    const [c] = await this.dataSource.query<
      Array<{ id: string; held_at: Date; ruleset_id: string; recommendations: CountyRecommendation[] }>
    >(
      consultationId
        ? 'SELECT id, held_at, ruleset_id, recommendations FROM consultation WHERE id = $1'
        : 'SELECT id, held_at, ruleset_id, recommendations FROM consultation ORDER BY held_at DESC, created_at DESC LIMIT 1',
      consultationId ? [consultationId] : [],
    );
    if (!c) throw DomainError.notFound('会商记录');
    const rules = campaignRulesOf((await this.rulesets.get(c.ruleset_id)).definition).SUMMER_OZONE;
    const names = new Map(
      (
        await this.dataSource.query<Array<{ code: string; name: string }>>('SELECT code, name FROM county')
      ).map((r) => [r.code, r.name]),
    );
    const days = ozoneResponseDays(
      c.recommendations.filter((r) => inCountyScope(scope, r.countyCode)),
      rules.season,
    );
    return {
      consultationId: c.id,
      heldAt: c.held_at,
      rulesetId: c.ruleset_id,
      season: rules.season,
      window: rules.window,
      days: days.map((d) => ({
        date: d.date,
        inSeason: d.inSeason,
        counties: d.countyCodes.map((code) => ({ code, name: names.get(code) ?? code })),
      })),
    };
  }
}
