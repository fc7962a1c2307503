import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MEASURE_ACTIONS } from '../../enterprises/enterprise.types';
import {
  FINDING_NAMES,
  METRICS,
  REVIEW_NOTE_MAX,
  REVIEW_OUTCOME_NAMES,
  REVIEW_OUTCOMES,
  type FindingKind,
  type ReviewOutcome,
} from '../reconciliation.rules';

const FINDING_KINDS = Object.keys(FINDING_NAMES) as FindingKind[];
const choices = (names: Record<string, string>) =>
  Object.entries(names)
    .map(([code, name]) => `${code}(${name})`)
    .join('、');

export class DiscrepancyQueryDto {
  @ApiPropertyOptional({ description: 'the warning (id)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  alert?: string;

  @ApiPropertyOptional({ description: 'county code' })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  county?: string;

  @ApiPropertyOptional({ enum: FINDING_KINDS })
  @IsOptional()
  @IsIn(FINDING_KINDS, { message: `类型应为以下之一:${choices(FINDING_NAMES)}` })
  kind?: FindingKind;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'only those against (true) or not against (false) the enterprise’s report',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: '与企业自报不符应为 true 或 false' })
  flagged?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'reviewed (true) or waiting (false)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: '是否已核实应为 true 或 false' })
  reviewed?: 'true' | 'false';

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

export class ReviewDiscrepancyDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES })
  @IsIn(REVIEW_OUTCOMES, { message: `核实结果应为以下之一:${choices(REVIEW_OUTCOME_NAMES)}` })
  outcome: ReviewOutcome;

  @ApiPropertyOptional({
    maxLength: REVIEW_NOTE_MAX,
    description: 'required for EXPLAINED',
    example: '分表计电装置故障,已报修',
  })
  @IsOptional()
  @IsString({ message: '说明应为文字' })
  note?: string;
}

class ReviewDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES }) outcome: ReviewOutcome;
  @ApiProperty({ example: '属实(未落实措施)' }) outcomeName: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() reviewedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) reviewedAt: Date;
}

export class DiscrepancyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ example: '2026-003' }) alertCode: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty() enterpriseName: string;
  @ApiProperty() countyCode: string;
  @ApiProperty() countyName: string;
  @ApiProperty({ format: 'uuid' }) pointId: string;
  @ApiProperty({ example: 'JL1' }) pointCode: string;
  @ApiProperty({ type: String, nullable: true }) pointName: string | null;
  @ApiProperty({ enum: ['LINE_POWER', 'OUTLET_CEMS'] }) pointKind: string;
  @ApiProperty({ description: 'index of the measure in the order' }) measureIndex: number;
  @ApiProperty({ enum: MEASURE_ACTIONS }) action: string;
  @ApiProperty({ example: '停产' }) actionName: string;
  @ApiProperty({ enum: METRICS }) metric: string;
  @ApiProperty({ example: '用电功率(kW)' }) metricName: string;
  @ApiProperty({ enum: FINDING_KINDS }) kind: FindingKind;
  @ApiProperty({ example: '超出指令允许值' }) kindName: string;
  @ApiProperty({ type: String, format: 'date-time' }) fromAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) toAt: Date;
  @ApiProperty() hours: number;
  @ApiProperty({ description: 'the most the hourly average may be (kW or mg/m³)' }) allowed: number;
  @ApiProperty({ description: 'normal power (kW) or the cap (mg/m³) the allowance comes from' })
  reference: number;
  @ApiProperty({ type: Number, nullable: true }) observedMax: number | null;
  @ApiProperty({ type: Number, nullable: true }) observedAvg: number | null;
  @ApiProperty({ description: 'the enterprise had reported its measures in place' }) selfReported: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) firstFoundAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) computedAt: Date;
  @ApiProperty({ type: ReviewDto, nullable: true }) review: ReviewDto | null;
}

export class DiscrepancyPageDto {
  @ApiProperty({ type: [DiscrepancyDto] }) items: DiscrepancyDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

class CountsDto {
  @ApiProperty() orders: number;
  @ApiProperty() checks: number;
  @ApiProperty({ description: 'checkable measures without a meter to check them' }) unmetered: number;
  @ApiProperty() hoursChecked: number;
  @ApiProperty() hoursPassed: number;
  @ApiProperty() exceeded: number;
  @ApiProperty() missing: number;
  @ApiProperty() flagged: number;
}

class CountyCountsDto extends CountsDto {
  @ApiProperty() countyCode: string;
  @ApiProperty() countyName: string;
}

class TolerancesDto {
  @ApiProperty() stopMaxShare: number;
  @ApiProperty() limitTolerance: number;
  @ApiProperty() capTolerance: number;
  @ApiProperty() graceHours: number;
  @ApiProperty() lateDataMinutes: number;
}

export class ReconciliationDto extends CountsDto {
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) computedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty({ type: TolerancesDto }) tolerances: TolerancesDto;
  @ApiProperty({ type: [CountyCountsDto] }) byCounty: CountyCountsDto[];
}
