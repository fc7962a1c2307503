import { Module } from '@nestjs/common';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { GradeReviewsService } from './grade-reviews.service';
import { InspectionPlansService } from './inspection-plans.service';
import { InspectionsController } from './inspections.controller';
import { InspectionsService } from './inspections.service';
import { LocalDiskPhotoStore, PhotoStore } from './photo-store';

/**
 * Inspections and consequences (issue 17): the one writer of inspection_plan(_item), inspection(_photo) and
 * grade_review. It reads orders and enterprises; a downgrade goes through EnterprisesService.
 */
@Module({
  imports: [EnterprisesModule, ReconciliationModule],
  controllers: [InspectionsController],
  providers: [
    InspectionPlansService,
    InspectionsService,
    GradeReviewsService,
    // Local disk under DATA_DIR; bind another PhotoStore here for an object store.
    { provide: PhotoStore, useClass: LocalDiskPhotoStore },
  ],
  exports: [InspectionPlansService, InspectionsService, GradeReviewsService],
})
export class InspectionsModule {}
