/**
 * Words people may read in Latin letters on a Chinese page: units, formats, pollutants and the names of standards.
 * Anything else in Latin letters (an English word, a code such as PENDING_APPROVAL or COKING) fails the crawl.
 */
export const ALLOWED = new Set([
  'AQI',
  'PM',
  'PM2.5',
  'PM10',
  'SO',
  'NO',
  'VOCs',
  'CO',
  'O',
  'CSV',
  'CAP',
  'ZIP',
  'XLSX',
  'PDF',
  'API',
  'JSON',
  'ID',
  'UTF',
  'BOM',
  'CEMS',
  'DCS',
  'SMTP',
  'HTTP',
  'URL',
  'kg',
  't',
  'd',
  'h',
  'kW',
  'mg',
  'm',
  'MEE',
  'SHANXI',
  'A',
  'B',
  'C',
  'D',
  'Excel',
  'WPS',
  'SHA',
  'Ed25519',
  'A+',
  'B-',
  'IV',
  'LVLIANG',
  // Image formats and a file size, as the photo upload names them (issue 17), like PDF and XLSX above.
  'JPG',
  'PNG',
  'WebP',
  'MB',
]);

/** Latin-letter words in the visible text that are not allowed (after removing e-mail addresses, URLs, hashes). */
export function foreignWords(text: string, usernames: readonly string[]): string[] {
  let cleaned = text
    .replace(/[\w.+-]+@[\w.-]+/g, ' ') // e-mail addresses
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, ' ')
    .replace(/\b[0-9a-f]{16,}\b/gi, ' ') // hashes
    .replace(/\b[0-9A-HJ-NPQRTUWXY]{18}\b/g, ' ') // unified social credit codes
    .replace(/\b[A-Z]+-\d{4}[A-Z0-9-]*\b/g, ' ') // ruleset versions, named like documents (MEE-2024)
    // Campaign record codes (CW2026-004, O3-2027-011), issued like the warnings' LL-2026-0001 (issue 18).
    .replace(/\b(?:CW|O3-)\d{4}-\d{3,}\b/g, ' ');
  // Account names are what people sign in with.
  for (const u of usernames) cleaned = cleaned.split(u).join(' ');
  const words = cleaned.match(/[A-Za-z][A-Za-z0-9.+_-]*/g) ?? [];
  return [
    ...new Set(
      words
        .map((w) => w.replace(/[.\-_]+$/, ''))
        // Short codes people gave their own lines and outlets (JL1, L2, 1#): the enterprise's data, not ours.
        .filter((w) => w && !ALLOWED.has(w) && !(/\d/.test(w) && w.length <= 6)),
    ),
  ];
}
