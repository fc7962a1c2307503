import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Alert } from '../alerts/alert.entity';
import { User } from '../auth/user.entity';
import { ReductionOrder } from '../orders/order.entity';
import type { FollowUpKind, FollowUpOutcome } from './follow-up.rules';

/**
 * One follow-up of a reduction order (跟进记录): a phone call, a visit or a note, with its outcome, by a person.
 * Written once, never edited; its warning is kept beside the order so a warning's follow-ups list as a set.
 */
@Entity('order_follow_up')
@Index('idx_order_follow_up_order', ['orderId', 'happenedAt'])
@Index('idx_order_follow_up_alert', ['alertId', 'happenedAt'])
export class OrderFollowUp {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_order_follow_up' })
  id: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => ReductionOrder)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_order_follow_up_order' })
  order: ReductionOrder;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert)
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_order_follow_up_alert' })
  alert: Alert;

  @Column({ type: 'text' })
  kind: FollowUpKind;

  @Column({ type: 'text' })
  outcome: FollowUpOutcome;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Whom they spoke to or met at the enterprise. */
  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName: string | null;

  @Column({ name: 'happened_at', type: 'timestamptz' })
  happenedAt: Date;

  @Column({ name: 'recorded_by_id', type: 'uuid' })
  recordedById: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'recorded_by_id', foreignKeyConstraintName: 'fk_order_follow_up_user' })
  recordedBy: User;

  /** The recorder's name as it was (a list shows it without a join). */
  @Column({ name: 'recorded_by_name', type: 'text' })
  recordedByName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Order of recording: breaks ties between follow-ups of the same time (the clock may give two the same). */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
  })
  seq: string;
}
