import { dateStyleIndexes, isDateFormatCode, serialToBeijingIso, usesDate1904 } from './xlsx-dates';

describe('isDateFormatCode', () => {
  it.each([
    'yyyy-mm-dd hh:mm:ss',
    'yyyy/m/d h:mm',
    'm/d/yy',
    'hh:mm',
    '[h]:mm:ss',
    'yyyy"年"m"月"d"日"',
    '[$-804]yyyy年m月d日',
    '[DBNum1][$-804]m月d日',
    'd-mmm;@',
  ])('%s shows a date or time', (code) => expect(isDateFormatCode(code)).toBe(true));

  it.each([
    'General',
    '0',
    '0.00',
    '#,##0.00',
    '0.0%',
    '0.000000',
    '@',
    '[Red]0.00',
    '"kg/d"0.00',
    '0.00E+00',
    '#,##0.00_);(#,##0.00)',
  ])('%s is a number format', (code) => expect(isDateFormatCode(code)).toBe(false));
});

describe('dateStyleIndexes', () => {
  it('names the cell formats whose number format is a date, built in or custom', () => {
    const styles = `<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>
      <numFmt numFmtId="165" formatCode="#,##0.00"/></numFmts>
      <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
      <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/>
      <xf numFmtId="14"/><xf numFmtId="2"/><xf numFmtId="31"/></cellXfs></styleSheet>`;
    expect([...dateStyleIndexes(styles)]).toEqual([1, 3, 5]);
  });

  it('reads quoted format codes and has none without a styles part', () => {
    const styles = `<styleSheet><numFmts><numFmt numFmtId="170" formatCode="&quot;截至&quot;yyyy-mm-dd"/>
      <numFmt numFmtId="171" formatCode="&quot;day&quot;0"/></numFmts>
      <cellXfs><xf numFmtId="170"/><xf numFmtId="171"/></cellXfs></styleSheet>`;
    expect([...dateStyleIndexes(styles)]).toEqual([0]);
    expect(dateStyleIndexes('').size).toBe(0);
  });
});

describe('usesDate1904', () => {
  it('reads the workbook flag', () => {
    expect(usesDate1904('<workbook><workbookPr date1904="1"/></workbook>')).toBe(true);
    expect(usesDate1904('<workbook><workbookPr date1904="true" defaultThemeVersion="1"/></workbook>')).toBe(
      true,
    );
    expect(usesDate1904('<workbook><workbookPr defaultThemeVersion="124226"/></workbook>')).toBe(false);
    expect(usesDate1904('<workbook/>')).toBe(false);
  });
});

describe('serialToBeijingIso', () => {
  it('gives the wall time the cell shows, as Beijing time', () => {
    expect(serialToBeijingIso(46357.458333333336)).toBe('2026-12-01T11:00:00+08:00');
    expect(serialToBeijingIso(46357)).toBe('2026-12-01T00:00:00+08:00');
    expect(serialToBeijingIso(46357.99998842592)).toBe('2026-12-01T23:59:59+08:00');
    expect(serialToBeijingIso(44895.458333333336, true)).toBe('2026-12-01T11:00:00+08:00');
  });

  it('rounds floating-point noise to the second', () => {
    expect(serialToBeijingIso(46357.0104166666)).toBe('2026-12-01T00:15:00+08:00');
  });

  it('refuses what no date cell holds', () => {
    expect(serialToBeijingIso(-1)).toBeNull();
    expect(serialToBeijingIso(Number.NaN)).toBeNull();
    expect(serialToBeijingIso(3_000_000)).toBeNull();
  });
});
