import { COUNTY_SCOPED_ROLES } from './roles';

/**
 * Which counties' rows a caller sees and acts on: every county (city-wide roles) or only these (a county bureau
 * officer, 县级分局). Made from the session's user in the controller and passed to the services, which apply it in
 * their SQL; templates never filter.
 */
export type CountyScope = { all: true } | { counties: string[] };

export const ALL_COUNTIES: CountyScope = { all: true };

/** The scope of a signed-in user: city-wide as soon as they hold any role that is not county-scoped. */
export function countyScopeOf(user: {
  roles: readonly string[];
  countyCodes?: readonly string[];
}): CountyScope {
  const cityWide = user.roles.some((r) => !(COUNTY_SCOPED_ROLES as readonly string[]).includes(r));
  return cityWide ? ALL_COUNTIES : { counties: [...(user.countyCodes ?? [])] };
}

/** Whether a row of this county is within the scope. */
export function inCountyScope(scope: CountyScope, countyCode: string): boolean {
  return 'all' in scope || scope.counties.includes(countyCode);
}

/** The scope as an SQL parameter: null for every county, else the county codes (`county_code = ANY($n)`). */
export function scopeCountiesParam(scope: CountyScope): string[] | null {
  return 'all' in scope ? null : scope.counties;
}

/** The SQL condition on a county column for a parameter holding `scopeCountiesParam`. */
export const scopeSql = (column: string, param: string): string =>
  `(${param}::varchar[] IS NULL OR ${column} = ANY(${param}::varchar[]))`;
