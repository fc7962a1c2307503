import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { RawRow, toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { foreignWords } from '../support/language';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const sheet = (items: Array<{ input: EnterpriseInput; measures: MeasureInput[] }>): RawRow[] =>
  items.flatMap((i) => toRows(i.input, '2025-2026', i.measures));

/** Issue 16, "Import": a preview before the commit, unchanged rows left alone, a plain word for a wrong file. */
describe('reduction list import: preview, unchanged rows, wrong files', () => {
  let t: TestApp;
  let admin: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-01-10T10:00:00+08:00');
    admin = await t.signIn(['ADMIN']);
  });
  afterAll(() => t.close());

  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM enterprise)::int AS enterprises, (SELECT count(*) FROM plan_version)::int AS versions,
                (SELECT count(*) FROM plan_measure)::int AS measures, (SELECT count(*) FROM audit_entry)::int AS audit,
                (SELECT count(*) FROM enterprise_import)::int AS imports,
                (SELECT count(*) FROM enterprise_import_preview)::int AS previews,
                (SELECT max(updated_at) FROM enterprise)::text AS touched`,
      )
    )[0];
  const upload = (buffer: Buffer, name: string, query = '') =>
    admin
      .post(`/api/enterprises/import${query}`)
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', buffer, name);

  /** Two stored enterprises with plans: one the file leaves as it is, one it changes; and one new in the file. */
  async function threeKinds(): Promise<{ csv: Buffer; same: EnterpriseInput; changed: EnterpriseInput }> {
    const same = enterpriseInput({ name: '原样焦化有限公司' });
    const changed = enterpriseInput({ name: '变更焦化有限公司', countyCode: '141181' });
    for (const e of [same, changed]) {
      const { body } = await admin.post('/api/enterprises').send(e).expect(201);
      await admin
        .put(`/api/enterprises/${body.id}/plan`)
        .send({ season: '2025-2026', measures: [measure()] })
        .expect(200);
    }
    const fresh = enterpriseInput({ name: '新增水泥有限公司', industry: 'CEMENT', grade: 'C' });
    const csv = await toBuffer(
      'csv',
      sheet([
        { input: same, measures: [measure()] },
        {
          input: { ...changed, grade: 'C', address: '孝义市新厂区' },
          measures: [measure(), measure({ level: 'RED', action: 'STOP', params: {}, description: '停产' })],
        },
        { input: fresh, measures: [measure()] },
      ]),
    );
    return { csv, same, changed };
  }

  it('previews 1 new, 1 changed, 1 unchanged with what changes, writing nothing; the import then matches it', async () => {
    const { csv, same, changed } = await threeKinds();
    const before = await counts();
    const { body: preview } = await upload(csv, '清单.csv', '?dryRun=true').expect(200);
    expect(await counts()).toEqual(before);
    expect(preview).toMatchObject({ added: 1, updated: 1, unchanged: 1, errors: [], errorCount: 0 });
    expect(preview.digest).toMatch(/^[0-9a-f]{64}$/);
    const byCode = Object.fromEntries(
      preview.rows.map((r: { creditCode: string }) => [r.creditCode, r]),
    ) as Record<string, { kind: string; changes: unknown[]; measureChanges: string[]; row: number }>;
    expect(byCode[same.creditCode]).toMatchObject({ kind: 'unchanged', changes: [], row: 2 });
    expect(byCode[changed.creditCode]).toMatchObject({
      kind: 'updated',
      changes: [
        { column: '地址', before: changed.address, after: '孝义市新厂区' },
        { column: '绩效等级', before: 'B级', after: 'C级' },
      ],
      measureChanges: ['红色预警措施:新增1条'],
    });

    const { body: result } = await upload(csv, '清单.csv', `?expectedDigest=${preview.digest}`).expect(200);
    expect(result).toMatchObject({ imported: 1, updated: 1, unchanged: 1, measures: 3 });
    const after = await counts();
    // One new enterprise; two plan versions (new and changed); the import and two enterprises audited.
    expect(after.enterprises - before.enterprises).toBe(1);
    expect(after.versions - before.versions).toBe(2);
    expect(after.audit - before.audit).toBe(3);
    const audited = await t.dataSource.query(
      `SELECT data->>'creditCode' AS code FROM audit_entry WHERE data->>'importId' = $1 ORDER BY id`,
      [result.importId],
    );
    expect(audited.map((a: { code: string }) => a.code).sort()).toEqual(
      [changed.creditCode, preview.rows[2].creditCode].sort(),
    );
    const unchangedVersions = await t.dataSource.query(
      'SELECT max(version)::int AS v FROM plan_version pv JOIN enterprise e ON e.id = pv.enterprise_id WHERE e.credit_code = $1',
      [same.creditCode],
    );
    expect(unchangedVersions[0].v).toBe(1);
  });

  it('importing the same file twice: the second writes nothing, not a version, not an audit entry', async () => {
    const { csv } = await threeKinds();
    const first = await upload(csv, 'twice.csv').expect(200);
    expect(first.body).toMatchObject({ imported: 1, updated: 1, unchanged: 1 });
    const before = await counts();
    const second = await upload(csv, 'twice.csv').expect(200);
    expect(second.body).toMatchObject({ importId: null, imported: 0, updated: 0, unchanged: 3, measures: 0 });
    expect(await counts()).toEqual(before);
  });

  it('refuses to commit a preview when the data changed in between (409), and writes nothing', async () => {
    const { csv, same } = await threeKinds();
    const { body: preview } = await upload(csv, 'stale.csv', '?dryRun=true').expect(200);
    const { body: found } = await admin.get('/api/enterprises').query({ q: same.creditCode }).expect(200);
    await admin.patch(`/api/enterprises/${found.items[0].id}`).send({ name: '别人改过的名称' }).expect(200);
    const before = await counts();
    const res = await upload(csv, 'stale.csv', `?expectedDigest=${preview.digest}`).expect(409);
    expect(res.body.error).toMatchObject({
      code: 'IMPORT_PREVIEW_STALE',
      message: expect.stringContaining('预览之后数据已有变化'),
    });
    expect(await counts()).toEqual(before);
    // Previewed again, it shows the edit as a change the file would undo.
    const { body: again } = await upload(csv, 'stale.csv', '?dryRun=true').expect(200);
    expect(again).toMatchObject({ added: 1, updated: 2, unchanged: 0 });
    expect(again.digest).not.toBe(preview.digest);
  });

  it('lists row errors in a dry run (200, nothing written) with the row and the column header', async () => {
    const bad = enterpriseInput({ countyCode: '141199' });
    const csv = await toBuffer(
      'csv',
      sheet([
        { input: enterpriseInput(), measures: [] },
        { input: bad, measures: [] },
      ]),
    );
    const before = await counts();
    const { body } = await upload(csv, 'bad.csv', '?dryRun=true').expect(200);
    expect(await counts()).toEqual(before);
    expect(body).toMatchObject({ added: 2, digest: null, errorCount: 1 });
    expect(body.errors).toEqual([
      expect.objectContaining({
        row: 3,
        field: 'countyCode',
        column: '区县代码',
        message: expect.stringMatching(/^第3行 区县代码:/),
      }),
    ]);
    await upload(csv, 'bad.csv').expect(422);
    expect(await counts()).toEqual(before);
  });

  it.each([
    [
      'a PNG renamed .xlsx',
      Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'),
      'list.xlsx',
      /^文件不是有效的 XLSX 或 CSV 表格:内容是图片$/,
    ],
    [
      'a PDF',
      Buffer.from('%PDF-1.7\n1 0 obj\n'),
      'list.pdf',
      /^文件不是有效的 XLSX 或 CSV 表格:内容是 PDF 文档$/,
    ],
    [
      'garbage renamed .xlsx',
      Buffer.from('not a workbook at all'),
      'list.xlsx',
      /^文件不是有效的 XLSX 或 CSV 表格/,
    ],
    [
      'a damaged zip',
      Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(100, 7)]),
      'list.xlsx',
      /^文件不是有效的 XLSX 或 CSV 表格:/,
    ],
    ['an empty file', Buffer.alloc(0), 'empty.csv', /^文件是空的/],
    [
      'a CSV in GBK',
      Buffer.from('cdb3d2bbc9e7bbe1d0c5d3c3b4fac2eb2cc6f3d2b5c3fbb3c60a', 'hex'),
      'gbk.csv',
      /不是 UTF-8 编码/,
    ],
  ])(
    'refuses %s with 400 and a short Chinese message, in a dry run and an import',
    async (_case, buffer, name, message) => {
      const before = await counts();
      for (const query of ['?dryRun=true', '']) {
        const res = await upload(buffer, name, query).expect(400);
        expect(res.body.error).toMatchObject({
          code: 'INVALID_FILE',
          message: expect.stringMatching(message),
        });
        // No parser's English, no stack: only words a Chinese page may show.
        const said: string[] = [
          res.body.error.message,
          ...res.body.error.fields.map((f: { message: string }) => f.message),
        ];
        expect(said.flatMap((text) => foreignWords(text, []))).toEqual([]);
      }
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses a malformed dryRun or expectedDigest naming the field', async () => {
    const csv = await toBuffer('csv', sheet([{ input: enterpriseInput(), measures: [] }]));
    const dry = await upload(csv, 'x.csv', '?dryRun=yes').expect(422);
    expect(dry.body.error.fields).toEqual([expect.objectContaining({ field: 'dryRun' })]);
    const digest = await upload(csv, 'x.csv', '?expectedDigest=abc').expect(422);
    expect(digest.body.error.fields).toEqual([expect.objectContaining({ field: 'expectedDigest' })]);
  });
});
