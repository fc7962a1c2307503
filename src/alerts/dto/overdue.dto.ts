import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_KINDS } from '../alert.rules';

/** Response of GET /api/dashboard/overdue (documentation only: the service builds plain objects of this shape). */
export class OverdueApprovalDto {
  @ApiProperty() alertId: string;
  @ApiProperty({ example: '2026-012' }) alertCode: string;
  @ApiProperty() changeId: string;
  @ApiProperty({ enum: CHANGE_KINDS }) kind: string;
  @ApiProperty({ example: '发布' }) kindName: string;
  @ApiProperty() proposedAt: Date;
  @ApiProperty() proposedBy: string;
  @ApiProperty({ description: "the warning's ruleset approval.draftToApprovalHours" }) limitHours: number;
  @ApiProperty({ description: 'hours since the proposal, two decimals' }) waitedHours: number;
  @ApiProperty({ example: '待审批已超过2小时(已等待3.5小时)' }) text: string;
}

export class OverdueReleaseDto {
  @ApiProperty() alertId: string;
  @ApiProperty({ example: '2026-012' }) alertCode: string;
  @ApiProperty() revisionId: string;
  @ApiProperty() seq: number;
  @ApiProperty({ enum: CHANGE_KINDS }) kind: string;
  @ApiProperty({ example: '发布' }) kindName: string;
  @ApiProperty() approvedAt: Date;
  @ApiProperty({ description: 'its notices not yet handed to SMTP (queued, sending, retrying or failed)' })
  unsent: number;
  @ApiProperty({ description: "the warning's ruleset approval.approvalToReleaseHours" }) limitHours: number;
  @ApiProperty({ description: 'hours since approval, two decimals' }) waitedHours: number;
  @ApiProperty({ example: '批准后已超过2小时仍有3份通知未发出(批准后2.5小时)' }) text: string;
}

export class OverdueReportDto {
  @ApiProperty() at: Date;
  @ApiProperty({ type: [OverdueApprovalDto] }) approvals: OverdueApprovalDto[];
  @ApiProperty({ type: [OverdueReleaseDto] }) releases: OverdueReleaseDto[];
}
