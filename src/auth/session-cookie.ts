import type { Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { SESSION_COOKIE } from './auth.service';

/** The session cookie, the same for the API login and the console's login form. */
export function setSessionCookie(res: Response, token: string, config: AppConfig): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/',
    // Relative, so the browser's clock does not matter; the server's own expiry check is what counts.
    maxAge: config.sessionTtlHours * 3600_000,
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
