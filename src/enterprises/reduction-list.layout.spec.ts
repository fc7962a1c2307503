import type { EnterpriseInput, MeasureInput } from './enterprise.types';
import {
  COLUMNS,
  escapeCell,
  fieldLabel,
  headerOf,
  locateError,
  mapHeader,
  ownString,
  parseRows,
  type ParsedEnterprise,
  RawRow,
  ReductionListParser,
  toRows,
  unescapeCell,
} from './reduction-list.layout';

const enterprise: EnterpriseInput = {
  creditCode: '91110000802100433B',
  name: '=HYPERLINK("http://evil")',
  industry: 'COKING',
  countyCode: '141102',
  address: '离石区永宁中路1号',
  longitude: 111.13,
  latitude: 37.52,
  grade: 'B_MINUS',
  protected: true,
  protectedReason: '民生供暖',
  protectedMaxLoad: 60,
  controlTags: ['NO_DRY_QUENCHING', 'BUILT_UP_AREA'],
  contacts: [
    { name: '张三', role: '环保负责人', email: 'zhang@example.cn', phone: '13800000000' },
    { name: '李四', email: 'li@example.cn' },
  ],
  lines: [{ code: 'JL1', name: '4.3米焦炉', capacity: 600000, unit: 't/a' }],
  baseline: { so2: 100, nox: 200.5, pm: 50, vocs: 10 },
};
const measures: MeasureInput[] = [
  {
    level: 'YELLOW',
    line: 'JL1',
    action: 'EXTEND_COKING_HOURS',
    params: { hours: 36 },
    description: '延长结焦时间至36小时',
    fromHour: null,
    toHour: null,
    reduction: { so2: 10, nox: 20, pm: 5, vocs: 1 },
    verification: 'DCS',
  },
  {
    level: 'RED',
    line: null,
    action: 'STOP_SHARE',
    params: { share: 50, unit: '炭化室' },
    description: '停止装煤50%炭化室',
    fromHour: 120,
    toHour: 240,
    reduction: { so2: 50, nox: 100, pm: 25, vocs: 5 },
    verification: 'POWER_SUBMETER',
  },
];

const numbered = (rows: RawRow[]) => rows.map((cells, i) => ({ row: i + 2, cells }));

