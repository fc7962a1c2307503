import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { numericColumn } from '../database/numeric.transformer';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { Enterprise } from './enterprise.entity';
import type { MeasureAction, MeasureParams, VerificationMethod } from './enterprise.types';
import type { PlanWarning } from './plan-monotony.rules';

/**
 * One version of an enterprise's plan (一企一策), e.g. for list season "2025-2026". Editing or importing
 * a plan adds a version; exactly one is current.
 */
@Entity('plan_version')
@Index('uq_plan_version_number', ['enterpriseId', 'version'], { unique: true })
@Index('uq_plan_version_current', ['enterpriseId'], { unique: true, where: '"is_current"' })
export class PlanVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Enterprise, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_plan_version_enterprise' })
  enterprise: Enterprise;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  season: string;

  @Column({ name: 'is_current', type: 'boolean' })
  isCurrent: boolean;

  /** API, IMPORT or SEED. */
  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'import_id', type: 'uuid', nullable: true })
  importId: string | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  /**
   * The version's measures per level, already in the shape an order carries (reduction-list.writer).
   * Written with the measures and never changed (versions are immutable), so approving a warning copies
   * one value per enterprise instead of aggregating its measure rows.
   */
  @Column({ name: 'level_measures', type: 'jsonb', default: () => "'{}'", select: false })
  levelMeasures: Partial<Record<WarningLevel, unknown[]>>;

  /**
   * Where a higher level of this version drops or relaxes a lower level's measure (plan-monotony.rules), worked
   * out from the measures when the version is written; the adequacy report reads these. NULL: written before
   * the column existed, worked out when read.
   */
  @Column({ type: 'jsonb', nullable: true, select: false })
  relaxations: PlanWarning[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One measure of a plan version at one warning level. */
@Entity('plan_measure')
@Index('idx_plan_measure_version', ['planVersionId'])
export class PlanMeasure {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'plan_version_id', type: 'uuid' })
  planVersionId: string;

  @ManyToOne(() => PlanVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_version_id', foreignKeyConstraintName: 'fk_plan_measure_version' })
  planVersion: PlanVersion;

  @Column({ type: 'text' })
  level: WarningLevel;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'text', nullable: true })
  line: string | null;

  @Column({ type: 'text' })
  action: MeasureAction;

  @Column({ type: 'jsonb' })
  params: MeasureParams;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'from_hour', type: 'int', nullable: true })
  fromHour: number | null;

  @Column({ name: 'to_hour', type: 'int', nullable: true })
  toHour: number | null;

  @Column({ name: 'reduction_so2', ...numericColumn(14, 3) })
  reductionSo2: number;

  @Column({ name: 'reduction_nox', ...numericColumn(14, 3) })
  reductionNox: number;

  @Column({ name: 'reduction_pm', ...numericColumn(14, 3) })
  reductionPm: number;

  @Column({ name: 'reduction_vocs', ...numericColumn(14, 3) })
  reductionVocs: number;

  @Column({ type: 'text' })
  verification: VerificationMethod;
}

/**
 * Per plan version and level, the summed reductions of its measures in force at the start of a response (elapsed
 * hour 0), written with the version (replacePlans) and read by the adequacy report; no row where none is in force.
 */
@Entity('plan_start_reduction')
export class PlanStartReduction {
  @PrimaryColumn({
    name: 'plan_version_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_plan_start_reduction',
  })
  planVersionId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_plan_start_reduction' })
  level: WarningLevel;

  @ManyToOne(() => PlanVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_version_id', foreignKeyConstraintName: 'fk_plan_start_reduction_version' })
  planVersion: PlanVersion;

  @Column({ ...numericColumn(16, 3) })
  so2: number;

  @Column({ ...numericColumn(16, 3) })
  nox: number;

  @Column({ ...numericColumn(16, 3) })
  pm: number;

  @Column({ ...numericColumn(16, 3) })
  vocs: number;
}
