import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptionalNotNull } from '../../common/http/validation.decorators';
import {
  IsArray,
  IsInt,
  IsNumber,
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

const INT = { message: '应为整数' };

export class ApprovalOverrideDto {
  @ApiPropertyOptional({
    description: 'draft (proposal) to approval, hours (1-72); longer waits are flagged',
  })
  @IsOptionalNotNull()
  @IsInt(INT)
  draftToApprovalHours?: number;
  @ApiPropertyOptional({ description: 'approval to release (last notice handed to SMTP), hours (1-72)' })
  @IsOptionalNotNull()
  @IsInt(INT)
  approvalToReleaseHours?: number;
}

export class PollutedDayOverrideDto {
  @ApiPropertyOptional({ enum: ['gt', 'gte'] })
  @IsOptionalNotNull()
  @IsString({ message: '应为 gt 或 gte' })
  comparison?: string;
  @ApiPropertyOptional({ description: 'daily AQI, 0-500' }) @IsOptionalNotNull() @IsInt(INT) aqi?: number;
}

export class EpisodesOverrideDto {
  @ApiPropertyOptional({ description: 'episodes whose clean gap is shorter count as one, hours (0-240)' })
  @IsOptionalNotNull()
  @IsInt(INT)
  mergeGapHours?: number;
  @ApiPropertyOptional({
    type: PollutedDayOverrideDto,
    description: 'what a polluted day is; a part left out keeps the base value',
  })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => PollutedDayOverrideDto)
  pollutedDay?: PollutedDayOverrideDto;
}

const POLLUTANT_LIST = { message: '应为首要污染物列表' };

export class ResponsesOverrideDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['PM2.5', 'PM10', 'NO2', 'SO2', 'CO'],
    description: 'primary pollutants whose days count toward a colour warning (at least one)',
  })
  @IsOptionalNotNull()
  @IsArray(POLLUTANT_LIST)
  warningPollutants?: string[];
  @ApiPropertyOptional({
    type: [String],
    example: ['O3'],
    description: 'primary pollutants whose days get the ozone response; none of the warning pollutants',
  })
  @IsOptionalNotNull()
  @IsArray(POLLUTANT_LIST)
  ozonePollutants?: string[];
}

/** A new ruleset version derived from an existing one; its level rules are the base's. */
export class ReconciliationOverrideDto {
  @ApiPropertyOptional({ description: 'share of normal power a stopped line may still draw (0-0.5)' })
  @IsOptionalNotNull()
  @IsNumber({}, { message: '应为数' })
  stopMaxShare?: number;
  @ApiPropertyOptional({ description: 'share of normal power over (1 − p) a limited line may draw (0-0.5)' })
  @IsOptionalNotNull()
  @IsNumber({}, { message: '应为数' })
  limitTolerance?: number;
  @ApiPropertyOptional({ description: 'share a concentration cap may be exceeded by (0-0.5)' })
  @IsOptionalNotNull()
  @IsNumber({}, { message: '应为数' })
  capTolerance?: number;
  @ApiPropertyOptional({ description: 'whole hours after a measure starts before it is checked (0-24)' })
  @IsOptionalNotNull()
  @IsNumber({}, { message: '应为数' })
  graceHours?: number;
  @ApiPropertyOptional({ description: 'minutes after an hour before missing readings count (0-1440)' })
  @IsOptionalNotNull()
  @IsNumber({}, { message: '应为数' })
  lateDataMinutes?: number;
}

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
  @ApiPropertyOptional({
    type: String,
    example: '2027-04-01',
    nullable: true,
    description: 'null or left out: open-ended',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveTo?: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      oneOf: [
        { type: 'number', description: 'one share for all four pollutants, 0 < r ≤ 1' },
        {
          type: 'object',
          description: "a share per pollutant; pollutants left out keep the base version's share",
          properties: Object.fromEntries(['so2', 'nox', 'pm', 'vocs'].map((p) => [p, { type: 'number' }])),
        },
      ],
    },
    example: { ORANGE: 0.25, YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 } },
    description: 'per level of the base',
  })
  @IsOptionalNotNull()
  @IsObject()
  reductionRatios?: Record<string, number | Record<string, number>>;
  @ApiPropertyOptional({ description: 'hours (1-240)' })
  @IsOptionalNotNull()
  @IsInt()
  liftBelowHours?: number;
  @ApiPropertyOptional({ description: 'hours (0-168); a draft starting sooner needs a reason' })
  @IsOptionalNotNull()
  @IsInt()
  leadTimeHours?: number;
  @ApiPropertyOptional({ description: 'days of detailed forecast the level is judged on (1-10)' })
  @IsOptionalNotNull()
  @IsInt(INT)
  detailedDays?: number;
  @ApiPropertyOptional({ type: ApprovalOverrideDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => ApprovalOverrideDto)
  approval?: ApprovalOverrideDto;
  @ApiPropertyOptional({ type: EpisodesOverrideDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => EpisodesOverrideDto)
  episodes?: EpisodesOverrideDto;
  @ApiPropertyOptional({ type: ResponsesOverrideDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => ResponsesOverrideDto)
  responses?: ResponsesOverrideDto;
  @ApiPropertyOptional({ type: DeadlinesOverrideDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => DeadlinesOverrideDto)
  deadlines?: DeadlinesOverrideDto;
  @ApiPropertyOptional({ type: ReconciliationOverrideDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => ReconciliationOverrideDto)
  reconciliation?: ReconciliationOverrideDto;
  @ApiPropertyOptional({
    description:
      'per control tag (DIFFERENTIATED_CONTROL, NO_DRY_QUENCHING, BUILT_UP_AREA) or JOINT_CONTROL_AREA: NEXT_LEVEL (the plan’s measures of the next level up during a warning), GRADE_LOWER (treated as one grade lower: a voluntary grade’s notice becomes mandatory), {add: [{action, params?, description, reduction?, verification?}]} (these measures added to the order, on the whole enterprise for the whole response), or null (no longer)',
    example: {
      DIFFERENTIATED_CONTROL: 'NEXT_LEVEL',
      BUILT_UP_AREA: { add: [{ action: 'STOP_ROAD_TRANSPORT', description: '禁止公路运输' }] },
    },
  })
  @IsOptionalNotNull()
  @IsObject({ message: '应为对象,如 {"JOINT_CONTROL_AREA": "NEXT_LEVEL"}' })
  escalations?: Record<string, unknown>;
}
