import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WarningLevel } from '../rulesets/ruleset.types';
import type { OrderMeasure, OrderState, NoticeType } from './order.rules';

/**
 * One enterprise's reduction order for one warning revision: the measures it must take (a snapshot of its
 * plan for the level), when, and by when it must confirm and report. A later revision supersedes it.
 */
@Entity('reduction_order')
@Index('uq_reduction_order_revision_enterprise', ['revisionId', 'enterpriseId'], { unique: true })
@Index('idx_reduction_order_alert_state', ['alertId', 'state'])
@Index('idx_reduction_order_enterprise', ['enterpriseId'])
export class ReductionOrder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @Column({ name: 'revision_id', type: 'uuid' })
  revisionId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'county_code', type: 'varchar', length: 12 })
  countyCode: string;

  @Column({ type: 'text' })
  level: WarningLevel;

  @Column({ name: 'notice_type', type: 'text' })
  noticeType: NoticeType;

  @Column({ type: 'text' })
  state: OrderState;

  /** Why the duty officer must look at it: NO_PLAN (no measures for the level) or NO_EMAIL. */
  @Column({ type: 'text', nullable: true })
  problem: 'NO_PLAN' | 'NO_EMAIL' | null;

  @Column({ type: 'jsonb' })
  measures: OrderMeasure[];

  /** The level whose plan measures the order carries: the warning's, or the next one up when escalated (issue 18). */
  @Column({ name: 'measure_level', type: 'text', nullable: true })
  measureLevel: string | null;

  /** The tags and places that escalated it (DIFFERENTIATED_CONTROL … JOINT_CONTROL_AREA); empty when none. */
  @Column({ name: 'escalated_by', type: 'text', array: true, default: () => "'{}'" })
  escalatedBy: string[];

  /** The grade it treated the enterprise as: lower than its own for a GRADE_LOWER reason (issue 18). */
  @Column({ name: 'grade_taken', type: 'text', nullable: true })
  gradeTaken: string | null;

  /** Why it carries these measures, in Chinese, for the notice: a campaign's decision (grade, tags, place). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reasons: string[];

  /**
   * A campaign's order written while a warning was in force before 1795900002500: what its notice says of the warning
   * and of the stricter measure that applies while it lasts; null otherwise (later orders name the warning's order).
   */
  @Column({ name: 'during_warning', type: 'text', nullable: true })
  duringWarning: string | null;

  /**
   * A campaign's order written while a warning is in force (issue 18): that warning's order for the enterprise, from
   * which its notice says what applies while the warning lasts (duringWarningSentence); null otherwise.
   */
  @Column({ name: 'during_warning_order_id', type: 'uuid', nullable: true })
  duringWarningOrderId: string | null;

  @Column({ type: 'text', array: true })
  recipients: string[];

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt: Date;

  @Column({ name: 'receipt_due_at', type: 'timestamptz', nullable: true })
  receiptDueAt: Date | null;

  @Column({ name: 'report_due_at', type: 'timestamptz', nullable: true })
  reportDueAt: Date | null;

  @Column({ name: 'supersedes_order_id', type: 'uuid', nullable: true })
  supersedesOrderId: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  @Column({ name: 'executed_at', type: 'timestamptz', nullable: true })
  executedAt: Date | null;

  /** Who signed for the notice (签收人) and their phone, as they gave them on the ack page. */
  @Column({ name: 'received_by_name', type: 'text', nullable: true })
  receivedByName: string | null;

  @Column({ name: 'received_by_phone', type: 'text', nullable: true })
  receivedByPhone: string | null;

  /** Who reported the measures in place, and their phone. */
  @Column({ name: 'reported_by_name', type: 'text', nullable: true })
  reportedByName: string | null;

  @Column({ name: 'reported_by_phone', type: 'text', nullable: true })
  reportedByPhone: string | null;

  @Column({ name: 'measures_in_place_at', type: 'timestamptz', nullable: true })
  measuresInPlaceAt: Date | null;

  @Column({ name: 'report_note', type: 'text', nullable: true })
  reportNote: string | null;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
