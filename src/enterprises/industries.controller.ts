import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { OpenToCounties, SignedIn } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-docs.decorators';
import { Industry } from './industry.entity';

export class IndustryDto {
  @ApiProperty({ example: 'COKING' }) code: string;
  @ApiProperty({ example: '焦化' }) name: string;
  @ApiProperty({ example: 'Coking' }) nameEn: string;
  @ApiProperty({ example: 'FERROUS' }) category: string;
  @ApiProperty() keyIndustry: boolean;
}

@ApiTags('reference data')
@Controller('api/industries')
export class IndustriesController {
  constructor(private readonly dataSource: DataSource) {}

  /** The 39 key industries of the performance-grading guide, then OTHER. */
  @Get()
  @SignedIn()
  @ApiOperation({ summary: '行业目录' })
  @ApiErrors(401)
  @ApiOkResponse({ type: [IndustryDto] })
  @OpenToCounties()
  async list(): Promise<IndustryDto[]> {
    const rows = await this.dataSource.getRepository(Industry).find({ order: { sortOrder: 'ASC' } });
    return rows.map(({ code, name, nameEn, category, keyIndustry }) => ({
      code,
      name,
      nameEn,
      category,
      keyIndustry,
    }));
  }
}
