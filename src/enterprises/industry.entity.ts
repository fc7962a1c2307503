import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One of the 39 key industries of the 2020 performance-grading guide, or OTHER. */
@Entity('industry')
export class Industry {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  /** FERROUS, NON_FERROUS, BUILDING_MATERIALS, CHEMICAL, LIGHT, COATING or OTHER. */
  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'key_industry', type: 'boolean' })
  keyIndustry: boolean;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}
