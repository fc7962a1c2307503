import { Module } from '@nestjs/common';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignsController } from './campaigns.controller';
import { OzoneDaysService } from './ozone-days.service';
import { EnterpriseYearService } from './enterprise-year.service';

/** Seasonal and differentiated controls (issue 18): campaign rules and their preview; campaigns themselves next. */
@Module({
  imports: [RulesetsModule],
  controllers: [CampaignsController],
  providers: [OzoneDaysService, CampaignPreviewService, EnterpriseYearService],
  exports: [CampaignPreviewService, EnterpriseYearService],
})
export class CampaignsModule {}
