import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numericColumn } from '../database/numeric.transformer';

/** The city's code in GB/T 2260; the inventory row for the whole city uses it. */
export const CITY_AREA_CODE = '141100';

/**
 * Total emissions of the whole society (全社会排放总量) per pollutant, kg/d, for the city or one county:
 * the denominator of the adequacy ratios.
 */
@Entity('emission_inventory')
export class EmissionInventory {
  @PrimaryColumn({ name: 'area_code', type: 'varchar', length: 12 })
  areaCode: string;

  @Column({ ...numericColumn(16, 3) })
  so2: number;

  @Column({ ...numericColumn(16, 3) })
  nox: number;

  @Column({ ...numericColumn(16, 3) })
  pm: number;

  @Column({ ...numericColumn(16, 3) })
  vocs: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
