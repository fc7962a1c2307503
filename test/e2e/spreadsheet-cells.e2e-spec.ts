import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { COLUMNS, headerOf, type RawRow, toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { openpyxlCells, type OpenpyxlSheet } from '../support/openpyxl';
import { createTestApp, type TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const header = (key: (typeof COLUMNS)[number]['key']) => headerOf(COLUMNS.find((c) => c.key === key)!);

/** The coded columns that get a dropdown in the export and the template. */
const CODED = ['grade', 'industry', 'countyCode', 'level', 'action', 'verification'] as const;

/** Each coded column's dropdown: covering that column alone, from row 2 down, its list on the hidden sheet. */
function expectDropdowns(sheet: OpenpyxlSheet): void {
  for (const key of CODED) {
    const validation = sheet.validations.find((v) => v.columns.includes(header(key)));
    expect([key, validation]).toEqual([
      key,
      expect.objectContaining({
        type: 'list',
        columns: [header(key)],
        sqref: expect.stringMatching(/^[A-Z]+2:[A-Z]+1048576$/),
        formula1: expect.stringMatching(/^'下拉选项'!\$[A-Z]+\$2:\$[A-Z]+\$\d+$/),
      }),
    ]);
  }
}

/** The values of the hidden list sheet's column that a dropdown's range points at. */
function listOf(
  workbook: { sheets: OpenpyxlSheet[] },
  key: (typeof CODED)[number],
): Array<string | number | boolean> {
  const validation = workbook.sheets[0].validations.find((v) => v.columns.includes(header(key)))!;
  const letter = /\$([A-Z]+)\$2/.exec(validation.formula1)![1];
  const lists = workbook.sheets.find((s) => s.name === '下拉选项')!;
  const title = lists.header[letter.charCodeAt(0) - 65]!;
  return lists.columns[title].values;
}

/**
 * Issue 20: the XLSX export is a spreadsheet that adds up. Read by openpyxl (Debian's python3-openpyxl), not by our
 * reader: numbers are numeric cells with a number format and the reduction column sums to the list's total; the
 * coded columns have dropdowns; text carries an apostrophe only where it would otherwise run as a formula.
 */
describe('spreadsheets that add up', () => {
  let t: TestApp;
  let admin: Agent;
  let export1: Buffer;

  const upload = (agent: Agent, buffer: Buffer, name: string) =>
    agent
      .post('/api/enterprises/import')
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', buffer, name);

  const items: Array<{ input: EnterpriseInput; measures: MeasureInput[] }> = [
    {
      input: enterpriseInput({
        name: '甲焦化有限公司',
        longitude: 111.141592,
        baseline: { so2: 300.5, nox: 900, pm: 150, vocs: 80 },
      }),
      measures: [
        measure({ reduction: { so2: 20.5, nox: 40, pm: 10, vocs: 8 } }),
        measure({
          level: 'ORANGE',
          action: 'STOP',
          params: {},
          description: '停产',
          fromHour: 0,
          toHour: 48,
          reduction: { so2: 60.25, nox: 120, pm: 30, vocs: 20 },
        }),
      ],
    },
    {
      input: enterpriseInput({
        name: '=SUM(A1)乙水泥有限公司',
        industry: 'CEMENT',
        grade: 'C',
        address: '-1号院',
      }),
      measures: [measure({ reduction: { so2: 13, nox: 26, pm: 6.5, vocs: 5 } })],
    },
    { input: enterpriseInput({ name: '丙铸造有限公司', industry: 'CASTING', grade: 'D' }), measures: [] },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN']);
    const rows: RawRow[] = items.flatMap((i) => toRows(i.input, '2025-2026', i.measures));
    await upload(admin, await toBuffer('csv', rows), 'list.csv').expect(200);
    export1 = (await admin.get('/api/enterprises/export?format=xlsx').buffer(true).parse(binary).expect(200))
      .body as Buffer;
  });
  afterAll(() => t.close());

  it('writes numbers as numeric cells with a number format: the SO2 reduction column sums to 93.75', async () => {
    const book = await openpyxlCells(export1);
    const list = book.sheets[0];
    expect(list.name).toBe('减排清单');
    const so2 = list.columns[header('reductionSo2')];
    expect(so2).toMatchObject({ types: ['n'], formats: ['#,##0.00'] });
    // 20.5 + 60.25 + 13: the enterprise without measures has no reduction cell.
    expect(so2.sum).toBeCloseTo(93.75, 10);
    expect(list.columns[header('reductionPm')].sum).toBeCloseTo(46.5, 10);
    // Baselines repeat on each of an enterprise's rows: 300.5 twice, then 100 and 100.
    expect(list.columns[header('baselineSo2')]).toMatchObject({ types: ['n'], sum: 801 });
    expect(list.columns[header('longitude')]).toMatchObject({ types: ['n'], formats: ['0.000000'] });
    expect(list.columns[header('longitude')].values).toContain(111.141592);
    expect(list.columns[header('toHour')]).toMatchObject({ types: ['n'], formats: ['0'], values: [48] });
    // Codes and the credit code stay text.
    expect(list.columns[header('creditCode')].types).toEqual(['s']);
    expect(list.columns[header('grade')].types).toEqual(['s']);
  });

  it('prefixes an apostrophe only to text that would run as a formula', async () => {
    const list = (await openpyxlCells(export1)).sheets[0];
    expect(new Set(list.columns[header('name')].values)).toEqual(
      new Set(['甲焦化有限公司', "'=SUM(A1)乙水泥有限公司", '丙铸造有限公司']),
    );
    expect(list.columns[header('address')].values).toContain("'-1号院");
    const texts = Object.values(list.columns).flatMap((c) => c.values.filter((v) => typeof v === 'string'));
    expect(texts.filter((v) => v.startsWith("'"))).toEqual(
      expect.arrayContaining(["'=SUM(A1)乙水泥有限公司", "'-1号院"]),
    );
    expect(texts.filter((v) => v.startsWith("'")).every((v) => /^'[=+\-@]/.test(v))).toBe(true);
  });

  it('gives the grade, industry, county, level, action and verification columns dropdowns from a hidden sheet', async () => {
    const book = await openpyxlCells(export1);
    expect(book.sheets.map((s) => [s.name, s.state])).toEqual([
      ['减排清单', 'visible'],
      ['填写说明', 'visible'],
      ['下拉选项', 'hidden'],
    ]);
    expectDropdowns(book.sheets[0]);
    expect(listOf(book, 'grade')).toEqual([
      'A_PLUS',
      'A',
      'B',
      'B_MINUS',
      'C',
      'D',
      'LEADING',
      'NON_LEADING',
      'UNGRADED',
    ]);
    expect(listOf(book, 'level')).toEqual(['BLUE', 'YELLOW', 'ORANGE', 'RED']);
    expect(listOf(book, 'industry')).toEqual(
      expect.arrayContaining(['COKING', 'CEMENT', 'CASTING', 'OTHER']),
    );
    expect(listOf(book, 'countyCode')).toEqual(expect.arrayContaining(['141102', '141122', '141181']));
    expect(listOf(book, 'action')).toEqual(expect.arrayContaining(['STOP', 'LIMIT_PERCENT']));
    expect(listOf(book, 'verification')).toEqual(expect.arrayContaining(['POWER_SUBMETER', 'CEMS']));
  });

  it('gives the import template the same dropdowns and numeric cells', async () => {
    const res = await admin
      .get('/api/enterprises/import/template?format=xlsx')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = await openpyxlCells(res.body as Buffer);
    expectDropdowns(book.sheets[0]);
    // The example enterprise's three measures: 60 + 100 + 150 kg/d of SO2.
    expect(book.sheets[0].columns[header('reductionSo2')]).toMatchObject({ types: ['n'], sum: 310 });
  });

  it('reads its own export back unchanged (the typed cells are the values stored)', async () => {
    const res = await upload(admin, export1, 'export.xlsx').expect(200);
    expect(res.body).toMatchObject({ importId: null, imported: 0, updated: 0, unchanged: 3 });
  });
});
