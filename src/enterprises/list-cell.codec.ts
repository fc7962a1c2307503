/**
 * The reduction list's list cells (联系人, 生产线, 措施参数): items separated by `;` (also `;` or a line break),
 * a contact's or line's fields by `|`, a parameter's name and value by `=` (also `:`, `=`, `:`).
 *
 * Escapes, so that any text survives export → import: a backslash before a separator or a backslash makes it
 * literal, and `\n` / `\r` stand for line breaks inside a value. A backslash before anything else is kept as
 * typed (`C:\数据` stays as it is). A parameter's text value that would read as a number, or that starts with
 * `"`, or has spaces at either end, is written in double quotes (`unit="20"`). See
 * docs/reduction-list-format.md.
 */

const ITEM_SEPARATORS = ';;\n';
const FIELD_SEPARATOR = '|';
const PARAM_SEPARATORS = '=:=:';

const UNESCAPE: Record<string, string> = { n: '\n', r: '\r' };
for (const ch of `\\;;|${PARAM_SEPARATORS}`) UNESCAPE[ch] = ch;

/** Splits at separator characters not escaped by a backslash; the pieces keep their escapes. */
export function splitUnescaped(text: string, separators: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < limit - 1; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (separators.includes(ch)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Resolves the escapes of one value. */
export function unescapeValue(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '\\' && next !== undefined && UNESCAPE[next] !== undefined) {
      out += UNESCAPE[next];
      i++;
    } else out += ch;
  }
  return out;
}

/** Escapes a value so that none of its characters is read as a separator. */
export function escapeValue(text: string, alsoSeparators = ''): string {
  const special = `\\${ITEM_SEPARATORS}\r${FIELD_SEPARATOR}${alsoSeparators}`;
  let out = '';
  for (const ch of text) {
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (special.includes(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** The items of a list cell, each split into its trimmed fields, escapes resolved; empty items dropped. */
export function readList(raw: string | undefined, fieldSeparators = FIELD_SEPARATOR): string[][] {
  return splitUnescaped(raw ?? '', ITEM_SEPARATORS)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => splitUnescaped(item, fieldSeparators).map((field) => unescapeValue(field.trim())));
}

/** A list cell from items of fields (the inverse of readList). */
export function writeList(items: Array<Array<string | number | null | undefined>>): string {
  return items
    .map((fields) => fields.map((f) => escapeValue(f == null ? '' : String(f))).join('|'))
    .join(';');
}

const looksNumeric = (text: string): boolean => text.trim() !== '' && Number.isFinite(Number(text));

/** Measure parameters `name=value; …`: numbers as numbers, text as text (quoted where it would not be). */
export function writeParams(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([key, value]) => {
      const text =
        typeof value === 'number'
          ? String(value)
          : looksNumeric(value) || value.startsWith('"') || value !== value.trim()
            ? `"${escapeValue(value)}"`
            : escapeValue(value);
      return `${escapeValue(key, PARAM_SEPARATORS)}=${text}`;
    })
    .join('; ');
}

/**
 * Reads `name=value; …`. A value in double quotes is text as written; otherwise a number when it reads as
 * one. Items without a name and separator are returned in `bad`.
 */
export function readParams(raw: string | undefined): {
  params: Record<string, string | number>;
  bad: string[];
} {
  // Entries, then fromEntries: a name such as __proto__ becomes a plain member, never the prototype.
  const entries: Array<[string, string | number]> = [];
  const bad: string[] = [];
  for (const item of splitUnescaped(raw ?? '', ITEM_SEPARATORS)
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const [rawKey, rawValue] = splitUnescaped(item, PARAM_SEPARATORS, 2);
    const key = unescapeValue(rawKey.trim());
    if (rawValue === undefined || key === '') {
      bad.push(unescapeValue(item));
      continue;
    }
    const value = rawValue.trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      entries.push([key, unescapeValue(value.slice(1, -1))]);
    else {
      const text = unescapeValue(value);
      entries.push([key, looksNumeric(text) ? Number(text) : text]);
    }
  }
  return { params: Object.fromEntries(entries), bad };
}
