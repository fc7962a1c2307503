import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { County, JurisdictionKind } from './county.entity';

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
