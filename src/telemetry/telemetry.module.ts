import { Module } from '@nestjs/common';
import { MeteringPointsService } from './metering-points.service';
import { ReadingsService } from './readings.service';
import { TelemetryKeyGuard } from './telemetry-key.guard';
import { TelemetryController } from './telemetry.controller';
import { TelemetrySourcesService } from './telemetry-sources.service';

/**
 * Telemetry in (issue 17): the one writer of metering_point, telemetry_source and meter_reading (and its
 * monthly partitions). Reconciliation with the orders reads these tables; it does not write them.
 */
@Module({
  controllers: [TelemetryController],
  providers: [MeteringPointsService, TelemetrySourcesService, ReadingsService, TelemetryKeyGuard],
  exports: [MeteringPointsService],
})
export class TelemetryModule {}
