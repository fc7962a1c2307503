import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignsController } from './campaigns.controller';
import { OzoneDaysService } from './ozone-days.service';
import { EnterpriseYearService } from './enterprise-year.service';

/** Seasonal and differentiated controls (issue 18): campaign rules, their preview, and campaign records on the warning pipeline. */
@Module({
  imports: [RulesetsModule, AlertsModule],
  controllers: [CampaignsController],
  providers: [OzoneDaysService, CampaignPreviewService, EnterpriseYearService],
  exports: [CampaignPreviewService, EnterpriseYearService],
})
export class CampaignsModule {}
