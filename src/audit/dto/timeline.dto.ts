import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CURSOR_PATTERN, TIMELINE_DEFAULT_LIMIT, TIMELINE_MAX_LIMIT } from '../timeline.rules';

export class TimelineQueryDto {
  @ApiPropertyOptional({
    example: 'audit:1234',
    description: "events after this one: the previous page's nextAfter (an event id)",
  })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: '应为上一页的 nextAfter(如 audit:1234)' })
  after?: string;

  @ApiPropertyOptional({ default: TIMELINE_DEFAULT_LIMIT, minimum: 1, maximum: TIMELINE_MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `应为 1-${TIMELINE_MAX_LIMIT} 之间的整数` })
  @Min(1, { message: `应为 1-${TIMELINE_MAX_LIMIT} 之间的整数` })
  @Max(TIMELINE_MAX_LIMIT, { message: `应为 1-${TIMELINE_MAX_LIMIT} 之间的整数` })
  limit?: number;
}

/** Documentation of the answer; the service builds plain objects of this shape. */
export class TimelineEventDto {
  @ApiProperty({ example: 'delivery:5678', description: 'the cursor to continue after this event' })
  id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ enum: ['AUDIT', 'DELIVERY'] }) kind: 'AUDIT' | 'DELIVERY';
  @ApiProperty({ example: 'alert.approved' }) action: string;
  @ApiProperty({ example: '审批通过', description: 'the action in words (audit) or the delivery state' })
  label: string;
  @ApiProperty({ type: String, nullable: true }) actor: string | null;
  @ApiProperty({ type: String, nullable: true }) subjectType: string | null;
  @ApiProperty({ type: String, nullable: true }) subjectId: string | null;
  @ApiProperty({ example: '审批通过' }) summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEventDto], description: 'oldest first' }) items: TimelineEventDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  nextAfter: string | null;
  @ApiProperty({ description: 'events of the warning in all' }) total: number;
}
