import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Alert, AlertRevision } from '../alerts/alert.entity';
import type { WarningLevel } from '../rulesets/ruleset.types';
import type { CountySummary, PartyKind, PartyNoticeKind, PartyState } from './party.rules';

/** A city department the plan assigns duties to (住建, 交通, 公安交警 …): reference data the admin keeps. */
@Entity('department')
export class Department {
  /** A stable code the rulesets' duties name (e.g. ZHUJIAN). */
  @PrimaryColumn({ type: 'varchar', length: 20, primaryKeyConstraintName: 'pk_department' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** Where its notices go; none, and it gets no email (its notice is still recorded). */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;

  /** Left out of the list the admin last saved: kept for the notices it received, sent nothing new. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One notice of a warning revision (or of its expiry) to a county bureau or a city department, and its receipt. */
@Entity('party_notice')
@Index('idx_party_notice_alert', ['alertId'])
@Index('idx_party_notice_message', ['messageId'])
@Index('idx_party_notice_unconfirmed', ['receiptDueAt'], { where: "state IN ('PENDING', 'SENT')" })
export class PartyNotice {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_party_notice' })
  id: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert)
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_party_notice_alert' })
  alert: Alert;

  /** The revision that set it off; null for the notice of a warning's expiry (no revision decided that). */
  @Column({ name: 'revision_id', type: 'uuid', nullable: true })
  revisionId: string | null;

  @ManyToOne(() => AlertRevision)
  @JoinColumn({ name: 'revision_id', foreignKeyConstraintName: 'fk_party_notice_revision' })
  revision: AlertRevision | null;

  @Column({ name: 'notice_kind', type: 'text' })
  noticeKind: PartyNoticeKind;

  @Column({ name: 'party_kind', type: 'text' })
  partyKind: PartyKind;

  /** The county's code or the department's. */
  @Column({ name: 'party_code', type: 'varchar', length: 20 })
  partyCode: string;

  /** The bureau's or department's name as it was when notified. */
  @Column({ name: 'party_name', type: 'text' })
  partyName: string;

  @Column({ type: 'text' })
  level: WarningLevel;

  /** The duties the notice gave this party (Chinese text, as sent). */
  @Column({ type: 'jsonb' })
  duties: string[];

  /** A county notice: its enterprises in scope by grade and their measures, as sent. */
  @Column({ type: 'jsonb', nullable: true })
  summary: CountySummary | null;

  @Column({ type: 'text', array: true })
  recipients: string[];

  @Column({ type: 'text' })
  state: PartyState;

  /** The notice's outbox message (none without recipients). */
  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'receipt_due_at', type: 'timestamptz' })
  receiptDueAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  /** 签收人 and 联系电话, as the party gave them when confirming. */
  @Column({ name: 'signer_name', type: 'text', nullable: true })
  signerName: string | null;

  @Column({ name: 'signer_phone', type: 'text', nullable: true })
  signerPhone: string | null;

  /** When the party was reminded (and the duty office told) after its receipt deadline passed. */
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
