import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsOptionalNotNull, IsTimestamp } from '../../common/http/validation.decorators';
import { DIRECTIVE_KINDS, type DirectiveKind } from '../directive.rules';

export class CreateDirectiveDto {
  @ApiProperty({ example: '晋气防办调〔2026〕4号', description: '文号, unique (trimmed)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  number: string;

  @ApiProperty({ example: '山西省大气污染防治工作领导小组办公室' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  issuer: string;

  @ApiProperty({ enum: DIRECTIVE_KINDS })
  @IsIn(DIRECTIVE_KINDS)
  kind: DirectiveKind;

  @ApiProperty({
    enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'],
    description: 'a level of the ruleset in effect on the start date',
  })
  @IsString()
  level: string;

  @ApiPropertyOptional({
    example: ['141121', '141122', '141181', '141182'],
    description: 'or wholeCity: true',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  countyCodes?: string[];

  @ApiPropertyOptional({ description: 'every county of the city' })
  @IsOptionalNotNull()
  @IsBoolean()
  wholeCity?: boolean;

  @ApiProperty({ example: '2026-11-29T00:00:00+08:00' }) @IsTimestamp() startAt: string;

  @ApiPropertyOptional({ example: '2026-12-02T00:00:00+08:00', description: 'left out: until lifted' })
  @IsOptional()
  @IsTimestamp()
  endAt?: string;

  @ApiProperty({ example: '2026-11-28T09:30:00+08:00', description: 'when the duty office received it' })
  @IsTimestamp()
  receivedAt: string;

  @ApiPropertyOptional({ example: '省厅电话通知后收到传真' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class LiftDirectiveDto {
  @ApiPropertyOptional({
    example: '2026-11-30T12:00:00+08:00',
    description: 'from when it is lifted; default now',
  })
  @IsOptional()
  @IsTimestamp()
  liftedAt?: string;

  @ApiPropertyOptional({ example: '省级调度令解除' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
