import { validateNewUser } from './users.rules';

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
