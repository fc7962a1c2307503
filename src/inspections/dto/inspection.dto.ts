import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsTimestamp } from '../../common/http/validation.decorators';
import { GRADE_NAMES, GRADES, type Grade } from '../../enterprises/enterprise.types';
import { PLAN_SIZE_MAX, SEED_MAX } from '../inspection-plan.rules';
import {
  CLOSE_NOTE_MAX,
  FINDINGS_MAX,
  INSPECTION_RESULT_NAMES,
  INSPECTION_RESULTS,
  type InspectionResult,
  INSPECTOR_NAME_MAX,
  INSPECTORS_MAX,
  REVIEW_DECISION_NAMES,
  REVIEW_DECISIONS,
  type ReviewDecision,
} from '../inspection.rules';

const choices = (names: Record<string, string>) =>
  Object.entries(names)
    .map(([code, name]) => `${code}(${name})`)
    .join('、');

export class DrawPlanDto {
  @ApiProperty({
    minimum: 1,
    maximum: PLAN_SIZE_MAX,
    example: 10,
    description: 'how many enterprises to pick',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PLAN_SIZE_MAX)
  size: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: SEED_MAX,
    description: 'the same seed draws the same sample; a random one (kept with the plan) if left out',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(SEED_MAX)
  seed?: number;
}

export class RectificationDto {
  @ApiProperty({ description: 'whether a rectification (整改) is required' })
  @IsBoolean()
  required: boolean;

  @ApiPropertyOptional({ example: '2026-12-03T18:00:00+08:00', description: 'required when `required`' })
  @IsOptional()
  @IsTimestamp()
  deadline?: string;
}

export class CreateInspectionDto {
  @ApiProperty({
    example: '2026-11-28T14:30:00+08:00',
    description: 'not in the future, not before the order',
  })
  @IsTimestamp()
  inspectedAt: string;

  @ApiProperty({ type: [String], example: ['张三', '李四'] })
  @IsArray()
  @ArrayMinSize(1, { message: '检查人员至少需要1人' })
  @ArrayMaxSize(INSPECTORS_MAX)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(INSPECTOR_NAME_MAX, { each: true })
  inspectors: string[];

  @ApiProperty({ maxLength: FINDINGS_MAX, example: '1号焦炉已停产,2号焦炉仍在生产' })
  @IsString()
  @MinLength(1, { message: '请填写检查情况' })
  @MaxLength(FINDINGS_MAX)
  findings: string;

  @ApiProperty({ enum: INSPECTION_RESULTS })
  @IsIn(INSPECTION_RESULTS, { message: `检查结果应为以下之一:${choices(INSPECTION_RESULT_NAMES)}` })
  result: InspectionResult;

  @ApiPropertyOptional({ type: RectificationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RectificationDto)
  rectification?: RectificationDto;
}

export class CloseRectificationDto {
  @ApiProperty({ example: '2026-11-30T10:00:00+08:00' })
  @IsTimestamp()
  closedAt: string;

  @ApiProperty({ maxLength: CLOSE_NOTE_MAX, example: '复查:2号焦炉已停产' })
  @IsString()
  @MinLength(1, { message: '请填写销号说明' })
  @MaxLength(CLOSE_NOTE_MAX)
  note: string;
}

export class DecideReviewDto {
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS, { message: `复核决定应为以下之一:${choices(REVIEW_DECISION_NAMES)}` })
  decision: ReviewDecision;

  @ApiPropertyOptional({ enum: GRADES, description: 'the lower grade, for a DOWNGRADE' })
  @IsOptional()
  @IsIn(GRADES, { message: `新等级应为以下之一:${choices(GRADE_NAMES)}` })
  newGrade?: Grade;

  @ApiProperty({ maxLength: 2000, example: '现场检查发现未落实停产措施,降为C级' })
  @IsString()
  @MinLength(1, { message: '请填写理由' })
  @MaxLength(2000)
  reason: string;
}

export class GradeReviewQueryDto {
  @ApiPropertyOptional({ enum: ['PENDING', 'DOWNGRADED', 'KEPT'] })
  @IsOptional()
  @IsIn(['PENDING', 'DOWNGRADED', 'KEPT'], {
    message: '状态应为 PENDING(待复核)、DOWNGRADED(已降级)或 KEPT(维持原级)',
  })
  state?: 'PENDING' | 'DOWNGRADED' | 'KEPT';
}
