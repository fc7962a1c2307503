import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/auth.decorators';
import { OverdueReportDto } from './dto/overdue.dto';
import { type OverdueReport, TimelinessService } from './timeliness.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('dashboard')
@Controller('api/dashboard')
export class TimelinessController {
  constructor(private readonly timeliness: TimelinessService) {}

  /** Proposals waiting past the ruleset's approval hours, approved revisions not released past its release hours. */
  @Get('overdue')
  @SignedIn()
  @ApiOkResponse({ type: OverdueReportDto })
  @ApiOperation({ summary: '超时未审批、未发布的预警' })
  @ApiErrors(401)
  overdue(): Promise<OverdueReport> {
    return this.timeliness.overdue();
  }
}
