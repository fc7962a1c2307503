import { safeNext } from './session-pages.controller';

describe('safeNext', () => {
  it('keeps paths on this site and refuses anything that leaves it', () => {
    expect(safeNext('/alerts/1?x=2')).toBe('/alerts/1?x=2');
    expect(safeNext('//evil.example/')).toBe('/dashboard');
    expect(safeNext('/\\evil.example')).toBe('/dashboard');
    expect(safeNext('https://evil.example/')).toBe('/dashboard');
    expect(safeNext('/login')).toBe('/dashboard');
    expect(safeNext(undefined)).toBe('/dashboard');
    expect(safeNext(['/a'])).toBe('/dashboard');
  });
});
