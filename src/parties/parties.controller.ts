import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/auth.decorators';
import { type PartyNoticeRow, PartyViewsService } from './party-views.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('alerts')
@Controller('api/alerts')
export class PartiesController {
  constructor(private readonly views: PartyViewsService) {}

  /**
   * The warning's notices to county bureaus and city departments, per revision (and its expiry): who was told,
   * whether it went out, who confirmed, when and who signed (signerName, signerPhone).
   */
  @Get(':id/parties')
  @SignedIn()
  @ApiOperation({ summary: '预警的送达对象(区县、部门)' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404)
  list(@Param('id') id: string): Promise<PartyNoticeRow[]> {
    return this.views.listForAlert(id);
  }
}
