import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/page-query.dto';
import { IsTimestamp } from '../../common/http/validation.decorators';
import {
  FOLLOW_UP_CONTACT_MAX,
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_KINDS,
  FOLLOW_UP_NOTE_MAX,
  FOLLOW_UP_OUTCOME_NAMES,
  FOLLOW_UP_OUTCOMES,
  type FollowUpKind,
  type FollowUpOutcome,
} from '../follow-up.rules';

const choices = (names: Record<string, string>) =>
  Object.entries(names)
    .map(([code, name]) => `${code}(${name})`)
    .join('、');

export class CreateFollowUpDto {
  @ApiProperty({ enum: FOLLOW_UP_KINDS, description: '电话 / 现场检查 / 备注' })
  @IsIn(FOLLOW_UP_KINDS, { message: `类型应为以下之一:${choices(FOLLOW_UP_KIND_NAMES)}` })
  kind: FollowUpKind;

  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES })
  @IsIn(FOLLOW_UP_OUTCOMES, { message: `结果应为以下之一:${choices(FOLLOW_UP_OUTCOME_NAMES)}` })
  outcome: FollowUpOutcome;

  @ApiPropertyOptional({ maxLength: FOLLOW_UP_NOTE_MAX, example: '环保负责人称已停产一条焦炉,下午报告' })
  @IsOptional()
  @IsString()
  @MaxLength(FOLLOW_UP_NOTE_MAX)
  note?: string;

  @ApiPropertyOptional({ maxLength: FOLLOW_UP_CONTACT_MAX, example: '王某' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(FOLLOW_UP_CONTACT_MAX)
  contactName?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T10:20:00+08:00',
    description: 'when it happened: now if left out; not in the future, not before the order',
  })
  @IsOptional()
  @IsTimestamp()
  happenedAt?: string;
}

/** The warning's follow-ups a page at a time. */
export class FollowUpPageQueryDto extends PageQueryDto {}

/** Documentation of the answer; the service builds plain objects of this shape. */
export class FollowUpDto {
  @ApiProperty() id: string;
  @ApiProperty() orderId: string;
  @ApiProperty() alertId: string;
  @ApiProperty() enterpriseId: string;
  @ApiProperty() enterpriseName: string;
  @ApiProperty() countyCode: string;
  @ApiProperty({ enum: FOLLOW_UP_KINDS }) kind: FollowUpKind;
  @ApiProperty({ example: '电话' }) kindName: string;
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES }) outcome: FollowUpOutcome;
  @ApiProperty({ example: '已接通' }) outcomeName: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true }) contactName: string | null;
  @ApiProperty() happenedAt: Date;
  @ApiProperty() recordedBy: string;
  @ApiProperty() createdAt: Date;
}

export class FollowUpPageDto {
  @ApiProperty({ type: [FollowUpDto] }) items: FollowUpDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
