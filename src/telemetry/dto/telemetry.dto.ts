import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  MAX_POINTS_PER_ENTERPRISE,
  METERING_POINT_KINDS,
  type MeteringPointKind,
} from '../metering-point.rules';

export class PointLimitsDto {
  @ApiPropertyOptional({ description: 'mg/m³' })
  @IsOptional()
  @IsNumber({}, { message: '二氧化硫限值应为数字(mg/m³)' })
  so2?: number;

  @ApiPropertyOptional({ description: 'mg/m³' })
  @IsOptional()
  @IsNumber({}, { message: '氮氧化物限值应为数字(mg/m³)' })
  nox?: number;

  @ApiPropertyOptional({ description: 'mg/m³' })
  @IsOptional()
  @IsNumber({}, { message: '颗粒物限值应为数字(mg/m³)' })
  pm?: number;

  @ApiPropertyOptional({ description: 'mg/m³' })
  @IsOptional()
  @IsNumber({}, { message: '挥发性有机物限值应为数字(mg/m³)' })
  vocs?: number;
}

export class MeteringPointDto {
  @ApiProperty({ enum: METERING_POINT_KINDS })
  @IsIn(METERING_POINT_KINDS, { message: '类型应为 LINE_POWER(生产线用电)或 OUTLET_CEMS(排口在线监测)' })
  kind: MeteringPointKind;

  @ApiProperty({
    example: 'JL1',
    description: "a line's code from the enterprise's lines, or an outlet's code",
  })
  @IsString({ message: '计量点编码应为文本' })
  @MaxLength(40, { message: '计量点编码最多40个字符' })
  code: string;

  @ApiPropertyOptional({ example: '1号焦炉总表' })
  @IsOptional()
  @IsString({ message: '名称应为文本' })
  @MaxLength(100, { message: '名称最多100个字符' })
  name?: string;

  @ApiPropertyOptional({ description: "a line's power at normal production, kW" })
  @IsOptional()
  @IsNumber({}, { message: '正常功率应为数字(kW)' })
  normalPowerKw?: number;

  @ApiPropertyOptional({ type: PointLimitsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PointLimitsDto)
  limits?: PointLimitsDto;
}

export class MeteringPointsDto {
  @ApiProperty({ type: [MeteringPointDto] })
  @IsArray({ message: '计量点应为列表' })
  @ArrayMaxSize(MAX_POINTS_PER_ENTERPRISE, { message: `计量点最多${MAX_POINTS_PER_ENTERPRISE}个` })
  @ValidateNested({ each: true })
  @Type(() => MeteringPointDto)
  points: MeteringPointDto[];
}

export class CreateSourceDto {
  @ApiProperty({ example: '孝义市分表计电平台' })
  @IsString({ message: '名称应为文本' })
  @MinLength(1, { message: '名称不能为空' })
  @MaxLength(100, { message: '名称最多100个字符' })
  name: string;

  @ApiPropertyOptional({ example: '141181', description: 'scope: a county (or give enterpriseId)' })
  @IsOptional()
  @IsString({ message: '区县代码应为文本' })
  @MaxLength(12, { message: '区县代码最多12个字符' })
  countyCode?: string;

  @ApiPropertyOptional({ description: 'scope: one enterprise (or give countyCode)' })
  @IsOptional()
  @IsUUID('all', { message: '企业编号格式不正确' })
  enterpriseId?: string;
}
