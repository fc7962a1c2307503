import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptionalNotNull } from '../../common/http/validation.decorators';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class DeadlinesOverrideDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsInt() receiptMinHours?: number;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsInt() reportWithinHours?: number;
}

/** A new ruleset version derived from an existing one; its level rules are the base's. */
export class CreateRulesetDto {
  @ApiProperty({ example: 'LVLIANG-2026' }) @IsString() @MaxLength(40) id: string;
  @ApiProperty({ example: '吕梁市2026-2027年秋冬季重污染天气应急预案' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
  @ApiProperty({ example: '吕梁市重污染天气应急预案(2026年修订)' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  source: string;
  @ApiProperty({ example: 'MEE-2024' }) @IsString() @MaxLength(40) basedOn: string;
  @ApiProperty({ example: '2026-12-01' }) @Matches(/^\d{4}-\d{2}-\d{2}$/) effectiveFrom: string;
  @ApiPropertyOptional({ example: '2027-04-01', nullable: true, description: 'null or left out: open-ended' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveTo?: string | null;
  @ApiPropertyOptional({ example: { ORANGE: 0.25 } })
  @IsOptionalNotNull()
  @IsObject()
  reductionRatios?: Record<string, number>;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsInt() liftBelowHours?: number;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsInt() leadTimeHours?: number;
  @ApiPropertyOptional({ type: DeadlinesOverrideDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => DeadlinesOverrideDto)
  deadlines?: DeadlinesOverrideDto;
}
