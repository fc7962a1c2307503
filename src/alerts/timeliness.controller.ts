import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/auth.decorators';
import { OverdueReportDto } from './dto/overdue.dto';
import { type OverdueReport, TimelinessService } from './timeliness.service';

@ApiTags('dashboard')
@Controller('api/dashboard')
export class TimelinessController {
  constructor(private readonly timeliness: TimelinessService) {}

  /** Proposals waiting past the ruleset's approval hours, approved revisions not released past its release hours. */
  @Get('overdue')
  @SignedIn()
  @ApiOkResponse({ type: OverdueReportDto })
  overdue(): Promise<OverdueReport> {
    return this.timeliness.overdue();
  }
}
