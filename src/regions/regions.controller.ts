import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OpenToCounties, SignedIn } from '../auth/auth.decorators';
import { CountyDto, RegionsService } from './regions.service';

@ApiTags('reference data')
@Controller('api/counties')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  /** The county-level divisions of Lüliang, in the official order. */
  @Get()
  @SignedIn()
  @OpenToCounties()
  list(): Promise<CountyDto[]> {
    return this.regions.listCounties();
  }
}
