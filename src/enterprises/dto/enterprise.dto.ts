import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsEmailAddress } from '../../common/http/is-email-address.decorator';
import { IsOptionalNotNull } from '../../common/http/validation.decorators';
import { ENTERPRISE_LIMITS } from '../enterprise.rules';
import { CONTROL_TAGS, GRADES } from '../enterprise.types';
import { PLAN_LIMITS } from '../plan.rules';

/*
 * Types only, plus the list sizes as an early gate (the same constants). Lengths, counts and ranges are
 * checked by enterprise.rules / plan.rules, the one validation the API, the console and the import share.
 */

export class EmissionsDto {
  @ApiProperty({ description: 'kg/d' }) @IsNumber({ allowNaN: false, allowInfinity: false }) so2: number;
  @ApiProperty({ description: 'kg/d' }) @IsNumber({ allowNaN: false, allowInfinity: false }) nox: number;
  @ApiProperty({ description: 'kg/d' }) @IsNumber({ allowNaN: false, allowInfinity: false }) pm: number;
  @ApiProperty({ description: 'kg/d' }) @IsNumber({ allowNaN: false, allowInfinity: false }) vocs: number;
}

export class ContactDto {
  @ApiProperty({ example: '张三' }) @IsString() name: string;
  @ApiPropertyOptional({ example: '环保负责人' }) @IsOptional() @IsString() role?: string;
  @ApiPropertyOptional({ example: 'zhang@example.cn' })
  @IsOptional()
  @IsString()
  @IsEmailAddress()
  email?: string;
  @ApiPropertyOptional({ example: '13800000000' }) @IsOptional() @IsString() phone?: string;
}

export class LineDto {
  @ApiProperty({ example: 'JL1' }) @IsString() code: string;
  @ApiProperty({ example: '4.3米焦炉' }) @IsString() name: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) capacity?: number;
  @ApiPropertyOptional({ example: 't/a' }) @IsOptional() @IsString() unit?: string;
}

export class CreateEnterpriseDto {
  @ApiProperty({ example: '91141100MA0K1234X5', description: 'GB 32100-2015 unified social credit code' })
  @IsString()
  creditCode: string;

  @ApiProperty({ example: '山西福裕焦化有限公司' }) @IsString() name: string;
  @ApiProperty({ example: 'COKING', description: 'GET /api/industries' })
  @IsString()
  industry: string;
  @ApiProperty({ example: '141129', description: 'GET /api/counties' })
  @IsString()
  countyCode: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() address?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 111.14 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  longitude?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 37.52 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  latitude?: number | null;
  @ApiProperty({ enum: GRADES }) @IsString() grade: string;
  @ApiProperty() @IsBoolean() protected: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() protectedReason?:
    string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'approved maximum load, % of capacity' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  protectedMaxLoad?: number | null;

  @ApiProperty({ enum: CONTROL_TAGS, isArray: true })
  @IsArray()
  @ArrayMaxSize(ENTERPRISE_LIMITS.controlTags, { message: `管控标签最多${ENTERPRISE_LIMITS.controlTags}个` })
  @IsString({ each: true })
  controlTags: string[];

  @ApiProperty({ type: [ContactDto] })
  @IsArray()
  @ArrayMaxSize(ENTERPRISE_LIMITS.contacts, { message: `联系人最多${ENTERPRISE_LIMITS.contacts}个` })
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts: ContactDto[];

  @ApiProperty({ type: [LineDto] })
  @IsArray()
  @ArrayMaxSize(ENTERPRISE_LIMITS.lines, { message: `生产线最多${ENTERPRISE_LIMITS.lines}条` })
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines: LineDto[];

  @ApiProperty({ type: EmissionsDto })
  @ValidateNested()
  @Type(() => EmissionsDto)
  baseline: EmissionsDto;
}

/**
 * Every field may be left out; null clears the nullable ones (address, coordinates, protectedReason,
 * protectedMaxLoad) and is refused for the rest (skipNullProperties: false runs their checks on null).
 */
export class UpdateEnterpriseDto extends PartialType(CreateEnterpriseDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'false restores an archived enterprise' })
  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;
}

export class EnterpriseQueryDto {
  @ApiPropertyOptional({ description: 'name contains, or credit code starts with' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(12) countyCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) industry?: string;
  @ApiPropertyOptional({ enum: GRADES }) @IsOptional() @IsString() @MaxLength(20) grade?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsString() protected?: 'true' | 'false';
  @ApiPropertyOptional({ enum: ['true', 'false', 'all'], description: 'default false' })
  @IsOptional()
  @IsString()
  archived?: 'true' | 'false' | 'all';
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

export class MeasureDto {
  @ApiProperty({ enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'] }) @IsString() level: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'JL1' }) @IsOptional() @IsString() line?:
    string | null;
  @ApiProperty({ example: 'LIMIT_PERCENT' }) @IsString() action: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    example: { percent: 20 },
  })
  @IsOptionalNotNull()
  @IsObject()
  params?: Record<string, string | number>;
  @ApiProperty({ example: '限产20%' }) @IsString() description: string;
  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 120 })
  @IsOptional()
  @IsInt()
  fromHour?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true }) @IsOptional() @IsInt() toHour?: number | null;
  @ApiProperty({ type: EmissionsDto }) @ValidateNested() @Type(() => EmissionsDto) reduction: EmissionsDto;
  @ApiProperty({ example: 'POWER_SUBMETER' }) @IsString() verification: string;
}

export class PlanDto {
  @ApiPropertyOptional({ example: '2025-2026' }) @IsOptional() @IsString() season?: string;

  @ApiProperty({ type: [MeasureDto] })
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.measures, { message: `一家企业最多${PLAN_LIMITS.measures}条措施` })
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures: MeasureDto[];
}

export class InventoryDto extends EmissionsDto {}
