import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { AdequacyReport, AdequacyService } from './adequacy.service';
import { InventoryDto } from './dto/enterprise.dto';
import { InventoryRow, InventoryService } from './inventory.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('reduction list')
@Controller('api')
export class ReductionListController {
  constructor(
    private readonly adequacy: AdequacyService,
    private readonly inventory: InventoryService,
  ) {}

  /** Per level and pollutant: baseline, reduction, ratio, required, ok; city-wide and per county. */
  @Get('reduction-list/adequacy')
  @SignedIn()
  @ApiQuery({ name: 'countyCode', required: false })
  @ApiQuery({ name: 'rulesetId', required: false })
  @ApiOperation({ summary: '减排清单是否足以达到要求的削减比例' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 422)
  report(
    @Query('countyCode') countyCode?: string,
    @Query('rulesetId') rulesetId?: string,
  ): Promise<AdequacyReport> {
    return this.adequacy.report({ countyCode: countyCode || undefined, rulesetId: rulesetId || undefined });
  }

  /** Emission inventory (全社会排放总量, kg/d) of the city (141100) and each county. */
  @Get('inventory')
  @SignedIn()
  @ApiOperation({ summary: '各区县排放清单' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401)
  listInventory(): Promise<InventoryRow[]> {
    return this.inventory.list();
  }

  @Put('inventory/:areaCode')
  @Roles('ADMIN')
  @ApiOperation({ summary: '保存某区县排放清单' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(400, 401, 403, 404, 422)
  putInventory(
    @Param('areaCode') areaCode: string,
    @Body() body: InventoryDto,
    @RequestActor() actor: Actor,
  ): Promise<InventoryRow> {
    return this.inventory.put(areaCode, body, actor);
  }
}
