import { Module } from '@nestjs/common';
import { DirectivesModule } from '../directives/directives.module';
import { DocumentsModule } from '../documents/documents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsService } from './consultations.service';
import { HeadsUpService } from './heads-up.service';

@Module({
  imports: [RulesetsModule, NotificationsModule, DirectivesModule, DocumentsModule],
  controllers: [ConsultationsController],
  providers: [ConsultationsService, HeadsUpService],
  exports: [ConsultationsService, HeadsUpService],
})
export class ConsultationsModule {}
