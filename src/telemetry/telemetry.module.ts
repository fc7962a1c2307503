import { Module } from '@nestjs/common';
import { DemoReadingsService } from './demo-readings.service';
import { MeteringPointsService } from './metering-points.service';
import { ReadingsService } from './readings.service';
import { TelemetryKeyGuard } from './telemetry-key.guard';
import { TelemetryController } from './telemetry.controller';
import { TelemetrySourcesService } from './telemetry-sources.service';

/**
 * Telemetry in (issue 17): the one writer of metering_point, telemetry_source and meter_reading (and its
 * monthly partitions). Reconciliation with the orders reads these tables; it does not write them. The demo seed
 * writes its points and sources through MeteringPointsService and TelemetrySourcesService, the demo job its
 * readings through DemoReadingsService (demo mode only).
 */
@Module({
  controllers: [TelemetryController],
  providers: [
    MeteringPointsService,
    TelemetrySourcesService,
    ReadingsService,
    TelemetryKeyGuard,
    DemoReadingsService,
  ],
  exports: [MeteringPointsService, TelemetrySourcesService, DemoReadingsService],
})
export class TelemetryModule {}
