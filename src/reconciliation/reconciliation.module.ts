import { Module } from '@nestjs/common';
import { DiscrepanciesService } from './discrepancies.service';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

/**
 * Reconciliation (issue 17): reads orders, metering points and readings; the one writer of telemetry_discrepancy
 * and telemetry_reconciliation.
 */
@Module({
  controllers: [ReconciliationController],
  providers: [ReconciliationService, DiscrepanciesService],
  exports: [ReconciliationService, DiscrepanciesService],
})
export class ReconciliationModule {}
