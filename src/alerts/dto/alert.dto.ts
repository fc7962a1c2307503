import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull, IsTimestamp } from '../../common/http/validation.decorators';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';

export class CreateAlertDto {
  @ApiProperty({ enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'] }) @IsString() level: string;
  @ApiPropertyOptional({
    example: ['141121', '141122', '141181', '141182'],
    description: 'or wholeCity: true',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  countyCodes?: string[];
  @ApiPropertyOptional({ description: 'all 13 counties' })
  @IsOptionalNotNull()
  @IsBoolean()
  wholeCity?: boolean;
  @ApiProperty({ example: '2026-11-29T00:00:00+08:00' }) @IsTimestamp() effectiveAt: string;
  @ApiPropertyOptional({ example: '2026-12-02T00:00:00+08:00' })
  @IsOptional()
  @IsTimestamp()
  expectedEndAt?: string;
  @ApiPropertyOptional({
    description:
      "required when the level differs from the recommendation, without a consultation, and when effectiveAt is sooner than the ruleset's leadTimeHours from now (e.g. 污染已较重,尽快启动)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() consultationId?: string;
  @ApiPropertyOptional({
    description:
      'a provincial directive it answers, named explicitly (those binding its counties during its span are found anyway)',
  })
  @IsOptional()
  @IsUUID()
  directiveId?: string;
}

export class AdjustAlertDto {
  @ApiProperty({ enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'] }) @IsString() level: string;
  @ApiProperty({ example: '2026-11-30T12:00:00+08:00' }) @IsTimestamp() effectiveAt: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() consultationId?: string;
}

export class ExtendAlertDto {
  @ApiProperty({ example: '2026-12-04T00:00:00+08:00' }) @IsTimestamp() expectedEndAt: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() consultationId?: string;
}

export class LiftAlertDto {
  @ApiProperty({ example: '2026-12-02T12:00:00+08:00' }) @IsTimestamp() effectiveAt: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() consultationId?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class ApproveDto {
  @ApiPropertyOptional({ description: 'comment kept with the decision' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional({
    description:
      "required to approve a LIFT whose forecast check (pendingChange.liftCheck) is not ok: the commander's written reason, audited; ignored otherwise",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  overrideReason?: string;
}
