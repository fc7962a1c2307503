import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Refused (throttled) logins of one username from one address since the first refusal of the episode. The first
 * refusal is written to the audit log at once; the later ones are only counted here, and the count is written
 * when the episode ends (a window after its first refusal) or at the pair's next recorded login event.
 */
@Entity('login_throttle')
@Index('idx_login_throttle_since', ['refusedSince'])
export class LoginThrottle {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_login_throttle' })
  username: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_login_throttle' })
  ip: string;

  @Column({ name: 'refused_since', type: 'timestamptz' })
  refusedSince: Date;

  @Column({ name: 'last_refused_at', type: 'timestamptz' })
  lastRefusedAt: Date;

  @Column({ type: 'int' })
  refusals: number;
}
