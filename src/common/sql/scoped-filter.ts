import { type CountyScope, scopeCountiesParam, scopeSql } from '../../auth/county-scope';

/**
 * The WHERE of a county-scoped list: the caller's scope first (`$1`), then each filter given, numbered in turn.
 * Filters are written as functions of their placeholder so a value never enters the SQL text.
 */
export class ScopedFilter {
  private readonly where: string[];
  readonly params: unknown[];

  constructor(countyColumn: string, scope: CountyScope) {
    this.where = [scopeSql(countyColumn, '$1')];
    this.params = [scopeCountiesParam(scope)];
  }

  /** `sql` gets the value's placeholder, e.g. (p) => `d.kind = ${p}`. */
  add(sql: (placeholder: string) => string, value: unknown): this {
    this.params.push(value);
    this.where.push(sql(`$${this.params.length}`));
    return this;
  }

  /** A condition without a value (IS NULL / IS NOT NULL). */
  raw(condition: string): this {
    this.where.push(condition);
    return this;
  }

  get sql(): string {
    return this.where.join(' AND ');
  }
}

/** The LIMIT/OFFSET of a page (1-based), both numbers the DTO has bounded. */
export function pageSql(page: number, pageSize: number): string {
  return `LIMIT ${Math.trunc(pageSize)} OFFSET ${(Math.trunc(page) - 1) * Math.trunc(pageSize)}`;
}
