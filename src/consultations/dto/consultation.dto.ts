import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNotNull, IsTimestamp } from '../../common/http/validation.decorators';
import { PRIMARY_POLLUTANTS } from '../consultation.rules';

export class ForecastDto {
  @ApiProperty({ example: '141181' }) @IsString() @MaxLength(12) countyCode: string;
  @ApiProperty({ example: '2026-11-29' }) @IsString() @MaxLength(10) date: string;
  @ApiProperty({ example: 215, description: 'daily AQI, integer 0-500' }) @IsInt() aqi: number;
  @ApiProperty({ enum: PRIMARY_POLLUTANTS }) @IsString() @MaxLength(10) primaryPollutant: string;
}

export class DirectiveDto {
  @ApiProperty({ enum: ['DISPATCH_ORDER', 'REGIONAL_WARNING'] })
  @IsIn(['DISPATCH_ORDER', 'REGIONAL_WARNING'])
  kind: 'DISPATCH_ORDER' | 'REGIONAL_WARNING';
  @ApiProperty({ example: '晋气防办调度令〔2026〕4号' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  number: string;
  @ApiProperty({ enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'] }) @IsString() level: string;
  @ApiProperty({ example: ['141121', '141122', '141181', '141182'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  countyCodes: string[];
  @ApiProperty({ example: '2026-11-29T00:00:00+08:00' }) @IsTimestamp() from: string;
  @ApiPropertyOptional({ example: '2026-12-03T00:00:00+08:00' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

export class CreateConsultationDto {
  @ApiProperty({ example: '2026-11-28T15:00:00+08:00' }) @IsTimestamp() heldAt: string;

  @ApiProperty({ example: ['市生态环境局', '市气象局'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  participants: string[];

  @ApiProperty({ example: '受静稳天气影响,11月29日起平川四县将出现重污染过程' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  opinion: string;

  @ApiProperty({ type: [ForecastDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ForecastDto)
  forecasts: ForecastDto[];

  @ApiPropertyOptional({ type: DirectiveDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => DirectiveDto)
  directive?: DirectiveDto;

  @ApiPropertyOptional({
    example: 'MEE-2024',
    description: 'default: the ruleset in effect on the consultation date',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  rulesetId?: string;
}

/** A heads-up from the consultation's outlook: the counties (default: every county with an outlook) and a note. */
export class HeadsUpDto {
  @ApiPropertyOptional({
    example: ['141181'],
    description: 'left out: every county whose trend shows an episode',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(12, { each: true })
  countyCodes?: string[];
  @ApiPropertyOptional({ example: '请提前检查除尘设施并储备物料' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

/**
 * What the recommendation is computed from without saving (POST /api/consultations/recommendation): the
 * consultation's forecasts, directive and ruleset, checked as on create; `heldAt` picks the ruleset in effect
 * (default: now).
 */
export class RecommendationRequestDto extends IntersectionType(
  PickType(CreateConsultationDto, ['forecasts', 'directive', 'rulesetId'] as const),
  PartialType(PickType(CreateConsultationDto, ['heldAt'] as const), { skipNullProperties: false }),
) {}
