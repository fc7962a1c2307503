import { Module } from '@nestjs/common';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { AdequacyService } from './adequacy.service';
import { EnterprisesController } from './enterprises.controller';
import { EnterprisesService } from './enterprises.service';
import { ImportPreviewService } from './import-preview.service';
import { IndustriesController } from './industries.controller';
import { InventoryService } from './inventory.service';
import { ReductionListController } from './reduction-list.controller';
import { ReductionListService } from './reduction-list.service';

@Module({
  imports: [RulesetsModule],
  controllers: [IndustriesController, EnterprisesController, ReductionListController],
  providers: [
    EnterprisesService,
    ReductionListService,
    ImportPreviewService,
    AdequacyService,
    InventoryService,
  ],
  exports: [EnterprisesService, ReductionListService, ImportPreviewService, AdequacyService],
})
export class EnterprisesModule {}
