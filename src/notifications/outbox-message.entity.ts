import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { MessageKind, MessageState } from './outbox.rules';

/** One email to send, exactly once; its id is the email's Message-ID. */
@Entity('outbox_message')
@Index('idx_outbox_message_due', ['nextAttemptAt'], { where: "state IN ('QUEUED', 'RETRYING')" })
@Index('idx_outbox_message_lease', ['leaseUntil'], { where: "state = 'SENDING'" })
@Index('idx_outbox_message_order', ['orderId'])
@Index('idx_outbox_message_failed', ['alertId'], { where: "state = 'FAILED'" })
@Index('idx_outbox_message_alert_kind', ['alertId', 'kind'])
export class OutboxMessage {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId: string | null;

  @Column({ type: 'text' })
  kind: MessageKind;

  @Column({ type: 'text', array: true })
  recipients: string[];

  /** Extra render data for messages without an order (escalations). */
  @Column({ type: 'jsonb', nullable: true })
  context: Record<string, unknown> | null;

  @Column({ type: 'text' })
  state: MessageState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Every state change of a message, for the delivery history auditors read. */
@Entity('outbox_message_history')
@Index('idx_outbox_message_history_message', ['messageId'])
export class OutboxMessageHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState: MessageState | null;

  @Column({ name: 'to_state', type: 'text' })
  toState: MessageState;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}
