import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Role } from './roles';

@Entity('app_user')
@Check(
  'chk_app_user_county_officer_counties',
  `NOT ('COUNTY_OFFICER' = ANY ("roles")) OR cardinality("county_codes") > 0`,
)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Lower-case login name. */
  @Index('uq_app_user_username', { unique: true })
  @Column({ type: 'text' })
  username: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** argon2id; never leaves the auth module, never written to the audit log. */
  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  /** The counties a COUNTY_OFFICER answers for (required non-empty for one); empty for city-wide roles. */
  @Column({ name: 'county_codes', type: 'varchar', length: 12, array: true, default: () => "'{}'" })
  countyCodes: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** The administrator who created the account (null: the CLI, the demo seed, or before this was kept). */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** Who set the current password (creation or reset), and when: the two-person rule checks it. */
  @Column({ name: 'password_set_by', type: 'uuid', nullable: true })
  passwordSetBy: string | null;

  @Column({ name: 'password_set_at', type: 'timestamptz', nullable: true })
  passwordSetAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
