import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CAMPAIGN_KINDS, type CampaignKind } from '../campaign.rules';

export class CampaignPreviewQueryDto {
  @ApiProperty({ enum: CAMPAIGN_KINDS })
  @IsIn(CAMPAIGN_KINDS, {
    message: '管控类型应为 AUTUMN_WINTER(秋冬季错峰生产)或 SUMMER_OZONE(夏季臭氧污染应对)',
  })
  kind: CampaignKind;

  @ApiPropertyOptional({
    description: 'county codes, comma-separated; all counties when left out',
    example: '141181,141129',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray({ message: '区县应为逗号分隔的区县代码' })
  @IsString({ each: true, message: '区县应为逗号分隔的区县代码' })
  @MaxLength(12, { each: true, message: '区县代码过长' })
  counties?: string[];

  @ApiPropertyOptional({
    description: 'the Beijing day the rules are taken for (YYYY-MM-DD); today when left out',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期应为 YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ description: 'a ruleset id; the one in effect on the date when left out' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  rulesetId?: string;
}

class TreatmentCountDto {
  @ApiProperty({ enum: ['STOP', 'STAGGER', 'APPROVED_LOAD', 'EXEMPT'] }) treatment: string;
  @ApiProperty({ example: '停产' }) name: string;
  @ApiProperty() n: number;
}

class CountyCountsDto {
  @ApiProperty() countyCode: string;
  @ApiProperty() countyName: string;
  @ApiProperty({ example: { STOP: 3, STAGGER: 10, APPROVED_LOAD: 1, EXEMPT: 20 } })
  counts: Record<string, number>;
}

class PreviewEnterpriseDto {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty() name: string;
  @ApiProperty() creditCode: string;
  @ApiProperty() countyCode: string;
  @ApiProperty() grade: string;
  @ApiProperty({ example: 'C级' }) gradeName: string;
  @ApiProperty({ enum: ['STOP', 'STAGGER', 'APPROVED_LOAD', 'EXEMPT'] }) treatment: string;
  @ApiProperty({ example: '停产' }) treatmentName: string;
  @ApiProperty({
    description: 'the grade the treatment was taken for (lower when a tag or place escalated it)',
  })
  effectiveGrade: string;
  @ApiProperty({ type: [String] }) measures: string[];
  @ApiProperty({
    type: [String],
    example: ['绩效等级C级', '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控', '停产:停产'],
  })
  reasons: string[];
  @ApiProperty({
    type: [String],
    enum: ['DIFFERENTIATED_CONTROL', 'NO_DRY_QUENCHING', 'BUILT_UP_AREA', 'JOINT_CONTROL_AREA'],
    description: 'the tags and places that held it stricter (empty: its grade alone)',
  })
  escalatedBy: string[];
}

class SeasonDto {
  @ApiProperty({ example: '11-01' }) from: string;
  @ApiProperty({ example: '03-31' }) to: string;
}

class WindowDto {
  @ApiProperty({ example: '10:00' }) from: string;
  @ApiProperty({ example: '16:00' }) to: string;
}

export class CampaignPreviewDto {
  @ApiProperty({ enum: CAMPAIGN_KINDS }) kind: string;
  @ApiProperty({ example: '秋冬季差异化错峰生产' }) kindName: string;
  @ApiProperty() rulesetId: string;
  @ApiProperty({ example: '2026-12-01' }) date: string;
  @ApiProperty({ type: SeasonDto }) season: SeasonDto;
  @ApiProperty() inSeason: boolean;
  @ApiProperty({ type: WindowDto, nullable: true }) window: WindowDto | null;
  @ApiProperty() total: number;
  @ApiProperty({ type: [TreatmentCountDto] }) byTreatment: TreatmentCountDto[];
  @ApiProperty({ type: [CountyCountsDto] }) byCounty: CountyCountsDto[];
  @ApiProperty({ description: 'enterprises held stricter for a tag or the 平川四县' }) escalated: number;
  @ApiProperty({ description: 'how many enterprises have measures (all of them, not only those listed)' })
  listed: number;
  @ApiProperty({ type: [PreviewEnterpriseDto], description: 'those with measures, at most 500' })
  enterprises: PreviewEnterpriseDto[];
  @ApiProperty() truncated: boolean;
}

export class OzoneDaysQueryDto {
  @ApiPropertyOptional({
    description: 'a consultation id; the latest consultation when left out',
    format: 'uuid',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  consultation?: string;
}

class OzoneDayCountyDto {
  @ApiProperty() code: string;
  @ApiProperty({ example: '孝义市' }) name: string;
}

class OzoneDayDto {
  @ApiProperty({ example: '2027-07-01' }) date: string;
  @ApiProperty({ description: 'within the ozone season (May–September by default)' }) inSeason: boolean;
  @ApiProperty({ type: [OzoneDayCountyDto] }) counties: OzoneDayCountyDto[];
}

export class OzoneDaysDto {
  @ApiProperty({ format: 'uuid' }) consultationId: string;
  @ApiProperty({ type: String, format: 'date-time' }) heldAt: Date;
  @ApiProperty() rulesetId: string;
  @ApiProperty({ type: SeasonDto }) season: SeasonDto;
  @ApiProperty({ type: WindowDto }) window: WindowDto;
  @ApiProperty({ type: [OzoneDayDto] }) days: OzoneDayDto[];
}
