import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { CampaignSpec } from '../campaigns/campaign.rules';
import type { CountyRecommendation } from '../consultations/consultation.entity';
import type { WarningLevel } from '../rulesets/ruleset.types';
import type { AlertStatus, ChangeKind } from './alert.rules';
import type { LiftCheckResult } from './lift-check.rules';
import type { LeadTimeShort } from './timing.rules';
import type { TwoPersonConcern } from './two-person.rules';

export type AlertKind = 'WARNING' | 'CAMPAIGN';

/** The level a campaign's records carry: a campaign has none (its notices name the campaign instead). */
export const CAMPAIGN_LEVEL = 'NONE' as WarningLevel;

/**
 * A heavy-pollution warning. Its current state (status, level in force, expected end) is derived from its
 * revisions as they take effect; the revisions themselves are never edited.
 */
@Entity('alert')
@Index('idx_alert_status', ['status'])
@Index('idx_alert_kind_status', ['kind', 'status'])
@Check('chk_alert_kind', `"kind" IN ('WARNING', 'CAMPAIGN')`)
@Check('chk_alert_campaign', `("kind" = 'CAMPAIGN') = ("campaign" IS NOT NULL)`)
@Index('uq_alert_expiry_document_number', ['expiryDocumentNumber'], {
  unique: true,
  where: '"expiry_document_number" IS NOT NULL',
})
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human number, e.g. 2026-003. */
  @Index('uq_alert_code', { unique: true })
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  status: AlertStatus;

  @Column({ type: 'text' })
  level: WarningLevel;

  @Column({ name: 'county_codes', type: 'varchar', length: 12, array: true })
  countyCodes: string[];

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt: Date;

  @Column({ name: 'expected_end_at', type: 'timestamptz', nullable: true })
  expectedEndAt: Date | null;

  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt: Date | null;

  @Column({ name: 'ruleset_id', type: 'varchar', length: 40 })
  rulesetId: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  /** The provincial directives it answers (its counties and time meet theirs when drafted, or named then). */
  @Column({ name: 'directive_ids', type: 'uuid', array: true, default: () => "'{}'" })
  directiveIds: string[];

  /**
   * WARNING, or CAMPAIGN: a seasonal control (issue 18) on the same pipeline, its level NONE, what only it has in
   * `campaign` (kind, name, scope).
   */
  @Column({ type: 'text', default: 'WARNING' })
  kind: AlertKind;

  @Column({ type: 'jsonb', nullable: true })
  campaign: CampaignSpec | null;

  /** The 文号 of the notice that it expired (ran to its expected end with no lift); null until then. */
  @Column({ name: 'expiry_document_number', type: 'text', nullable: true })
  expiryDocumentNumber: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A proposed change (the first issue, or an adjustment, extension, lift or cancellation) awaiting a decision. */
@Entity('alert_change')
@Index('idx_alert_change_alert', ['alertId'])
@Index('uq_alert_change_pending', ['alertId'], { unique: true, where: "status = 'PENDING'" })
export class AlertChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_alert_change_alert' })
  alert: Alert;

  @Column({ type: 'text' })
  kind: ChangeKind;

  /** PENDING, APPROVED or REJECTED. */
  @Column({ type: 'text' })
  status: 'PENDING' | 'APPROVED' | 'REJECTED';

  @Column({ type: 'text' })
  level: WarningLevel;

  @Column({ name: 'county_codes', type: 'varchar', length: 12, array: true })
  countyCodes: string[];

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt: Date;

  @Column({ name: 'expected_end_at', type: 'timestamptz', nullable: true })
  expectedEndAt: Date | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'consultation_id', type: 'uuid', nullable: true })
  consultationId: string | null;

  /** The consultation's recommendation for the counties at the time of the proposal. */
  @Column({ type: 'jsonb', nullable: true })
  recommendation: CountyRecommendation[] | null;

  /** For LIFT: whether the consultation's forecast stays below the start conditions long enough, per county. */
  @Column({ name: 'lift_check', type: 'jsonb', nullable: true })
  liftCheck: LiftCheck | null;

  /** Proposed to take effect sooner than the ruleset's lead time (提前量): the hours left and the rule's. */
  @Column({ name: 'lead_time_short', type: 'jsonb', nullable: true })
  leadTimeShort: LeadTimeShort | null;

  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy: string;

  /** Null for a proposal of the system (e.g. the lift that follows a provincial directive's lift). */
  @Column({ name: 'proposed_by_id', type: 'uuid', nullable: true })
  proposedById: string | null;

  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt: Date;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;
}

/**
 * A lift's forecast check as stored on the proposal (`alert_change.lift_check`). Checks recorded before the
 * per-county figures existed hold only ok, message and consultationId; `override` is added at approval when a
 * commander approves a lift the check does not support.
 */
export interface LiftCheck extends Partial<Omit<LiftCheckResult, 'ok' | 'message'>> {
  ok: boolean;
  message: string;
  consultationId: string | null;
  override?: LiftOverride | null;
}

/** The commander's written reason for approving a lift the forecast does not support. */
export interface LiftOverride {
  reason: string;
  by: string;
  at: Date | string;
}

/** An approved change: the warning's history, one link per change, each pointing at the one before. */
@Entity('alert_revision')
@Index('uq_alert_revision_seq', ['alertId', 'seq'], { unique: true })
@Index('idx_alert_revision_due', ['effectiveAt'], { where: 'applied_at IS NULL' })
@Index('uq_alert_revision_document_number', ['documentNumber'], {
  unique: true,
  where: '"document_number" IS NOT NULL',
})
export class AlertRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_alert_revision_alert' })
  alert: Alert;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'text' })
  kind: ChangeKind;

  @Column({ type: 'text' })
  level: WarningLevel;

  @Column({ name: 'county_codes', type: 'varchar', length: 12, array: true })
  countyCodes: string[];

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt: Date;

  @Column({ name: 'expected_end_at', type: 'timestamptz', nullable: true })
  expectedEndAt: Date | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'consultation_id', type: 'uuid', nullable: true })
  consultationId: string | null;

  @Column({ name: 'previous_revision_id', type: 'uuid', nullable: true })
  previousRevisionId: string | null;

  @Column({ name: 'change_id', type: 'uuid' })
  changeId: string;

  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy: string;

  @Column({ name: 'approved_by', type: 'text' })
  approvedBy: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt: Date;

  /** When the scheduler (or the approval itself) put it into effect. */
  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;

  /** Set when the approval may not have been two people (see two-person.rules); null otherwise. */
  @Column({ name: 'two_person_concern', type: 'jsonb', nullable: true })
  twoPersonConcern: TwoPersonConcern | null;

  /** The 文号 of the notice this revision released (null for revisions approved before numbering). */
  @Column({ name: 'document_number', type: 'text', nullable: true })
  documentNumber: string | null;
}
