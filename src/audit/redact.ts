const SECRET_KEY = /password|passwd|secret|token|hash|credential|api[-_]?key/i;

/**
 * Copies audit data with secret-looking members replaced by "[redacted]" and NUL characters removed
 * (jsonb cannot store them). Secrets and password hashes never reach the log.
 */
export function redactSecrets(value: unknown): Record<string, unknown> {
  const cleaned = clean(value);
  return cleaned !== null && typeof cleaned === 'object' && !Array.isArray(cleaned)
    ? (cleaned as Record<string, unknown>)
    : { value: cleaned };
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.split('\u0000').join('') : value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (member === undefined) continue;
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : clean(member);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}
