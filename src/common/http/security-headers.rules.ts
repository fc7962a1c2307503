/**
 * The Content-Security-Policy directives helmet sends, for the service's public URL. Everything is same-origin
 * (no CDN, no inline script). `upgrade-insecure-requests` (helmet's default) is kept only when APP_URL is https:
 * over plain http (the demo default) it sends the browser to https for the dashboard poll's redirect, where
 * nothing answers, so the bars froze without a word.
 */
export function contentSecurityDirectives(appUrl: string): Record<string, string[] | null> {
  return {
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'upgrade-insecure-requests': new URL(appUrl).protocol === 'https:' ? [] : null,
  };
}
