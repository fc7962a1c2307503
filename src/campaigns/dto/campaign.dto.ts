import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsOptionalNotNull, IsTimestamp } from '../../common/http/validation.decorators';
import { CONTROL_TAGS, GRADES } from '../../enterprises/enterprise.types';
import { CAMPAIGN_KINDS } from '../campaign.rules';

/**
 * A campaign draft (季节性管控): staggered production over a period, or one ozone-response day. Awaits a second
 * person's approval like a warning; its orders go to the enterprises its rules give measures.
 */
export class CreateCampaignDto {
  @ApiProperty({ enum: CAMPAIGN_KINDS }) @IsIn(CAMPAIGN_KINDS) kind: (typeof CAMPAIGN_KINDS)[number];

  @ApiPropertyOptional({ description: '名称,默认按类型与年度生成,如 2026—2027年秋冬季差异化错峰生产' })
  @IsOptionalNotNull()
  @IsString()
  @MinLength(2)
  @MaxLength(60)
  name?: string;

  @ApiPropertyOptional({ example: ['141181', '141129'], description: 'or wholeCity: true' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  countyCodes?: string[];

  @ApiPropertyOptional({ description: 'all counties' })
  @IsOptionalNotNull()
  @IsBoolean()
  wholeCity?: boolean;

  @ApiPropertyOptional({
    example: '2026-12-02T00:00:00+08:00',
    description: 'AUTUMN_WINTER: required; SUMMER_OZONE: from the day and the window',
  })
  @IsOptionalNotNull()
  @IsTimestamp()
  effectiveAt?: string;

  @ApiPropertyOptional({ example: '2027-03-31T23:59:59+08:00', description: 'AUTUMN_WINTER: required' })
  @IsOptionalNotNull()
  @IsTimestamp()
  expectedEndAt?: string;

  @ApiPropertyOptional({
    example: '2027-06-12',
    description: 'SUMMER_OZONE: the ozone-response day (Beijing)',
  })
  @IsOptionalNotNull()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期 YYYY-MM-DD' })
  day?: string;

  @ApiPropertyOptional({ description: 'only these industry codes (all when left out)' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  industries?: string[];

  @ApiPropertyOptional({ enum: GRADES, isArray: true, description: 'only these grades (all when left out)' })
  @IsOptionalNotNull()
  @IsArray()
  @IsIn(GRADES, { each: true })
  grades?: string[];

  @ApiPropertyOptional({
    enum: CONTROL_TAGS,
    isArray: true,
    description: 'only enterprises with one of these tags',
  })
  @IsOptionalNotNull()
  @IsArray()
  @IsIn(CONTROL_TAGS, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'the consultation that gave the ozone-response day' })
  @IsOptionalNotNull()
  @IsUUID()
  consultationId?: string;

  @ApiPropertyOptional({ description: 'required for an ozone day without a consultation giving it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
