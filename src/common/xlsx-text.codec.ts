/**
 * OOXML's escape for text XML cannot carry (ECMA-376 ST_Xstring, as Excel writes it): `_xHHHH_` is the UTF-16
 * code unit HHHH, and `_x005F_` a literal underscore in front of what would otherwise read as an escape.
 * Control characters are not allowed in XML 1.0 and a carriage return does not survive its line-end
 * normalisation, so the export writes them this way and the import reads them back (Excel does the same).
 */

// An underscore is escaped when `_xHHHH_` would follow it in the output: an underscore next, or a character whose own
// escape starts with one (`_xD0D5` then a carriage return would otherwise read back as one code unit).
const NEEDS_ESCAPE =
  // eslint-disable-next-line no-control-regex
  /_(?=x[0-9A-Fa-f]{4}[_\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF])|[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g;
const ESCAPED = /_x([0-9A-Fa-f]{4})_/g;

const hex4 = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/** Text as an XLSX cell must hold it. */
export function encodeXlsxText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (ch) => (ch === '_' ? '_x005F_' : `_x${hex4(ch.charCodeAt(0))}_`));
}

/** A cell's text as it was meant (the inverse of encodeXlsxText). */
export function decodeXlsxText(text: string): string {
  return text.includes('_x')
    ? text.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}
