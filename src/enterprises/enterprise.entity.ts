import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { numericColumn } from '../database/numeric.transformer';
import { County } from '../regions/county.entity';
import type { Contact, Grade, ProductionLine } from './enterprise.types';
import { Industry } from './industry.entity';

/** An industrial enterprise on the reduction list (应急减排清单). Archived, never deleted. */
@Entity('enterprise')
@Index('idx_enterprise_county', ['countyCode'])
@Index('idx_enterprise_industry', ['industryCode'])
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_enterprise_credit_code', { unique: true })
  @Column({ name: 'credit_code', type: 'varchar', length: 18 })
  creditCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'industry_code', type: 'varchar', length: 40 })
  industryCode: string;

  @ManyToOne(() => Industry)
  @JoinColumn({ name: 'industry_code', foreignKeyConstraintName: 'fk_enterprise_industry' })
  industry: Industry;

  @Column({ name: 'county_code', type: 'varchar', length: 12 })
  countyCode: string;

  @ManyToOne(() => County)
  @JoinColumn({ name: 'county_code', foreignKeyConstraintName: 'fk_enterprise_county' })
  county: County;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'text' })
  grade: Grade;

  @Column({ name: 'is_protected', type: 'boolean', default: false })
  isProtected: boolean;

  @Column({ name: 'protected_reason', type: 'text', nullable: true })
  protectedReason: string | null;

  /** Approved maximum load for protected enterprises, percent of capacity. */
  @Column({ name: 'protected_max_load', ...numericColumn(5, 2), nullable: true })
  protectedMaxLoad: number | null;

  @Column({ name: 'control_tags', type: 'text', array: true, default: () => "'{}'" })
  controlTags: string[];

  @Column({ type: 'jsonb' })
  contacts: Contact[];

  @Column({ type: 'jsonb' })
  lines: ProductionLine[];

  @Column({ name: 'baseline_so2', ...numericColumn(14, 3) })
  baselineSo2: number;

  @Column({ name: 'baseline_nox', ...numericColumn(14, 3) })
  baselineNox: number;

  @Column({ name: 'baseline_pm', ...numericColumn(14, 3) })
  baselinePm: number;

  @Column({ name: 'baseline_vocs', ...numericColumn(14, 3) })
  baselineVocs: number;

  @Column({ type: 'boolean', default: false })
  archived: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
