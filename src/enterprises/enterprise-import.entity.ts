import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One accepted upload of the reduction list. */
@Entity('enterprise_import')
export class EnterpriseImport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'text' })
  format: 'xlsx' | 'csv';

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'int' })
  rows: number;

  @Column({ type: 'int' })
  created: number;

  @Column({ type: 'int' })
  updated: number;

  /** Enterprises of the file identical to what was stored, left alone. */
  @Column({ type: 'int', default: 0 })
  unchanged: number;

  @Column({ type: 'int' })
  measures: number;

  @Column({ type: 'jsonb' })
  warnings: unknown[];

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
