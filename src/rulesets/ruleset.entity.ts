import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RulesetDefinition, WarningLevel } from './ruleset.types';

/** A versioned set of warning thresholds, reduction ratios and deadlines, in effect from a date. */
@Entity('ruleset')
export class Ruleset {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ name: 'effective_to', type: 'date', nullable: true })
  effectiveTo: string | null;

  @Column({ type: 'text', array: true })
  levels: WarningLevel[];

  @Column({ type: 'jsonb' })
  definition: RulesetDefinition;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
