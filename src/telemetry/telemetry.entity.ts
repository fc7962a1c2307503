import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../auth/user.entity';
import { numericColumn } from '../database/numeric.transformer';
import { Enterprise } from '../enterprises/enterprise.entity';
import { County } from '../regions/county.entity';
import type { MeteringPointKind } from './metering-point.rules';

/**
 * What a meter measures at an enterprise (计量点): a production line's power (分表计电) or an outlet's
 * concentrations (CEMS). The county is kept beside it so a county's points and readings list without a join.
 */
@Entity('metering_point')
@Unique('uq_metering_point_code', ['enterpriseId', 'code'])
@Index('idx_metering_point_county', ['countyCode'])
export class MeteringPoint {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_metering_point' })
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Enterprise)
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_metering_point_enterprise' })
  enterprise: Enterprise;

  @Column({ name: 'county_code', type: 'varchar', length: 12 })
  countyCode: string;

  @ManyToOne(() => County)
  @JoinColumn({ name: 'county_code', foreignKeyConstraintName: 'fk_metering_point_county' })
  county: County;

  @Column({ type: 'text' })
  kind: MeteringPointKind;

  /** The line's code (JL1) or the outlet's (DA001), unique within the enterprise. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** A line's power at normal production, kW. */
  @Column({ name: 'normal_power_kw', ...numericColumn(14, 3), nullable: true })
  normalPowerKw: number | null;

  /** An outlet's limits, mg/m³. */
  @Column({ name: 'limit_so2', ...numericColumn(12, 3), nullable: true })
  limitSo2: number | null;

  @Column({ name: 'limit_nox', ...numericColumn(12, 3), nullable: true })
  limitNox: number | null;

  @Column({ name: 'limit_pm', ...numericColumn(12, 3), nullable: true })
  limitPm: number | null;

  @Column({ name: 'limit_vocs', ...numericColumn(12, 3), nullable: true })
  limitVocs: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A metering platform or system that pushes readings, scoped to one county or one enterprise. Only the
 * sha256 of its key is kept; the prefix lets people tell keys apart.
 */
@Entity('telemetry_source')
// A source is scoped to exactly one county or one enterprise.
@Check('chk_telemetry_source_scope', '("county_code" IS NULL) <> ("enterprise_id" IS NULL)')
@Unique('uq_telemetry_source_key_hash', ['keyHash'])
export class TelemetrySource {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_telemetry_source' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'county_code', type: 'varchar', length: 12, nullable: true })
  countyCode: string | null;

  @ManyToOne(() => County)
  @JoinColumn({ name: 'county_code', foreignKeyConstraintName: 'fk_telemetry_source_county' })
  county: County | null;

  @Column({ name: 'enterprise_id', type: 'uuid', nullable: true })
  enterpriseId: string | null;

  @ManyToOne(() => Enterprise)
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_telemetry_source_enterprise' })
  enterprise: Enterprise | null;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix: string;

  @Column({ name: 'created_by_id', type: 'uuid' })
  createdById: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'fk_telemetry_source_user' })
  createdBy: User;

  @Column({ name: 'created_by_name', type: 'text' })
  createdByName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by_name', type: 'text', nullable: true })
  revokedByName: string | null;
}
