import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';
import { stringCookie } from './cookie.rules';

/** The cookies as cookie-parser hands them to the app for this Cookie header. */
function parsed(header: string): unknown {
  const req = { headers: { cookie: header } } as unknown as Request & { cookies: unknown };
  cookieParser()(req, {} as Response, () => undefined);
  return req.cookies;
}

describe('stringCookie', () => {
  it('reads a plain cookie', () => {
    expect(stringCookie(parsed('hz_session=abc; hz_csrf=def'), 'hz_session')).toBe('abc');
  });

  it.each(['j:{}', 'j:[]', 'j:1', 'j:true', 'j:{"a":"b"}', ''])(
    'treats %j (not a string once parsed, or empty) as no cookie',
    (value) => {
      expect(stringCookie(parsed(`hz_session=${value}`), 'hz_session')).toBeUndefined();
    },
  );

  it('keeps a JSON string as the string it holds, and falsy JSON (j:null) as the text cookie-parser leaves', () => {
    expect(stringCookie(parsed('hz_session=j:"x"'), 'hz_session')).toBe('x');
    expect(stringCookie(parsed('hz_session=j:null'), 'hz_session')).toBe('j:null');
  });

  it('answers undefined without cookies', () => {
    expect(stringCookie(undefined, 'hz_session')).toBeUndefined();
    expect(stringCookie(parsed(''), 'hz_session')).toBeUndefined();
  });
});
