import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsTimestamp } from '../../common/http/validation.decorators';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
  @ApiPropertyOptional({ description: 'action, or a prefix ending in "." (e.g. "alert.")' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) subjectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subjectId?: string;
  @ApiPropertyOptional({ description: 'warning id' }) @IsOptional() @IsUUID() alertId?: string;
  @ApiPropertyOptional({ description: "entries after this id (the previous page's nextAfter)" })
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
