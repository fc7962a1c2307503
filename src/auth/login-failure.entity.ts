import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed logins, counted per username and per address to slow down password guessing. */
@Entity('login_failure')
@Index('idx_login_failure_username', ['username', 'at'])
@Index('idx_login_failure_ip', ['ip', 'at'])
export class LoginFailure {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'text' })
  ip: string;

  @Column({ type: 'timestamptz' })
  at: Date;
}
