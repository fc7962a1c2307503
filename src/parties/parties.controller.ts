import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/auth.decorators';
import { type PartyNoticeRow, PartyViewsService } from './party-views.service';

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
  list(@Param('id') id: string): Promise<PartyNoticeRow[]> {
    return this.views.listForAlert(id);
  }
}
