import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsTimestamp } from '../../common/http/validation.decorators';
import { ACTOR_TYPES, type ActorType } from '../audit-entry.entity';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: '2026-11-28T00:00:00+08:00' })
  @IsOptional()
  @IsTimestamp()
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-29T00:00:00+08:00' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
  @ApiPropertyOptional({ description: 'actor name (username)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;
  @ApiPropertyOptional({
    enum: ACTOR_TYPES,
    description: 'kind of actor: an account, the system, an enterprise',
  })
  @IsOptional()
  @IsIn(ACTOR_TYPES, { message: `应为 ${ACTOR_TYPES.join('、')} 之一` })
  actorType?: ActorType;
  @ApiPropertyOptional({ description: 'action, or a prefix ending in "." (e.g. "alert.")' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) subjectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subjectId?: string;
  @ApiPropertyOptional({ description: 'warning id' }) @IsOptional() @IsUUID() alertId?: string;
  @ApiPropertyOptional({
    description: "a warning's code (2026-001), document number (文号, any part of it) or id: its entries",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  warning?: string;
  @ApiPropertyOptional({
    description: "an enterprise's name (any part of it) or credit code: entries about it and its orders",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  enterprise?: string;
  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    default: 'asc',
    description: 'by id: oldest first (asc) or newest first (desc); `after` continues in the same order',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: '应为 asc 或 desc' })
  order?: 'asc' | 'desc';
  @ApiPropertyOptional({
    description: "entries past this id in the chosen order (the previous page's nextAfter)",
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  after?: string;
  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** Signed anchors to compare with the database: from the anchor file, a digest mail or an evidence bundle. */
export class AnchorCheckDto {
  @ApiProperty({
    description: 'signed heads (format haze-audit-anchor/1), as published',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsObject({ each: true })
  anchors!: Array<Record<string, unknown>>;
}
