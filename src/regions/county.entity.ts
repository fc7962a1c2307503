import { Column, Entity, PrimaryColumn } from 'typeorm';

/** County-level jurisdiction: district, county, county-level city, or a provincial development zone. */
export type JurisdictionKind = 'DISTRICT' | 'COUNTY' | 'CITY' | 'DEV_ZONE';

@Entity('county')
export class County {
  /** GB/T 2260 administrative code (or a local code for a development zone). */
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text' })
  kind: JurisdictionKind;

  /** 平川四县: in the Taiyuan "1+30" joint-control area, stricter measures. */
  @Column({ name: 'joint_control_area', type: 'boolean', default: false })
  jointControlArea: boolean;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;

  /** The county's ecology-environment bureau, which overdue enterprises are escalated to. */
  @Column({ name: 'bureau_name', type: 'text', nullable: true })
  bureauName: string | null;

  @Column({ name: 'bureau_email', type: 'text', nullable: true })
  bureauEmail: string | null;

  /** Printed in every notice to the county's enterprises as the local contact. */
  @Column({ name: 'bureau_phone', type: 'text', nullable: true })
  bureauPhone: string | null;
}
