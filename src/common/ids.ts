/** A string shaped like a UUID: checked before it reaches a uuid column, so bad ids are 404s, not SQL errors. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
