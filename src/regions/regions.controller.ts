import { Controller, Get } from '@nestjs/common';
import { ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OpenToCounties, SignedIn } from '../auth/auth.decorators';
import { CountyDto, RegionsService } from './regions.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('reference data')
@Controller('api/counties')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  /** The county-level divisions of Lüliang, in the official order. */
  @Get()
  @SignedIn()
  @ApiOperation({ summary: '吕梁市各区县' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401)
  @OpenToCounties()
  list(): Promise<CountyDto[]> {
    return this.regions.listCounties();
  }
}
