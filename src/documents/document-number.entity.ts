import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The yearly counter of released notices' 文号, one row per issuer prefix and Beijing year. Taken with one
 * INSERT … ON CONFLICT DO UPDATE inside the releasing transaction: the row lock orders concurrent releases on
 * any number of instances, and a rolled-back release gives its number back (unique and gap-free).
 */
@Entity('document_number_counter')
@Check('chk_document_number_counter_last', '"last_number" >= 1')
export class DocumentNumberCounter {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_document_number_counter' })
  prefix: string;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'pk_document_number_counter' })
  year: number;

  /** The last number given in that year (the next is last + 1). */
  @Column({ name: 'last_number', type: 'int' })
  lastNumber: number;
}
