import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock';
import { AdvisoryLockService } from './locks/advisory-lock.service';
import { TableStatistics } from './sql/table-statistics.service';

/** Side-effect providers shared by every module: the clock, the advisory lock and the statistics refresh. */
@Global()
@Module({
  providers: [AdvisoryLockService, TableStatistics, { provide: Clock, useClass: SystemClock }],
  exports: [AdvisoryLockService, TableStatistics, Clock],
})
export class CommonModule {}
