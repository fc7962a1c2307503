import ExcelJS from 'exceljs';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { generateDemoList } from '../../src/database/seeds/demo-enterprises.generator';
import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { COLUMNS, headerOf, RawRow, toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const sheet = (
  items: Array<{ input: EnterpriseInput; measures: MeasureInput[]; season?: string }>,
): RawRow[] => items.flatMap((i) => toRows(i.input, i.season ?? '2025-2026', i.measures));

/** Reads an XLSX with ExcelJS itself (not our reader): the header and each row as text. */
async function readXlsx(buffer: Buffer): Promise<{ sheets: string[]; header: string[]; rows: string[][] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = workbook.worksheets[0];
  const rows: string[][] = [];
  ws.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v as string)))),
  );
  return { sheets: workbook.worksheets.map((w) => w.name), header: rows[0], rows: rows.slice(1) };
}

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('reduction list import and export', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  beforeAll(async () => {
    t = await createTestApp({ env: { IMPORT_MAX_MB: '1', IMPORT_MAX_ROWS: '5000' } });
    admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
  });
  afterAll(() => t.close());

  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM enterprise)::int AS enterprises, (SELECT count(*) FROM plan_version)::int AS versions,
                (SELECT count(*) FROM plan_measure)::int AS measures, (SELECT count(*) FROM audit_entry)::int AS audit,
                (SELECT count(*) FROM enterprise_import)::int AS imports`,
      )
    )[0];
  const upload = (agent: Agent, buffer: Buffer, name: string) =>
    // Uploads carry X-Requested-With, which a plain HTML form cannot send (see cross-origin.e2e-spec).
    agent
      .post('/api/enterprises/import')
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', buffer, name);

  it('imports a CSV: creates new enterprises, updates existing ones by credit code, adds a plan version', async () => {
    const existing = enterpriseInput({ name: '已登记焦化有限公司' });
    const { body: created } = await admin.post('/api/enterprises').send(existing).expect(201);
    const fresh = enterpriseInput({
      name: '新导入水泥有限公司',
      industry: 'CEMENT',
      countyCode: '141181',
      grade: 'C',
    });
    const csv = await toBuffer(
      'csv',
      sheet([
        {
          input: { ...existing, grade: 'C' },
          measures: [
            measure(),
            measure({
              level: 'RED',
              action: 'STOP',
              params: {},
              description: '停产',
              reduction: existing.baseline,
            }),
          ],
        },
        {
          input: fresh,
          measures: [
            measure({ level: 'ORANGE', action: 'STOP_SHARE', params: { share: 50 }, description: '停产50%' }),
          ],
        },
      ]),
    );
    const res = await upload(admin, csv, '清单.csv').expect(200);
    expect(res.body).toMatchObject({
      imported: 1,
      updated: 1,
      measures: 3,
      warnings: [],
      importId: expect.any(String),
    });
    expect((await duty.get(`/api/enterprises/${created.id}`).expect(200)).body.grade).toBe('C');
    const plan = (await duty.get(`/api/enterprises/${created.id}/plan`).expect(200)).body;
    expect(plan).toMatchObject({
      version: 1,
      season: '2025-2026',
      measures: [{ level: 'YELLOW' }, { level: 'RED', action: 'STOP' }],
    });
    const audit = await t.dataSource
      .getRepository(AuditEntry)
      .findBy({ action: 'enterprise.updated', subjectId: created.id });
    expect(audit.at(-1)?.data).toMatchObject({
      importId: res.body.importId,
      changes: { grade: ['B', 'C'] },
      planVersion: 1,
    });
    const summary = await t.dataSource
      .getRepository(AuditEntry)
      .findOneByOrFail({ action: 'enterprise.import', subjectId: res.body.importId });
    expect(summary.data).toMatchObject({
      format: 'csv',
      created: 1,
      updated: 1,
      measures: 3,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('reports every bad row and column of an XLSX and writes nothing', async () => {
    const good = enterpriseInput();
    const rows = sheet([
      { input: good, measures: [measure()] },
      { input: enterpriseInput({ creditCode: '91141102MA0T99999X' }), measures: [] },
      { input: enterpriseInput({ countyCode: '141199' }), measures: [measure({ level: 'BLUE' })] },
      {
        input: enterpriseInput({ contacts: [{ name: '赵六', email: 'zhao@' }] }),
        measures: [measure({ reduction: { so2: 1000, nox: 0, pm: 0, vocs: 0 } })],
      },
      { input: enterpriseInput(), measures: [measure({ params: { percent: 101 } })] },
    ]);
    rows.push({ ...rows[0] }); // the first enterprise again, after others: a duplicate credit code
    const before = await counts();
    const res = await upload(admin, await toBuffer('xlsx', rows), 'list.xlsx').expect(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(res.body.error.fields);
    const cells = res.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`);
    expect(cells).toEqual(
      expect.arrayContaining([
        '3:creditCode',
        '4:countyCode',
        '4:level',
        '5:contacts',
        '5:reductionSo2',
        '6:params',
        '7:creditCode',
      ]),
    );
    expect(res.body.errors.find((e: { row: number }) => e.row === 7).message).toContain('重复');
    expect(await counts()).toEqual(before);
  });

  it('refuses formula cells, unreadable files, empty files and unknown headers by name', async () => {
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('减排清单');
    ws.addRow(COLUMNS.map(headerOf));
    const row = sheet([{ input: enterpriseInput(), measures: [] }])[0];
    ws.addRow(
      COLUMNS.map((c) => (c.key === 'baselineSo2' ? { formula: '1+1', result: 2 } : (row[c.key] ?? ''))),
    );
    const withFormula = Buffer.from(await workbook.xlsx.writeBuffer());
    const formula = await upload(admin, withFormula, 'f.xlsx').expect(422);
    expect(formula.body.errors).toEqual(
      expect.arrayContaining([
        // Named by its header, not its number (第15列 before issue 20).
        expect.objectContaining({
          row: 2,
          field: 'baselineSo2',
          column: 'SO2基准排放(kg/d)',
          message: '第2行 SO2基准排放(kg/d):不接受公式单元格,请将公式粘贴为数值',
        }),
      ]),
    );

    // Not a sheet at all: 400, the file named as the field (import-preview.e2e-spec has the messages).
    const corrupt = await upload(
      admin,
      Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(100, 7)]),
      'bad.xlsx',
    ).expect(400);
    expect(corrupt.body.error.fields).toEqual([{ field: 'file', message: expect.any(String) }]);
    const notXlsx = await upload(admin, Buffer.from('a,b\n'), 'list.xlsx').expect(400);
    expect(notXlsx.body.error.fields[0].field).toBe('file');
    const empty = await upload(admin, Buffer.from(''), 'empty.csv').expect(400);
    expect(empty.body.error).toMatchObject({ code: 'INVALID_FILE', fields: [{ field: 'file' }] });
    const unknown = await upload(admin, Buffer.from('统一社会信用代码,企业名称,备注\n'), 'x.csv').expect(422);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['C列', 'industry', 'countyCode', 'grade', 'contacts']),
    );
    const none = await admin.post('/api/enterprises/import').expect(422);
    expect(none.body.error.fields).toEqual([{ field: 'file', message: expect.any(String) }]);
  });

  it('enforces the size and row limits with a clear message', async () => {
    const big = Buffer.concat([
      Buffer.from(COLUMNS.map(headerOf).join(',') + '\n'),
      Buffer.alloc(1.2 * 1024 * 1024, 'x'),
    ]);
    const tooBig = await upload(admin, big, 'big.csv').expect(413);
    expect(tooBig.body.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('1 MB'),
    });
    const many = [COLUMNS.map(headerOf).join(','), ...Array.from({ length: 5001 }, () => 'x')].join('\n');
    const tooMany = await upload(admin, Buffer.from(many), 'many.csv').expect(413);
    expect(tooMany.body.error.message).toContain('5000行');
  });

  it('lets only ADMIN import; anyone signed in may export and download the template', async () => {
    const csv = await toBuffer('csv', sheet([{ input: enterpriseInput(), measures: [] }]));
    await upload(duty, csv, 'x.csv').expect(403);
    await t.http().get('/api/enterprises/export').expect(401);
    const template = await duty
      .get('/api/enterprises/import/template?format=xlsx')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(template.headers['content-disposition']).toContain("filename*=UTF-8''");
    const parsed = await readXlsx(template.body as Buffer);
    expect(parsed.sheets).toEqual(['减排清单', '填写说明', '下拉选项']);
    expect(parsed.header).toEqual(COLUMNS.map(headerOf));
    expect(parsed.rows).toHaveLength(3);
    // The template itself imports cleanly.
    const res = await upload(admin, template.body as Buffer, 'template.xlsx').expect(200);
    expect(res.body).toMatchObject({ imported: 1, measures: 3 });
    await duty.get('/api/enterprises/export?format=pdf').expect(422);
  });

  it('exports the list so that importing the export changes nothing (XLSX and CSV round trip)', async () => {
    const demo = generateDemoList(7).enterprises.slice(0, 40);
    const tricky = enterpriseInput({ name: '=HYPERLINK("http://x","点击")', address: '@SUM(A1)' });
    await upload(
      admin,
      await toBuffer('csv', sheet([...demo, { input: tricky, measures: [measure()] }])),
      'demo.csv',
    ).expect(200);
    const total = (
      await t.dataSource.query('SELECT count(*)::int AS n FROM enterprise WHERE NOT archived')
    )[0].n as number;

    const csv = await duty.get('/api/enterprises/export?format=csv').buffer(true).parse(binary).expect(200);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""点击"")"`);
    expect(text).toContain("'@SUM(A1)");

    const xlsx = await duty.get('/api/enterprises/export?format=xlsx').buffer(true).parse(binary).expect(200);
    const parsed = await readXlsx(xlsx.body as Buffer);
    expect(new Set(parsed.rows.map((r) => r[0])).size).toBe(total);

    for (const [format, body] of [
      ['xlsx', xlsx.body],
      ['csv', csv.body],
    ] as const) {
      const before = await t.dataSource.query(
        'SELECT credit_code, name, grade, contacts, lines, control_tags, baseline_so2 FROM enterprise ORDER BY credit_code',
      );
      const versions = await t.dataSource.query('SELECT count(*)::int AS n FROM plan_version');
      const audit = await t.dataSource.query('SELECT count(*)::int AS n FROM audit_entry');
      const res = await upload(admin, body as Buffer, `export.${format}`).expect(200);
      // Every enterprise is as stored: nothing written, no plan version, no audit entry.
      expect(res.body).toMatchObject({ importId: null, imported: 0, updated: 0, unchanged: total });
      const after = await t.dataSource.query(
        'SELECT credit_code, name, grade, contacts, lines, control_tags, baseline_so2 FROM enterprise ORDER BY credit_code',
      );
      expect(after).toEqual(before);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM plan_version')).toEqual(versions);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM audit_entry')).toEqual(audit);
    }
  });
});
