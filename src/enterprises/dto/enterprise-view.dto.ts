import { ApiProperty } from '@nestjs/swagger';
import { WARNING_LEVELS } from '../../rulesets/ruleset.types';
import { CreateEnterpriseDto, MeasureDto } from './enterprise.dto';

// What the enterprise routes answer (EnterpriseView in enterprise.mapper.ts, PlanView in enterprises.service.ts).

export class EnterpriseViewDto extends CreateEnterpriseDto {
  @ApiProperty() id: string;
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class EnterprisePageDto {
  @ApiProperty({ type: [EnterpriseViewDto] }) items: EnterpriseViewDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class PlanWarningDto {
  @ApiProperty({ example: 'RELAXES_LOWER_LEVEL' }) code: string;
  @ApiProperty({ type: String, enum: WARNING_LEVELS, nullable: true }) level: string | null;
  @ApiProperty({ type: String, nullable: true }) line: string | null;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'integer', nullable: true }) measureIndex: number | null;
}

export class PlanViewDto {
  @ApiProperty() enterpriseId: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-2026' }) season: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) version: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) createdAt: string | null;
  @ApiProperty({ type: [MeasureDto] }) measures: MeasureDto[];
  @ApiProperty({ type: [PlanWarningDto] }) warnings: PlanWarningDto[];
}
