import fc from 'fast-check';
import {
  escapeValue,
  readList,
  readParams,
  splitUnescaped,
  unescapeValue,
  writeList,
  writeParams,
} from './list-cell.codec';

/** Text made mostly of the characters the list format gives a meaning to. */
const tricky = fc.string({
  unit: fc.constantFrom(
    ';',
    ';',
    '|',
    '=',
    ':',
    '=',
    ':',
    '\\',
    'n',
    '\r',
    '\n',
    '"',
    ',',
    ' ',
    '张',
    'a',
    '1',
    '.',
  ),
});
const anyText = fc.oneof(tricky, fc.string({ unit: 'binary' }));
/** What the API stores: normalised text has no spaces at either end. */
const stored = anyText.map((s) => s.trim());

describe('list cells', () => {
  it('reads back any contacts or lines it wrote (fields as stored: trimmed, non-empty first field)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            stored.filter((s) => s !== ''),
            stored,
            stored,
            stored,
          ),
          { maxLength: 5 },
        ),
        (items) => {
          expect(readList(writeList(items))).toEqual(items);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('escapes every separator, backslash and line break', () => {
    expect(writeList([['张;三', 'a|b', 'c\\d', 'e\r\nf']])).toBe('张\\;三|a\\|b|c\\\\d|e\\r\\nf');
    expect(writeList([['A;B'], ['C']])).toBe('A\\;B;C');
  });

  it('reads hand-written cells as before: ; ; or line breaks between items, | between fields', () => {
    expect(readList('张三|环保|a@x.cn|138; 李四||b@x.cn\n王五;赵六')).toEqual([
      ['张三', '环保', 'a@x.cn', '138'],
      ['李四', '', 'b@x.cn'],
      ['王五'],
      ['赵六'],
    ]);
    // A backslash before anything else stays as typed.
    expect(readList('C:\\数据|D:\\x')).toEqual([['C:\\数据', 'D:\\x']]);
  });

  it('splits only at unescaped separators', () => {
    expect(splitUnescaped('a\\;b;c', ';')).toEqual(['a\\;b', 'c']);
    expect(splitUnescaped('a=b=c', '=', 2)).toEqual(['a', 'b=c']);
    expect(unescapeValue(escapeValue('a\\n'))).toBe('a\\n');
  });
});

describe('measure parameters', () => {
  const value = fc.oneof(anyText, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
  const key = stored.filter((s) => s !== '');

  it('reads back any parameters it wrote, text staying text and numbers numbers', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (params) => {
        const { params: back, bad } = readParams(writeParams(params));
        expect(bad).toEqual([]);
        // -0 is stored as 0 by PostgreSQL anyway; compare it as 0.
        const plain = Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]),
        );
        expect(back).toEqual(plain);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes text that would read as a number or lose its spaces', () => {
    expect(writeParams({ share: 50, unit: '20', note: ' a ', q: '"x"' })).toBe(
      'share=50; unit="20"; note=" a "; q=""x""',
    );
    expect(readParams('share=50; unit="20"; hours:36; percent=20').params).toEqual({
      share: 50,
      unit: '20',
      hours: 36,
      percent: 20,
    });
    expect(readParams('percent; =5').bad).toEqual(['percent', '=5']);
  });
});
