import { countyCodesFor, userDiff, validateNewUser, validateUserChange } from './users.rules';

describe('validateNewUser', () => {
  const ok = { username: 'duty.officer-1', password: 'a-long-password', roles: ['DUTY_OFFICER'] };

  it('accepts a well-formed account', () => {
    expect(validateNewUser(ok)).toEqual([]);
  });

  it.each([
    ['Upper', 'upper case'],
    ['a', 'too short'],
    ['-dash', 'leading dash'],
    ['has space', 'space'],
    ['x'.repeat(41), 'too long'],
  ])('rejects username %p (%s)', (username) => {
    expect(validateNewUser({ ...ok, username })).toEqual([
      { field: 'username', message: expect.any(String) },
    ]);
  });

  it('needs a long password unless allowed short (demo users)', () => {
    expect(validateNewUser({ ...ok, password: 'demo' })).toEqual([
      { field: 'password', message: expect.stringContaining('10') },
    ]);
    expect(validateNewUser({ ...ok, password: 'demo' }, { allowShortPassword: true })).toEqual([]);
  });

  it('names unknown and missing roles', () => {
    expect(validateNewUser({ ...ok, roles: ['ROOT'] })).toEqual([
      { field: 'roles', message: expect.stringContaining('ROOT') },
    ]);
    expect(validateNewUser({ ...ok, roles: [] })).toEqual([{ field: 'roles', message: expect.any(String) }]);
  });
});

describe('validateUserChange and userDiff', () => {
  it('refuses empty names, unknown or no roles, and an administrator locking themselves out', () => {
    expect(
      validateUserChange({ displayName: ' ' }, { self: false, currentRoles: [] }).map((e) => e.field),
    ).toEqual(['displayName']);
    expect(validateUserChange({ roles: [] }, { self: false, currentRoles: [] })[0].field).toBe('roles');
    expect(validateUserChange({ roles: ['ROOT'] }, { self: false, currentRoles: [] })[0].message).toContain(
      'ROOT',
    );
    expect(
      validateUserChange({ roles: ['AUDITOR'] }, { self: true, currentRoles: ['ADMIN'] })[0].message,
    ).toContain('不能移除自己');
    expect(validateUserChange({ active: false }, { self: true, currentRoles: ['ADMIN'] })[0].field).toBe(
      'active',
    );
    expect(
      validateUserChange({ roles: ['AUDITOR'], active: false }, { self: false, currentRoles: ['ADMIN'] }),
    ).toEqual([]);
  });

  it('lists only what changed, ignoring role order', () => {
    const before = { displayName: '王', roles: ['DUTY_OFFICER', 'AUDITOR'], active: true };
    expect(userDiff(before, { ...before, roles: ['AUDITOR', 'DUTY_OFFICER'] })).toEqual({});
    expect(userDiff(before, { ...before, roles: ['AUDITOR'], active: false })).toEqual({
      roles: [['DUTY_OFFICER', 'AUDITOR'], ['AUDITOR']],
      active: [true, false],
    });
  });
});

describe('countyCodesFor', () => {
  const known = new Set(['141126', '141181']);

  it("keeps a county officer's known counties, once each", () => {
    expect(countyCodesFor(['COUNTY_OFFICER'], ['141126', ' 141181', '141126'], known)).toEqual({
      codes: ['141126', '141181'],
      errors: [],
    });
  });

  it('needs at least one county for a county officer, and only known ones', () => {
    expect(countyCodesFor(['COUNTY_OFFICER'], [], known).errors).toEqual([
      { field: 'countyCodes', message: '县级分局账号须指定至少一个所属区县' },
    ]);
    expect(countyCodesFor(['COUNTY_OFFICER'], ['141126', '999999'], known).errors).toEqual([
      { field: 'countyCodes', message: '所属区县代码不存在:999999' },
    ]);
  });

  it('gives city-wide accounts no counties and refuses counties named for them', () => {
    expect(countyCodesFor(['DUTY_OFFICER'], [], known)).toEqual({ codes: [], errors: [] });
    expect(countyCodesFor(['DUTY_OFFICER'], ['141126'], known).errors[0].field).toBe('countyCodes');
  });
});

describe('userDiff of counties', () => {
  it('lists a change of counties, ignoring their order', () => {
    const before = {
      displayName: '县',
      roles: ['COUNTY_OFFICER'],
      active: true,
      countyCodes: ['141126', '141181'],
    };
    expect(userDiff(before, { ...before, countyCodes: ['141181', '141126'] })).toEqual({});
    expect(userDiff(before, { ...before, countyCodes: ['141126'] })).toEqual({
      countyCodes: [['141126', '141181'], ['141126']],
    });
  });
});
