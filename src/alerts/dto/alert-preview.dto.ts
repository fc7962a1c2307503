import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_KINDS } from '../alert.rules';

/** Response of GET /api/alerts/:id/preview (documentation only: the service builds plain objects of this shape). */
export class PreviewCountsDto {
  @ApiProperty({ description: 'enterprises that would get an order (or an end notice)' }) inScope: number;
  @ApiProperty({ description: 'A+, A and LEADING: voluntary reduction notice' }) voluntary: number;
  @ApiProperty({ description: 'protected (保障类): run at their approved load' }) protected: number;
  @ApiProperty({ description: 'no measure at the level' }) noPlan: number;
  @ApiProperty({ description: 'no contact email: nothing can be sent' }) noEmail: number;
}

export class PreviewTotalsDto extends PreviewCountsDto {
  @ApiProperty({ description: 'orders approval would write (0 for an extension: the orders stand)' })
  orders: number;
}

export class PreviewGradeDto extends PreviewCountsDto {
  @ApiProperty({ example: 'B' }) grade: string;
}

export class PreviewProblemDto {
  @ApiProperty() enterpriseId: string;
  @ApiProperty() name: string;
  @ApiProperty() creditCode: string;
  @ApiProperty() countyCode: string;
  @ApiProperty() grade: string;
  @ApiProperty({ enum: ['NO_PLAN', 'NO_EMAIL'] }) problem: 'NO_PLAN' | 'NO_EMAIL';
}

export class PreviewReductionDto {
  @ApiProperty({ enum: ['so2', 'nox', 'pm', 'vocs'] }) pollutant: 'so2' | 'nox' | 'pm' | 'vocs';
  @ApiProperty({ description: 'inventory of the selected counties (of the county, under byCounty), kg/d' })
  baseline: number;
  @ApiProperty({ description: 'measures in force at hour 0 of the enterprises in scope, kg/d' })
  reduction: number;
  @ApiProperty({ type: Number, nullable: true }) ratio: number | null;
  @ApiProperty({ type: Number, nullable: true }) required: number | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'ratio ≥ required; null when either is unknown (no inventory, no requirement)',
  })
  ok: boolean | null;
}

export class PreviewCountyDto extends PreviewCountsDto {
  @ApiProperty({ example: '141181' }) countyCode: string;
  @ApiProperty({ example: '孝义市' }) countyName: string;
  @ApiProperty({
    type: [PreviewReductionDto],
    description:
      "this county alone, in the shape of the top-level reduction: its own inventory and its enterprises' measures; ok false where it falls short even if the scope as a whole does not; empty for a lift or cancellation",
  })
  reduction: PreviewReductionDto[];
}

export class PreviewEscalationDto {
  @ApiProperty({
    enum: ['DIFFERENTIATED_CONTROL', 'NO_DRY_QUENCHING', 'BUILT_UP_AREA', 'JOINT_CONTROL_AREA'],
  })
  source: string;
  @ApiProperty({ example: '位于平川四县(太原及周边“1+30”联防联控区)' }) name: string;
  @ApiProperty({ description: 'enterprises escalated for this reason (one enterprise may have several)' })
  n: number;
  @ApiProperty({
    description:
      'of them, those whose order this reason makes stricter: the next level’s measures (NEXT_LEVEL, their plan has measures there) or at least one added measure their plan lacks (ADD_MEASURES)',
  })
  stricter: number;
}

export class PreviewMergedMeasureDto {
  @ApiProperty({ type: String, nullable: true, example: 'L1' }) line: string | null;
  @ApiProperty({ example: '1#矿热炉', description: 'the line’s name; 全厂 for a measure on no line' })
  lineName: string;
  @ApiProperty({ example: '错峰期间限产30%(2026—2027年秋冬季差异化错峰生产要求严于预警措施)' })
  description: string;
  @ApiProperty({ enum: ['WARNING', 'CAMPAIGN'] }) basis: 'WARNING' | 'CAMPAIGN';
  @ApiProperty({ example: '2026—2027年秋冬季差异化错峰生产要求严于预警措施' }) basisReason: string;
}

export class PreviewMergeSampleDto {
  @ApiProperty() enterpriseId: string;
  @ApiProperty() name: string;
  @ApiProperty() countyCode: string;
  @ApiProperty({ type: [PreviewMergedMeasureDto] }) measures: PreviewMergedMeasureDto[];
}

export class PreviewMergeCampaignDto {
  @ApiProperty({ example: '2026—2027年秋冬季差异化错峰生产' }) name: string;
  @ApiProperty() n: number;
}

export class PreviewCampaignMergeDto {
  @ApiProperty({
    description:
      'enterprises of the scope with a campaign order in force at the effective time: approval writes their order as the stricter of the two, line by line',
  })
  enterprises: number;
  @ApiProperty({
    description: 'of them, those for which a campaign measure is the stricter on at least one line',
  })
  campaignStricter: number;
  @ApiProperty({ type: [PreviewMergeCampaignDto] }) campaigns: PreviewMergeCampaignDto[];
  @ApiProperty({
    type: [PreviewMergeSampleDto],
    description: 'the first 20 (by county, then name) with their merged measures and each measure’s basis',
  })
  samples: PreviewMergeSampleDto[];
  @ApiProperty() samplesTruncated: boolean;
}

export class AlertPreviewDto {
  @ApiProperty({ type: String, nullable: true, description: 'null for a draft not yet submitted' }) alertId:
    string | null;
  @ApiProperty({ enum: ['PENDING_CHANGE', 'CURRENT_REVISION', 'DRAFT'], description: 'what is previewed' })
  source: 'PENDING_CHANGE' | 'CURRENT_REVISION' | 'DRAFT';
  @ApiProperty({ enum: CHANGE_KINDS }) kind: string;
  @ApiProperty({ enum: ['BLUE', 'YELLOW', 'ORANGE', 'RED'] }) level: string;
  @ApiProperty({ type: [String] }) countyCodes: string[];
  @ApiProperty() effectiveAt: Date;
  @ApiProperty() rulesetId: string;
  @ApiProperty({ type: PreviewTotalsDto }) totals: PreviewTotalsDto;
  @ApiProperty({ type: [PreviewCountyDto] }) byCounty: PreviewCountyDto[];
  @ApiProperty({ type: [PreviewGradeDto] }) byGrade: PreviewGradeDto[];
  @ApiProperty({ type: [PreviewProblemDto], description: 'at most 1000' }) problems: PreviewProblemDto[];
  @ApiProperty() problemsTruncated: boolean;
  @ApiProperty({
    type: [PreviewReductionDto],
    description:
      'the selected counties as one area; each county alone is under byCounty[].reduction; empty for a lift or cancellation',
  })
  reduction: PreviewReductionDto[];
  @ApiProperty({ type: [String], description: 'selected counties without an inventory (ratio unknown)' })
  inventoryMissing: string[];
  @ApiProperty({
    type: [PreviewEscalationDto],
    description:
      'enterprises held to stricter measures (the next level’s, or added ones), per tag or place (ruleset `escalations`); empty for none',
  })
  escalated: PreviewEscalationDto[];
  @ApiProperty({
    type: PreviewCampaignMergeDto,
    nullable: true,
    description:
      'issue 18: with a campaign in force at the effective time, the enterprises whose order merges with their campaign order (the reduction above counts the merged measures); null when none is in force, for an extension, a lift or a cancellation',
  })
  campaignMerge: PreviewCampaignMergeDto | null;
}