describe('reduction-list layout', () => {
  it('round-trips an enterprise and its measures through rows (with formula escaping)', () => {
    const rows = toRows(enterprise, '2025-2026', measures).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, escapeCell(v ?? '')])),
    ) as RawRow[];
    expect(rows[0].name).toBe('\'=HYPERLINK("http://evil")');
    const { enterprises, errors } = parseRows(numbered(rows));
    expect(errors).toEqual([]);
    expect(enterprises).toHaveLength(1);
    expect(enterprises[0]).toEqual({
      input: enterprise,
      season: '2025-2026',
      measures,
      row: 2,
      measureRows: [2, 3],
    });
  });

  it('accepts Chinese names for levels, grades, actions and verification', () => {
    const [row] = toRows(enterprise, null, [measures[0]]);
    const { enterprises, errors } = parseRows(
      numbered([
        {
          ...row,
          grade: 'B-级',
          level: '黄色',
          action: '延长结焦时间',
          verification: 'DCS系统',
          protected: '否',
        },
      ]),
    );
    expect(errors).toEqual([]);
    expect(enterprises[0].input.grade).toBe('B_MINUS');
    expect(enterprises[0].measures[0]).toMatchObject({
      level: 'YELLOW',
      action: 'EXTEND_COKING_HOURS',
      verification: 'DCS',
    });
  });

  it('reports rows of one enterprise that disagree, by row and column', () => {
    const rows = toRows(enterprise, null, measures);
    rows[1].grade = 'C';
    expect(parseRows(numbered(rows)).errors).toEqual([
      { row: 3, field: 'grade', message: '与第2行同一企业的信息不一致' },
    ]);
  });

  it('reports a credit code that appears again after another enterprise', () => {
    const other = toRows({ ...enterprise, creditCode: '91310000MA1FL4B24G' }, null, []);
    const first = toRows(enterprise, null, []);
    const { errors } = parseRows(numbered([...first, ...other, ...first]));
    expect(errors).toEqual([
      { row: 4, field: 'creditCode', message: expect.stringContaining('重复:已在第2行出现') },
    ]);
  });

  it('with a callback, hands each enterprise over once its rows are over, and keeps none', () => {
    const second = { ...enterprise, creditCode: '91310000MA1FL4B24G' };
    const rows = numbered([...toRows(enterprise, null, measures), ...toRows(second, null, [measures[0]])]);
    const handed: Array<{ code: string; measures: number; afterRow: number }> = [];
    let lastRow = 0;
    const parser = new ReductionListParser((e: ParsedEnterprise) =>
      handed.push({ code: e.input.creditCode, measures: e.measures.length, afterRow: lastRow }),
    );
    for (const { row, cells } of rows) {
      lastRow = row;
      parser.push(row, cells);
    }
    // The first is complete when the second's first row (4) arrives; the second only at finish().
    expect(handed).toEqual([{ code: enterprise.creditCode, measures: 2, afterRow: 4 }]);
    lastRow = -1;
    parser.finish();
    expect(handed).toEqual([
      { code: enterprise.creditCode, measures: 2, afterRow: 4 },
      { code: second.creditCode, measures: 1, afterRow: -1 },
    ]);
    expect(parser.enterprises).toEqual([]);
    expect(parser.errors).toEqual([]);
  });

  it('with a callback, still reports a credit code seen again after it was handed over', () => {
    const other = toRows({ ...enterprise, creditCode: '91310000MA1FL4B24G' }, null, []);
    const first = toRows(enterprise, null, []);
    const handed: string[] = [];
    const parser = new ReductionListParser((e) => handed.push(e.input.creditCode));
    for (const { row, cells } of numbered([...first, ...other, ...first])) parser.push(row, cells);
    parser.finish();
    expect(handed).toEqual([enterprise.creditCode, '91310000MA1FL4B24G']);
    expect(parser.errors).toEqual([
      { row: 4, field: 'creditCode', message: expect.stringContaining('重复:已在第2行出现') },
    ]);
  });

  it('reports unparseable cells with their row and column', () => {
    const [row] = toRows(enterprise, null, [measures[0]]);
    const { errors } = parseRows(
      numbered([
        {
          ...row,
          baselineSo2: 'abc',
          reductionNox: '',
          level: '紫色',
          fromHour: '1.5',
          params: 'percent',
          protected: '也许',
        },
      ]),
    );
    expect(errors.map((e) => `${e.row}:${e.field}`).sort()).toEqual(
      ['2:baselineSo2', '2:fromHour', '2:level', '2:params', '2:protected', '2:reductionNox'].sort(),
    );
  });

  it('skips blank rows and keeps enterprises without measures', () => {
    const { enterprises } = parseRows(numbered([{}, ...toRows(enterprise, null, [])]));
    expect(enterprises[0]).toMatchObject({ row: 3, measures: [] });
  });

  it('points domain errors at the sheet cell', () => {
    const parsed = parseRows(numbered(toRows(enterprise, null, measures))).enterprises[0];
    expect(locateError(parsed, 'measures[1].reduction.so2')).toEqual({ row: 3, field: 'reductionSo2' });
    expect(locateError(parsed, 'measures[0].params.hours')).toEqual({ row: 2, field: 'params' });
    expect(locateError(parsed, 'measures(RED).reduction.pm')).toEqual({ row: 3, field: 'reductionPm' });
    expect(locateError(parsed, 'contacts[1].email')).toEqual({ row: 2, field: 'contacts' });
    expect(locateError(parsed, 'baseline.vocs')).toEqual({ row: 2, field: 'baselineVocs' });
  });

  it('maps headers by Chinese label, key or both, and names unknown or missing ones', () => {
    const { columns, errors } = mapHeader([
      '\uFEFF统一社会信用代码',
      'name',
      headerOf(COLUMNS[2]),
      '区县代码',
      '绩效等级',
      '联系人',
      '备注',
    ]);
    expect(columns).toEqual(['creditCode', 'name', 'industry', 'countyCode', 'grade', 'contacts', null]);
    expect(errors).toEqual([{ row: 1, field: 'G列', message: '无法识别的表头“备注”' }]);
    expect(mapHeader(['name']).errors.map((e) => e.field)).toEqual([
      'creditCode',
      'industry',
      'countyCode',
      'grade',
      'contacts',
    ]);
  });

  it('escapes only formula-looking text and undoes it exactly', () => {
    for (const text of ['=1+1', '+86 138', '-5', '@SUM(A1)', '\tx']) {
      expect(escapeCell(text)).toBe(`'${text}`);
      expect(unescapeCell(escapeCell(text))).toBe(text);
    }
    expect(escapeCell('离石区')).toBe('离石区');
    expect(unescapeCell("'plain")).toBe("'plain");
    // Text that already starts with an apostrophe and a formula character keeps its apostrophe.
    for (const text of ["'=1+1", "''@x"]) expect(unescapeCell(escapeCell(text))).toBe(text);
  });

  it('round-trips text holding the list separators, quotes and line breaks in every free-text column', () => {
    const text = (s: string) => `a|b;c;d,e"f'g\\h=i:j\r\nk ${s}`;
    const input: EnterpriseInput = {
      ...enterprise,
      name: `'=${text('企业')}`,
      address: text('地址'),
      protectedReason: text('保障'),
      contacts: [
        { name: text('张三'), role: text('职务'), email: "a|b=c'd@x.cn", phone: '138|0000;0000' },
        { name: '李四\\n', email: 'li@example.cn' },
      ],
      lines: [{ code: 'J;L|1', name: text('焦炉'), capacity: 1.5e6, unit: 't|a;' }],
    };
    const plan: MeasureInput[] = [
      {
        ...measures[1],
        line: 'J;L|1',
        params: { share: 50, unit: '20', note: text('参数'), 'k=y;z': ' spaced ' },
        description: `-${text('措施')}`,
      },
    ];
    const rows = toRows(input, '2025-2026', plan).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, escapeCell(v ?? '')])),
    ) as RawRow[];
    const { enterprises, errors } = parseRows(numbered(rows));
    expect(errors).toEqual([]);
    expect(enterprises[0].input).toEqual(input);
    expect(enterprises[0].measures).toEqual(plan);
  });

  it('labels errors with the Chinese header and which contact or line', () => {
    expect(fieldLabel('contacts[0].email')).toBe('联系人邮箱(第1个)');
    expect(fieldLabel('lines[2].name')).toBe('生产线名称(第3个)');
    expect(fieldLabel('contacts')).toBe('联系人');
    expect(fieldLabel('measures[1].description')).toBe('措施描述');
    expect(fieldLabel('measures[0].params.hours')).toBe('措施参数 hours');
    expect(fieldLabel('measures(RED).reduction.pm')).toBe('颗粒物减排量(kg/d)');
    expect(fieldLabel('baseline.so2')).toBe('SO2基准排放(kg/d)');
    expect(fieldLabel('controlTags[1]')).toBe('管控标签');
    expect(fieldLabel('G列')).toBe('G列');
  });
});

describe('ownString', () => {
  it('returns an equal string (a detached copy for long ones)', () => {
    const source = '山西吕梁值班室测试企业焦化有限公司'.repeat(100);
    const cut = source.slice(5, 40);
    expect(ownString(cut)).toBe(cut);
    expect(ownString('短')).toBe('短');
  });
});
