import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An uploaded reduction list kept between its preview and the 确认导入 that commits it: the file itself (so
 * the commit reads the very bytes that were previewed) and the digest of what the preview showed. Its id is
 * the random token in the confirm form; it belongs to the user who uploaded it and expires.
 */
@Entity('enterprise_import_preview')
@Index('idx_enterprise_import_preview_expires', ['expiresAt'])
export class EnterpriseImportPreview {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_enterprise_import_preview' })
  id: string;

  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'bytea' })
  content: Buffer;

  @Column({ type: 'char', length: 64 })
  digest: string;

  /** The uploader's user id: nobody else may confirm it. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
