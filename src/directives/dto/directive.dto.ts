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
  @IsString({ message: '文号应为文字' })
  @MinLength(1, { message: '请填写文号' })
  @MaxLength(100, { message: '文号不能超过100个字符' })
  number: string;

  @ApiProperty({ example: '山西省大气污染防治工作领导小组办公室' })
  @IsString({ message: '发文机关应为文字' })
  @MinLength(1, { message: '请填写发文机关' })
  @MaxLength(200, { message: '发文机关不能超过200个字符' })
  issuer: string;

  @ApiProperty({ enum: DIRECTIVE_KINDS })
  @IsIn(DIRECTIVE_KINDS, { message: '类型应为 DISPATCH_ORDER(调度令)或 REGIONAL_WARNING(区域预警)' })
  kind: DirectiveKind;

  @ApiProperty({
    enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'],
    description: 'a level of the ruleset in effect on the start date',
  })
  @IsString({ message: '级别应为 YELLOW、ORANGE、RED 等预警级别' })
  level: string;

  @ApiPropertyOptional({
    example: ['141121', '141122', '141181', '141182'],
    description: 'or wholeCity: true',
  })
  @IsOptionalNotNull()
  @IsArray({ message: '区县应为区县代码列表' })
  @ArrayMaxSize(50, { message: '区县不能超过50个' })
  @IsString({ each: true, message: '区县代码应为文字' })
  countyCodes?: string[];

  @ApiPropertyOptional({ description: 'every county of the city' })
  @IsOptionalNotNull()
  @IsBoolean({ message: 'wholeCity 应为 true 或 false' })
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
  @IsString({ message: '备注应为文字' })
  @MaxLength(2000, { message: '备注不能超过2000个字符' })
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
  @IsString({ message: '解除理由应为文字' })
  @MaxLength(2000, { message: '解除理由不能超过2000个字符' })
  reason?: string;
}
