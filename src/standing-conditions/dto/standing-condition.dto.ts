import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { METRICS } from '../../reconciliation/reconciliation.rules';
import {
  BASIS_MAX,
  MAX_CONDITIONS_PER_ENTERPRISE,
  NAME_MAX,
  STANDING_FINDING_NAMES,
} from '../standing-condition.rules';
import type { FindingKind } from '../../reconciliation/reconciliation.rules';

const FINDING_KINDS = Object.keys(STANDING_FINDING_NAMES) as FindingKind[];

export class ConditionLimitsDto {
  @ApiPropertyOptional({ description: 'mg/m³', example: 15 })
  @IsOptional()
  @IsNumber({}, { message: '二氧化硫限值应为数字(mg/m³)' })
  so2?: number;

  @ApiPropertyOptional({ description: 'mg/m³', example: 50 })
  @IsOptional()
  @IsNumber({}, { message: '氮氧化物限值应为数字(mg/m³)' })
  nox?: number;

  @ApiPropertyOptional({ description: 'mg/m³', example: 5 })
  @IsOptional()
  @IsNumber({}, { message: '颗粒物限值应为数字(mg/m³)' })
  pm?: number;

  @ApiPropertyOptional({ description: 'mg/m³ (non-methane hydrocarbons count here)', example: 60 })
  @IsOptional()
  @IsNumber({}, { message: '挥发性有机物限值应为数字(mg/m³)' })
  vocs?: number;
}

export class StandingConditionDto {
  @ApiProperty({ example: '焦炉烟气深度治理限值', maxLength: NAME_MAX })
  @IsString({ message: '名称应为文字' })
  @MaxLength(NAME_MAX, { message: `名称最多${NAME_MAX}字` })
  name: string;

  @ApiProperty({ example: '吕梁市2023年大气污染防治行动计划 第5项', maxLength: BASIS_MAX })
  @IsString({ message: '依据应为文字' })
  @MaxLength(BASIS_MAX, { message: `依据最多${BASIS_MAX}字` })
  basis: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['DA001'],
    description: 'OUTLET_CEMS codes it applies to; empty or left out: every outlet of the enterprise',
  })
  @IsOptional()
  @IsArray({ message: '适用排口应为排口编码的列表' })
  @ArrayMaxSize(200, { message: '适用排口最多200个' })
  @IsString({ each: true, message: '适用排口应为排口编码' })
  outlets?: string[];

  @ApiProperty({ type: ConditionLimitsDto, description: 'at least one, mg/m³' })
  @ValidateNested()
  @Type(() => ConditionLimitsDto)
  limits: ConditionLimitsDto;

  @ApiProperty({ example: '2023-01-01', description: 'Beijing date' })
  @IsString({ message: '生效日期应为日期(YYYY-MM-DD)' })
  validFrom: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Beijing date, inclusive; null: open',
  })
  @IsOptional()
  @IsString({ message: '失效日期应为日期(YYYY-MM-DD)' })
  validTo?: string | null;
}

export class StandingConditionsDto {
  @ApiProperty({ type: [StandingConditionDto] })
  @IsArray({ message: '常态管控条件应为列表' })
  @ArrayMaxSize(MAX_CONDITIONS_PER_ENTERPRISE, {
    message: `常态管控条件最多${MAX_CONDITIONS_PER_ENTERPRISE}条`,
  })
  @ValidateNested({ each: true })
  @Type(() => StandingConditionDto)
  conditions: StandingConditionDto[];
}

export class StandingFindingQueryDto {
  @ApiPropertyOptional({ description: 'county code' })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  county?: string;

  @ApiPropertyOptional({ description: 'the enterprise (id)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  enterprise?: string;

  @ApiPropertyOptional({ enum: FINDING_KINDS })
  @IsOptional()
  @IsIn(FINDING_KINDS, { message: '类型应为以下之一:EXCEEDED(超出常态限值)、MISSING_DATA(数据缺失)' })
  kind?: FindingKind;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '页码应为整数' })
  @Min(1, { message: '页码应不小于1' })
  @Max(100000, { message: '页码应不大于100000' })
  page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每页条数应为整数' })
  @Min(1, { message: '每页条数应不小于1' })
  @Max(200, { message: '每页条数应不大于200' })
  pageSize?: number;
}

class LimitsViewDto {
  @ApiProperty({ type: Number, nullable: true }) so2: number | null;
  @ApiProperty({ type: Number, nullable: true }) nox: number | null;
  @ApiProperty({ type: Number, nullable: true }) pm: number | null;
  @ApiProperty({ type: Number, nullable: true }) vocs: number | null;
}

export class StandingConditionViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty() countyCode: string;
  @ApiProperty({ example: '焦炉烟气深度治理限值' }) name: string;
  @ApiProperty({ example: '吕梁市2023年大气污染防治行动计划 第5项' }) basis: string;
  @ApiProperty({ type: [String], description: 'empty: every outlet of the enterprise' }) outlets: string[];
  @ApiProperty({ type: LimitsViewDto, description: 'mg/m³' }) limits: LimitsViewDto;
  @ApiProperty({ example: '2023-01-01' }) validFrom: string;
  @ApiProperty({ type: String, nullable: true }) validTo: string | null;
  @ApiProperty({ description: 'valid today (Beijing date)' }) inForce: boolean;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty() updatedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class StandingFindingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conditionId: string;
  @ApiProperty() conditionName: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty() enterpriseName: string;
  @ApiProperty() countyCode: string;
  @ApiProperty() countyName: string;
  @ApiProperty({ format: 'uuid' }) pointId: string;
  @ApiProperty({ example: 'DA001' }) pointCode: string;
  @ApiProperty({ type: String, nullable: true }) pointName: string | null;
  @ApiProperty({ enum: METRICS }) metric: string;
  @ApiProperty({ example: '二氧化硫(mg/m³)' }) metricName: string;
  @ApiProperty({ enum: FINDING_KINDS }) kind: FindingKind;
  @ApiProperty({ example: '超出常态限值' }) kindName: string;
  @ApiProperty({ type: String, format: 'date-time' }) fromAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) toAt: Date;
  @ApiProperty() hours: number;
  @ApiProperty({ description: 'the most the hourly average may be (mg/m³)' }) allowed: number;
  @ApiProperty({ type: Number, nullable: true }) observedMax: number | null;
  @ApiProperty({ type: Number, nullable: true }) observedAvg: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) firstFoundAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) computedAt: Date;
}

export class StandingFindingPageDto {
  @ApiProperty({ type: [StandingFindingDto] }) items: StandingFindingDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class StandingCheckRunDto {
  @ApiProperty({ type: String, format: 'date-time' }) computedAt: Date;
  @ApiProperty() durationMs: number;
  @ApiProperty({ type: String, format: 'date-time', description: 'the span checked, whole hours' })
  from: Date;
  @ApiProperty({ type: String, format: 'date-time' }) to: Date;
  @ApiProperty({ description: 'conditions in force in the span' }) conditions: number;
  @ApiProperty() checks: number;
  @ApiProperty({ description: 'conditions no outlet of the enterprise can check' }) unmetered: number;
  @ApiProperty() hoursChecked: number;
  @ApiProperty() hoursPassed: number;
  @ApiProperty() exceeded: number;
  @ApiProperty() missing: number;
}
