import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { StandingConditionsModule } from '../../standing-conditions/standing-conditions.module';
import { TelemetryModule } from '../../telemetry/telemetry.module';
import { SeedService } from './seed.service';

@Module({
  imports: [AuthModule, TelemetryModule, StandingConditionsModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
