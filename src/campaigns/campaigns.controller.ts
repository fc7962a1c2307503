import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerScope, OpenToCounties, SignedIn } from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { ApiErrors } from '../common/http/api-docs.decorators';
import { type CampaignPreview, CampaignPreviewService } from './campaign-preview.service';
import {
  CampaignPreviewDto,
  CampaignPreviewQueryDto,
  OzoneDaysDto,
  OzoneDaysQueryDto,
} from './dto/campaign-preview.dto';
import { type OzoneDays, OzoneDaysService } from './ozone-days.service';

/** 季节性差异化管控: what the ruleset's campaign rules give each enterprise (issue 18). */
@ApiTags('campaigns')
@Controller('api/campaigns')
export class CampaignsController {
  constructor(
    private readonly previews: CampaignPreviewService,
    private readonly ozone: OzoneDaysService,
  ) {}

  /**
   * Every enterprise of the counties (all when none are named) through the campaign's rules: counts by treatment and
   * county, and each enterprise with measures, its treatment and the reasons (grade, tags, 平川四县). Nothing written.
   */
  @Get('preview')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: CampaignPreviewDto })
  @ApiOperation({ summary: '预览季节性管控(错峰生产、臭氧污染应对)对各企业的要求' })
  @ApiErrors(401, 404, 422)
  preview(@Query() q: CampaignPreviewQueryDto, @CallerScope() scope: CountyScope): Promise<CampaignPreview> {
    return this.previews.preview(
      { kind: q.kind, countyCodes: q.counties, date: q.date, rulesetId: q.rulesetId },
      scope,
    );
  }

  /**
   * The ozone-response days of a consultation (the latest when none is named): each day of a responding ozone
   * episode with its counties (a county officer's only), in or out of the season, and the window.
   */
  @Get('ozone-days')
  @SignedIn()
  @OpenToCounties()
  @ApiOkResponse({ type: OzoneDaysDto })
  @ApiOperation({ summary: '会商确定的臭氧污染应对日(夏季错时生产)' })
  @ApiErrors(401, 404, 422)
  ozoneDays(@Query() q: OzoneDaysQueryDto, @CallerScope() scope: CountyScope): Promise<OzoneDays> {
    return this.ozone.forConsultation(q.consultation, scope);
  }
}
