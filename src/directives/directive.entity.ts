import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { WarningLevel } from '../rulesets/ruleset.types';
import type { DirectiveKind } from './directive.rules';

/**
 * A provincial directive as received: a dispatch order (调度令) or a regional warning (区域预警), with its 文号, the
 * body that issued it, the level it requires of the counties it names from its start until its end or its lift.
 * Written only by the directives module; a lift is recorded on the row (once), never an edit of what was received.
 */
@Entity('directive')
@Index('idx_directive_start', ['startAt'])
export class Directive {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** 文号, trimmed, e.g. 晋气防办调〔2026〕4号. */
  @Index('uq_directive_number', { unique: true })
  @Column({ type: 'text' })
  number: string;

  /** The issuing body, e.g. 山西省大气污染防治工作领导小组办公室. */
  @Column({ type: 'text' })
  issuer: string;

  @Column({ type: 'text' })
  kind: DirectiveKind;

  @Column({ type: 'text' })
  level: WarningLevel;

  /** It names the whole city: `county_codes` holds every county at the time it was recorded. */
  @Column({ name: 'whole_city', type: 'boolean' })
  wholeCity: boolean;

  @Column({ name: 'county_codes', type: 'varchar', length: 12, array: true })
  countyCodes: string[];

  @Column({ name: 'start_at', type: 'timestamptz' })
  startAt: Date;

  /** Null: until lifted. */
  @Column({ name: 'end_at', type: 'timestamptz', nullable: true })
  endAt: Date | null;

  /** When the duty office received it (the clock of the 2-hour lead it allows, as the province counts it). */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  /** The ruleset whose levels the directive's level was checked against (in effect on the start date). */
  @Column({ name: 'ruleset_id', type: 'varchar', length: 40 })
  rulesetId: string;

  /** The duty office's note (how it arrived, who phoned, what the province asked besides the level). */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'recorded_by_id', type: 'uuid', nullable: true })
  recordedById: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** From when the province lifted it (may be ahead of the recording); null while not lifted. */
  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt: Date | null;

  @Column({ name: 'lifted_by', type: 'text', nullable: true })
  liftedBy: string | null;

  @Column({ name: 'lifted_by_id', type: 'uuid', nullable: true })
  liftedById: string | null;

  /** When the lift was recorded here. */
  @Column({ name: 'lift_recorded_at', type: 'timestamptz', nullable: true })
  liftRecordedAt: Date | null;

  @Column({ name: 'lift_reason', type: 'text', nullable: true })
  liftReason: string | null;
}
