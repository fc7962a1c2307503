import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { NoRevisionEffects, RevisionEffects } from './revision-effects';

@Module({
  imports: [RulesetsModule, ConsultationsModule],
  controllers: [AlertsController],
  providers: [AlertsService, { provide: RevisionEffects, useClass: NoRevisionEffects }],
  exports: [AlertsService],
})
export class AlertsModule {}
