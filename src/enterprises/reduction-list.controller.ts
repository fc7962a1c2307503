import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { AdequacyReport, AdequacyService } from './adequacy.service';
import { InventoryDto } from './dto/enterprise.dto';
import { InventoryRow, InventoryService } from './inventory.service';

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
  report(
    @Query('countyCode') countyCode?: string,
    @Query('rulesetId') rulesetId?: string,
  ): Promise<AdequacyReport> {
    return this.adequacy.report({ countyCode: countyCode || undefined, rulesetId: rulesetId || undefined });
  }

  /** Emission inventory (全社会排放总量, kg/d) of the city (141100) and each county. */
  @Get('inventory')
  @SignedIn()
  listInventory(): Promise<InventoryRow[]> {
    return this.inventory.list();
  }

  @Put('inventory/:areaCode')
  @Roles('ADMIN')
  putInventory(
    @Param('areaCode') areaCode: string,
    @Body() body: InventoryDto,
    @RequestActor() actor: Actor,
  ): Promise<InventoryRow> {
    return this.inventory.put(areaCode, body, actor);
  }
}
