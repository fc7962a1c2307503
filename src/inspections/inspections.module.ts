import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { GradeReviewsService } from './grade-reviews.service';
import { InspectionPlansService } from './inspection-plans.service';
import { InspectionsController } from './inspections.controller';
import { InspectionsService } from './inspections.service';
import { LocalDiskPhotoStore, PhotoStore } from './photo-store';
import { S3PhotoStore } from './s3-photo-store';

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
    // PHOTO_STORE: local disk under DATA_DIR (the default) or an S3-compatible bucket.
    {
      provide: PhotoStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PhotoStore =>
        config.photoStore.kind === 's3'
          ? new S3PhotoStore(config.photoStore)
          : new LocalDiskPhotoStore(config),
    },
  ],
  exports: [InspectionPlansService, InspectionsService, GradeReviewsService],
})
export class InspectionsModule {}
