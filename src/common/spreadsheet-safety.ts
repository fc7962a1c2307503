const FORMULA_PREFIX = /^[=+\-@\t\r]/;

/** Prefixes text a spreadsheet would run as a formula with an apostrophe (CSV injection). */
export function escapeCell(value: string): string {
  return FORMULA_PREFIX.test(value) ? `'${value}` : value;
}

/** Undoes escapeCell on import, so export → import is a round trip. */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && FORMULA_PREFIX.test(value.slice(1)) ? value.slice(1) : value;
}
