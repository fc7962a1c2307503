import { Controller, Get, Query, Render } from '@nestjs/common';
import { AlertViewsService } from '../alerts/alert-views.service';
import { type AuthUser, CallerScope, CurrentUser, OpenToCounties, Roles } from '../auth/auth.decorators';
import { type CountyScope, inCountyScope } from '../auth/county-scope';
import { CampaignPreviewService } from '../campaigns/campaign-preview.service';
import { campaignRulesOf } from '../campaigns/campaign.rules';
import { RegionsService } from '../regions/regions.service';
import { RulesetsService } from '../rulesets/rulesets.service';
import {
  CAMPAIGN_PAGE_SIZE,
  CAMPAIGN_READERS,
  campaignEnterpriseRow,
  campaignFilters,
  campaignHref,
  campaignQueryString,
  countyCountRows,
  kindTabs,
  ozoneRulesText,
  staggerRulesText,
} from './campaign-view.rules';
import { campaignRecordRow } from './campaign-record-view.rules';
import { ConsolePages } from './console-page.decorator';
import { INDUSTRY_NAMES } from './console-helpers';

const industryName = (code: string) => INDUSTRY_NAMES[code] ?? code;

/**
 * 季节性管控 (issue 18): what the ruleset's campaign rules give each enterprise of the chosen counties on a day
 * (秋冬季差异化错峰生产 or 夏季臭氧污染应对), from the same preview as `GET /api/campaigns/preview`. Nothing is
 * written: no campaign notice exists yet. A county officer sees their counties only.
 */
@ConsolePages()
@Controller('campaigns')
export class CampaignPagesController {
  constructor(
    private readonly previews: CampaignPreviewService,
    private readonly rulesets: RulesetsService,
    private readonly regions: RegionsService,
    private readonly views: AlertViewsService,
  ) {}

  @Get()
  @Roles(...CAMPAIGN_READERS)
  @OpenToCounties()
  @Render('pages/campaigns')
  async page(
    @Query() query: Record<string, unknown>,
    @CallerScope() scope: CountyScope,
    @CurrentUser() user: AuthUser,
  ): Promise<object> {
    const allCounties = await this.regions.listCounties();
    // A county officer's choice offers their counties only; a county code of another (or none known) is dropped.
    const counties = allCounties.filter((c) => inCountyScope(scope, c.code));
    const parsed = campaignFilters(query);
    const filters = {
      ...parsed,
      counties: parsed.counties.filter((c) => counties.some((k) => k.code === c)),
    };
    const preview = await this.previews.preview(
      { kind: filters.kind, countyCodes: filters.counties, date: filters.date },
      scope,
      {
        escalatedOnly: filters.escalated,
        offset: (filters.page - 1) * CAMPAIGN_PAGE_SIZE,
        limit: CAMPAIGN_PAGE_SIZE,
      },
    );
    // 管控记录: the campaign records (latest 200), every one city-wide as the warnings' list is.
    const [ruleset, records] = await Promise.all([
      this.rulesets.get(preview.rulesetId),
      this.views.list(undefined, 'CAMPAIGN'),
    ]);
    const rules = campaignRulesOf(ruleset.definition);
    const names = new Map(allCounties.map((c) => [c.code, c.name]));
    const pages = Math.max(1, Math.ceil(preview.listed / CAMPAIGN_PAGE_SIZE));
    const countyNames = Object.fromEntries(allCounties.map((c) => [c.code, c.name]));
    return {
      title: '季节性管控',
      records: records.map((r) => campaignRecordRow(r, countyNames, allCounties.length)),
      canDraft: user.roles.includes('DUTY_OFFICER'),
      filters,
      tabs: kindTabs(filters),
      autumnWinter: filters.kind === 'AUTUMN_WINTER',
      counties: counties.map((c) => ({
        code: c.code,
        name: c.name,
        selected: filters.counties.includes(c.code),
      })),
      countyOfficer: !('all' in scope),
      preview,
      ruleset: { id: ruleset.id, name: ruleset.name },
      rules:
        filters.kind === 'AUTUMN_WINTER'
          ? staggerRulesText(rules.AUTUMN_WINTER, industryName)
          : ozoneRulesText(rules.SUMMER_OZONE, industryName),
      counts: countyCountRows(preview),
      items: preview.enterprises.map((e) =>
        campaignEnterpriseRow(e, filters.kind, names.get(e.countyCode) ?? e.countyCode),
      ),
      page: filters.page,
      pages,
      prev: filters.page > 1 ? campaignHref(filters, filters.page - 1) : null,
      next: filters.page < pages ? campaignHref(filters, filters.page + 1) : null,
      queryString: campaignQueryString(filters),
    };
  }
}
