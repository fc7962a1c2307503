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
import type { Episode } from '../rulesets/episode.rules';
import type { Recommendation } from '../rulesets/recommendation.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

export interface Directive {
  /** Provincial dispatch order (调度令) or regional warning (区域预警). */
  kind: 'DISPATCH_ORDER' | 'REGIONAL_WARNING';
  number: string;
  level: WarningLevel;
  countyCodes: string[];
  from: string;
  to: string | null;
}

/**
 * A county's recommendation as recorded with the consultation. Those recorded before episodes existed have no
 * response, episodes or outlook.
 */
export interface CountyRecommendation extends Partial<
  Pick<Recommendation, 'response' | 'episodes' | 'outlook'>
> {
  countyCode: string;
  level: WarningLevel | null;
  reason: string;
}

/** One daily forecast consultation (每日会商) with its recommendation per county. */
@Entity('consultation')
@Index('idx_consultation_held_at', ['heldAt'])
export class Consultation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'held_at', type: 'timestamptz' })
  heldAt: Date;

  @Column({ type: 'text', array: true })
  participants: string[];

  @Column({ type: 'text' })
  opinion: string;

  @Column({ name: 'ruleset_id', type: 'varchar', length: 40 })
  rulesetId: string;

  @Column({ type: 'jsonb', nullable: true })
  directive: Directive | null;

  @Column({ type: 'jsonb' })
  recommendations: CountyRecommendation[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('consultation_forecast')
export class ConsultationForecast {
  @PrimaryColumn({ name: 'consultation_id', type: 'uuid' })
  consultationId: string;

  @ManyToOne(() => Consultation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_consultation_forecast_consultation' })
  consultation: Consultation;

  @PrimaryColumn({ name: 'county_code', type: 'varchar', length: 12 })
  countyCode: string;

  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'int' })
  aqi: number;

  @Column({ name: 'primary_pollutant', type: 'text' })
  primaryPollutant: string;
}

/** A heads-up notice (预警提示) sent from a consultation's outlook to the enterprises of some counties. */
@Entity('heads_up')
@Index('idx_heads_up_consultation', ['consultationId'])
@Index('uq_heads_up_document_number', ['documentNumber'], {
  unique: true,
  where: '"document_number" IS NOT NULL',
})
export class HeadsUp {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_heads_up' })
  id: string;

  @Column({ name: 'consultation_id', type: 'uuid' })
  consultationId: string;

  @ManyToOne(() => Consultation)
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_heads_up_consultation' })
  consultation: Consultation;

  @Column({ name: 'county_codes', type: 'varchar', length: 12, array: true })
  countyCodes: string[];

  /** The outlook episodes per county as they were when sent. */
  @Column({ type: 'jsonb' })
  outlook: Array<{ countyCode: string; episodes: Episode[] }>;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Enterprises in those counties, and the messages queued (those with an email address). */
  @Column({ type: 'int' })
  enterprises: number;

  @Column({ type: 'int' })
  messages: number;

  @Column({ name: 'sent_by', type: 'text' })
  sentBy: string;

  @Column({ name: 'sent_by_id', type: 'uuid' })
  sentById: string;

  /** The 文号 of the heads-up notice (null for those sent before numbering). */
  @Column({ name: 'document_number', type: 'text', nullable: true })
  documentNumber: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
