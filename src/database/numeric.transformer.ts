import type { ColumnOptions } from 'typeorm';

/** numeric(p,s) columns read back as JS numbers (pg returns strings to keep precision). */
export function numericColumn(precision: number, scale: number): ColumnOptions {
  return {
    type: 'numeric',
    precision,
    scale,
    transformer: {
      to: (value: number | null | undefined) => value,
      from: (value: string | null) => (value === null ? null : Number(value)),
    },
  };
}
