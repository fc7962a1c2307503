import fc from 'fast-check';
import { decodeXlsxText, encodeXlsxText } from './xlsx-text.codec';

// eslint-disable-next-line no-control-regex
const XML_UNSAFE = /[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/;

describe('XLSX text escapes (_xHHHH_)', () => {
  const tricky = fc.string({
    unit: fc.constantFrom(
      '_',
      'x',
      '0',
      '0',
      'D',
      'F',
      '5',
      '_x000D_',
      '_xD0D5',
      '\r',
      '\n',
      '\t',
      '\u000b',
      '\uFFFE',
      '张',
    ),
  });

  it('decodes whatever it encoded, and the encoding is text XML can carry', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string({ unit: 'binary' })), (text) => {
        const encoded = encodeXlsxText(text);
        expect(encoded).not.toMatch(XML_UNSAFE);
        expect(encoded).not.toContain('\r');
        expect(decodeXlsxText(encoded)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes CR and control characters as Excel does, and escapes a literal _xHHHH_', () => {
    expect(encodeXlsxText('a\r\nb\u000b')).toBe('a_x000D_\nb_x000B_');
    expect(encodeXlsxText('_x000D_')).toBe('_x005F_x000D_');
    expect(encodeXlsxText('_x0041_x0042_')).toBe('_x005F_x0041_x005F_x0042_');
    expect(encodeXlsxText('snake_case_x')).toBe('snake_case_x');
    // Found by the property above: the carriage return's own escape would close a literal _xD0D5 into an escape.
    expect(encodeXlsxText('_xD0D5\r')).toBe('_x005F_xD0D5_x000D_');
    expect(decodeXlsxText(encodeXlsxText('_xD0D5\r'))).toBe('_xD0D5\r');
    expect(encodeXlsxText('_x1234a')).toBe('_x1234a');
    expect(decodeXlsxText('第一行_x000D_\n第二行')).toBe('第一行\r\n第二行');
  });
});
