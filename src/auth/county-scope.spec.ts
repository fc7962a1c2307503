import { countyScopeOf, inCountyScope, scopeCountiesParam } from './county-scope';

describe('countyScopeOf', () => {
  it('gives a county officer their own counties only', () => {
    const scope = countyScopeOf({ roles: ['COUNTY_OFFICER'], countyCodes: ['141126'] });
    expect(scope).toEqual({ counties: ['141126'] });
    expect(inCountyScope(scope, '141126')).toBe(true);
    expect(inCountyScope(scope, '141181')).toBe(false);
    expect(scopeCountiesParam(scope)).toEqual(['141126']);
  });

  it('gives city-wide roles every county, also when they hold a county role beside', () => {
    for (const roles of [['DUTY_OFFICER'], ['AUDITOR'], ['COUNTY_OFFICER', 'COMMANDER']]) {
      const scope = countyScopeOf({ roles, countyCodes: ['141126'] });
      expect(scope).toEqual({ all: true });
      expect(inCountyScope(scope, '141181')).toBe(true);
      expect(scopeCountiesParam(scope)).toBeNull();
    }
  });

  it('lets a county officer without counties see nothing', () => {
    const scope = countyScopeOf({ roles: ['COUNTY_OFFICER'] });
    expect(inCountyScope(scope, '141126')).toBe(false);
    expect(scopeCountiesParam(scope)).toEqual([]);
  });
});
