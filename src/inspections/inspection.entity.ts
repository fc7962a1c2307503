import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Alert } from '../alerts/alert.entity';
import { User } from '../auth/user.entity';
import { Enterprise } from '../enterprises/enterprise.entity';
import type { Grade } from '../enterprises/enterprise.types';
import { ReductionOrder } from '../orders/order.entity';
import type { PickReason } from './inspection-plan.rules';
import type { InspectionResult, ReviewDecision, ReviewState } from './inspection.rules';

/** One draw of a warning's inspection plan (检查计划): its seed and size, so it can be drawn again the same. */
@Entity('inspection_plan')
@Unique('uq_inspection_plan_number', ['alertId', 'number'])
export class InspectionPlan {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_inspection_plan' })
  id: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert)
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_inspection_plan_alert' })
  alert: Alert;

  /** 1 for the warning's first draw, and on: the latest plan is the highest. */
  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'bigint' })
  seed: string;

  @Column({ type: 'integer' })
  size: number;

  /** How many enterprises with orders in force it was drawn from. */
  @Column({ type: 'integer' })
  population: number;

  /** The weight table it was drawn with (INSPECTION_WEIGHTS at the time). */
  @Column({ type: 'jsonb' })
  weights: Record<string, unknown>;

  @Column({ name: 'drawn_by_id', type: 'uuid' })
  drawnById: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'drawn_by_id', foreignKeyConstraintName: 'fk_inspection_plan_user' })
  drawnBy: User;

  @Column({ name: 'drawn_by_name', type: 'text' })
  drawnByName: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One pick of a plan, in rank order, with its weight and the reasons it was weighed so. */
@Entity('inspection_plan_item')
export class InspectionPlanItem {
  @PrimaryColumn({ name: 'plan_id', type: 'uuid', primaryKeyConstraintName: 'pk_inspection_plan_item' })
  planId: string;

  @ManyToOne(() => InspectionPlan)
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'fk_inspection_plan_item_plan' })
  plan: InspectionPlan;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_inspection_plan_item' })
  rank: number;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => ReductionOrder)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_inspection_plan_item_order' })
  order: ReductionOrder;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Enterprise)
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_inspection_plan_item_enterprise' })
  enterprise: Enterprise;

  @Column({ type: 'double precision' })
  weight: number;

  @Column({ name: 'sample_key', type: 'double precision' })
  sampleKey: number;

  @Column({ type: 'text', array: true })
  reasons: PickReason[];

  @Column({ name: 'reason_text', type: 'text' })
  reasonText: string;
}

/** An inspection of an order (现场检查): when, by whom, what was found, the result and any rectification (整改). */
@Entity('inspection')
@Index('idx_inspection_order', ['orderId', 'inspectedAt'])
@Index('idx_inspection_alert', ['alertId', 'inspectedAt'])
@Index('idx_inspection_enterprise_result', ['enterpriseId', 'result'])
export class Inspection {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_inspection' })
  id: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => ReductionOrder)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_inspection_order' })
  order: ReductionOrder;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert)
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_inspection_alert' })
  alert: Alert;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Enterprise)
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_inspection_enterprise' })
  enterprise: Enterprise;

  @Column({ name: 'inspected_at', type: 'timestamptz' })
  inspectedAt: Date;

  @Column({ type: 'text', array: true })
  inspectors: string[];

  @Column({ type: 'text' })
  findings: string;

  @Column({ type: 'text' })
  result: InspectionResult;

  @Column({ name: 'rectification_required', type: 'boolean', default: false })
  rectificationRequired: boolean;

  @Column({ name: 'rectification_deadline', type: 'timestamptz', nullable: true })
  rectificationDeadline: Date | null;

  @Column({ name: 'rectification_closed_at', type: 'timestamptz', nullable: true })
  rectificationClosedAt: Date | null;

  @Column({ name: 'rectification_note', type: 'text', nullable: true })
  rectificationNote: string | null;

  @Column({ name: 'rectification_closed_by_name', type: 'text', nullable: true })
  rectificationClosedByName: string | null;

  @Column({ name: 'recorded_by_id', type: 'uuid' })
  recordedById: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'recorded_by_id', foreignKeyConstraintName: 'fk_inspection_user' })
  recordedBy: User;

  @Column({ name: 'recorded_by_name', type: 'text' })
  recordedByName: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A photo of an inspection, numbered from 1; the bytes are in the PhotoStore under `storage_key`. */
@Entity('inspection_photo')
export class InspectionPhoto {
  @PrimaryColumn({ name: 'inspection_id', type: 'uuid', primaryKeyConstraintName: 'pk_inspection_photo' })
  inspectionId: string;

  @ManyToOne(() => Inspection)
  @JoinColumn({ name: 'inspection_id', foreignKeyConstraintName: 'fk_inspection_photo_inspection' })
  inspection: Inspection;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_inspection_photo' })
  n: number;

  @Column({ name: 'media_type', type: 'text' })
  mediaType: string;

  @Column({ type: 'integer' })
  bytes: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  @Column({ name: 'original_name', type: 'text', nullable: true })
  originalName: string | null;

  @Column({ name: 'uploaded_by_name', type: 'text' })
  uploadedByName: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** An enterprise put up for a 绩效分级 downgrade by a violation found during a warning, and the decision on it. */
@Entity('grade_review')
@Unique('uq_grade_review_inspection', ['inspectionId'])
@Index('idx_grade_review_state', ['state', 'createdAt'])
export class GradeReview {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_grade_review' })
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Enterprise)
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_grade_review_enterprise' })
  enterprise: Enterprise;

  @Column({ name: 'inspection_id', type: 'uuid' })
  inspectionId: string;

  @ManyToOne(() => Inspection)
  @JoinColumn({ name: 'inspection_id', foreignKeyConstraintName: 'fk_grade_review_inspection' })
  inspection: Inspection;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => ReductionOrder)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_grade_review_order' })
  order: ReductionOrder;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert)
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_grade_review_alert' })
  alert: Alert;

  @Column({ name: 'grade_at_review', type: 'text' })
  gradeAtReview: Grade;

  @Column({ type: 'text', default: 'PENDING' })
  state: ReviewState;

  @Column({ type: 'text', nullable: true })
  decision: ReviewDecision | null;

  @Column({ name: 'new_grade', type: 'text', nullable: true })
  newGrade: Grade | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'decided_by_id', type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'decided_by_id', foreignKeyConstraintName: 'fk_grade_review_user' })
  decidedBy: User;

  @Column({ name: 'decided_by_name', type: 'text', nullable: true })
  decidedByName: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
