import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock';
import { AdvisoryLockService } from './locks/advisory-lock.service';

/** Side-effect providers shared by every module: the clock and the advisory lock. */
@Global()
@Module({
  providers: [AdvisoryLockService, { provide: Clock, useClass: SystemClock }],
  exports: [AdvisoryLockService, Clock],
})
export class CommonModule {}
