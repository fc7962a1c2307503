import { ApiProperty } from '@nestjs/swagger';
import { WARNING_LEVELS } from '../../rulesets/ruleset.types';
import { ALERT_STATUSES, CHANGE_KINDS } from '../alert.rules';

// The warning as GET /api/alerts/{id} answers it (AlertView in alert-views.service.ts). Times are ISO 8601.
const time = { type: String, format: 'date-time' } as const;
const nullableTime = { ...time, nullable: true } as const;
const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class LiftOverrideDto {
  @ApiProperty() reason: string;
  @ApiProperty() by: string;
  @ApiProperty(time) at: string;
}

export class LiftCheckViewDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() message: string;
  @ApiProperty({ type: String, nullable: true }) consultationId: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) requiredHours: number | null;
  @ApiProperty({ type: String, nullable: true }) cleanCondition: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: '各区县:名称、cleanHours、requiredHours',
  })
  counties: object[];
  @ApiProperty({ type: LiftOverrideDto, nullable: true }) override: LiftOverrideDto | null;
}

export class ChangeViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CHANGE_KINDS }) kind: string;
  @ApiProperty({ enum: ['PENDING', 'APPROVED', 'REJECTED'] }) status: string;
  @ApiProperty({ enum: [...WARNING_LEVELS, 'NONE'] }) level: string;
  @ApiProperty({ type: [String], example: ['141102'] }) countyCodes: string[];
  @ApiProperty(time) effectiveAt: string;
  @ApiProperty(nullableTime) expectedEndAt: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true }) consultationId: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    nullable: true,
    description: '会商给出的各区县建议',
  })
  recommendation: object[] | null;
  @ApiProperty({ type: LiftCheckViewDto, nullable: true }) liftCheck: LiftCheckViewDto | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: '提前量不足时:剩余小时数与规则要求',
  })
  leadTimeShort: object | null;
  @ApiProperty() proposedBy: string;
  @ApiProperty(time) proposedAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty(nullableTime) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
}

export class RevisionViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ enum: CHANGE_KINDS }) kind: string;
  @ApiProperty({ example: '发布' }) kindName: string;
  @ApiProperty({ enum: [...WARNING_LEVELS, 'NONE'] }) level: string;
  @ApiProperty({ type: [String] }) countyCodes: string[];
  @ApiProperty(time) effectiveAt: string;
  @ApiProperty(nullableTime) expectedEndAt: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true }) consultationId: string | null;
  @ApiProperty({ type: String, nullable: true }) previousRevisionId: string | null;
  @ApiProperty() proposedBy: string;
  @ApiProperty() approvedBy: string;
  @ApiProperty(time) approvedAt: string;
  @ApiProperty(nullableTime) appliedAt: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: '审批可能并非两人时的说明(message)',
  })
  twoPersonConcern: object | null;
  @ApiProperty({ type: LiftCheckViewDto, nullable: true }) liftCheck: LiftCheckViewDto | null;
  @ApiProperty({ type: String, nullable: true, example: '吕重污应急〔2026〕12号' }) documentNumber:
    string | null;
  @ApiProperty({ type: String, nullable: true }) approvalComment: string | null;
}

export class AlertDirectiveRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '晋重污应急〔2026〕3号' }) number: string;
  @ApiProperty({ enum: [...WARNING_LEVELS, 'NONE'] }) level: string;
}

export class DeliveryCountsDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty(counts) byDelivery: Record<string, number>;
}

export class OrderCountsDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty(counts) byState: Record<string, number>;
  @ApiProperty(counts) byDelivery: Record<string, number>;
  @ApiProperty({ type: 'integer' }) received: number;
  @ApiProperty({ type: 'integer' }) executed: number;
  @ApiProperty({ type: 'integer' }) noEmail: number;
  @ApiProperty({ type: 'integer' }) noPlan: number;
  @ApiProperty({ type: DeliveryCountsDto }) scheduled: DeliveryCountsDto;
  @ApiProperty({ type: DeliveryCountsDto }) endNotices: DeliveryCountsDto;
}

/** What only a campaign record has (issue 18). */
export class CampaignSpecDto {
  @ApiProperty({ enum: ['AUTUMN_WINTER', 'SUMMER_OZONE'] }) kind: string;
  @ApiProperty({ example: '秋冬季差异化错峰生产' }) kindName: string;
  @ApiProperty({ example: '2026—2027年秋冬季差异化错峰生产' }) name: string;
  @ApiProperty({ type: [String], nullable: true }) industries: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) grades: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) tags: string[] | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-06-12' }) day: string | null;
  @ApiProperty({ type: Object, nullable: true, example: { from: '10:00', to: '16:00' } })
  window: { from: string; to: string } | null;
}

export class AlertViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'LL-2026-0001' }) code: string;
  @ApiProperty({ enum: ['WARNING', 'CAMPAIGN'] }) kind: string;
  @ApiProperty({ type: CampaignSpecDto, nullable: true }) campaign: CampaignSpecDto | null;
  @ApiProperty({ enum: ALERT_STATUSES }) status: string;
  @ApiProperty({ example: '生效中' }) statusName: string;
  @ApiProperty({ enum: [...WARNING_LEVELS, 'NONE'] }) level: string;
  @ApiProperty({ example: '橙色' }) levelName: string;
  @ApiProperty({ type: [String] }) countyCodes: string[];
  @ApiProperty(time) effectiveAt: string;
  @ApiProperty(nullableTime) expectedEndAt: string | null;
  @ApiProperty(nullableTime) liftedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) expiryDocumentNumber: string | null;
  @ApiProperty() rulesetId: string;
  @ApiProperty() createdBy: string;
  @ApiProperty(time) createdAt: string;
  @ApiProperty({ type: [AlertDirectiveRefDto] }) directives: AlertDirectiveRefDto[];
  @ApiProperty({ type: ChangeViewDto, nullable: true }) pendingChange: ChangeViewDto | null;
  @ApiProperty({ type: [RevisionViewDto] }) revisions: RevisionViewDto[];
  @ApiProperty({ type: [ChangeViewDto] }) rejectedChanges: ChangeViewDto[];
  @ApiProperty({ type: OrderCountsDto }) orderCounts: OrderCountsDto;
}
