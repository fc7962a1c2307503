import { Module } from '@nestjs/common';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { AssessmentController } from './assessment.controller';
import { AssessmentService } from './assessment.service';

/** The post-event assessment of warnings (read-only). */
@Module({
  imports: [RulesetsModule],
  controllers: [AssessmentController],
  providers: [AssessmentService],
  exports: [AssessmentService],
})
export class AssessmentModule {}
