import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const ACTOR_TYPES = ['USER', 'SYSTEM', 'ENTERPRISE', 'ANONYMOUS'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * One append-only, hash-chained record of something that happened. The database rejects UPDATE,
 * DELETE and TRUNCATE on this table (trigger in the foundation migration).
 */
@Entity('audit_entry')
@Index('idx_audit_entry_occurred_at', ['occurredAt'])
@Index('idx_audit_entry_action', ['action'])
@Index('idx_audit_entry_subject', ['subjectType', 'subjectId'])
@Index('idx_audit_entry_alert', ['alertId'])
@Index('idx_audit_entry_actor', ['actorName'])
// The log filtered by kind of actor, newest first (an enterprise's few entries among many).
@Index('idx_audit_entry_actor_type_id', ['actorType', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: ActorType;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'text', nullable: true })
  actorName: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'subject_type', type: 'text', nullable: true })
  subjectType: string | null;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId: string | null;

  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Index('uq_audit_entry_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  hash: string;
}

/** The chain's head (last id and hash), one row; its row lock serialises appends. */
@Entity('audit_chain_head')
@Check('ck_audit_chain_head_single', '"id" = 1')
export class AuditChainHead {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ name: 'last_id', type: 'bigint', nullable: true })
  lastId: string | null;

  @Column({ name: 'hash', type: 'char', length: 64 })
  hash: string;

  @Column({ name: 'entry_count', type: 'bigint', default: 0 })
  entryCount: string;
}

/**
 * A copy of the chain head taken at a moment (daily by the scheduler): the anchored entry must still be in
 * the log with that hash. Someone able to cut the log's tail and rewrite `audit_chain_head` to match would
 * otherwise leave a shorter chain that verifies. Append-only, like the log.
 */
@Entity('audit_anchor')
export class AuditAnchor {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'anchored_at', type: 'timestamptz' })
  anchoredAt: Date;

  @Column({ name: 'entry_id', type: 'bigint' })
  entryId: string;

  @Column({ name: 'entry_hash', type: 'char', length: 64 })
  entryHash: string;

  @Column({ name: 'entry_count', type: 'bigint' })
  entryCount: string;
}
