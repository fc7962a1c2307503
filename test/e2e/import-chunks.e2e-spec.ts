import { AuditEntry } from '../../src/audit/audit-entry.entity';
import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { RawRow, toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const sheet = (items: Array<{ input: EnterpriseInput; measures: MeasureInput[] }>): RawRow[] =>
  items.flatMap((i) => toRows(i.input, '2025-2026', i.measures));

/**
 * An import planned and written two enterprises at a time (IMPORT_CHUNK_ENTERPRISES=2), so that a file of five
 * spans three chunks (issue 19): still all or nothing, with the same counts, audit entries and preview digest.
 */
describe('reduction list import in chunks', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp({ env: { IMPORT_CHUNK_ENTERPRISES: '2' } });
    admin = await t.signIn(['ADMIN']);
  });
  afterAll(() => t.close());

  const upload = (buffer: Buffer, name: string, query = '') =>
    admin
      .post(`/api/enterprises/import${query}`)
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', buffer, name);
  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM enterprise)::int AS enterprises, (SELECT count(*) FROM plan_version)::int AS versions,
                (SELECT count(*) FROM plan_measure)::int AS measures, (SELECT count(*) FROM audit_entry)::int AS audit,
                (SELECT count(*) FROM enterprise_import)::int AS imports`,
      )
    )[0] as Record<string, number>;
  const five = () =>
    Array.from({ length: 5 }, (_, i) => ({
      input: enterpriseInput({ name: `分块导入焦化有限公司${i}` }),
      measures: [measure(), measure({ level: 'ORANGE', params: { percent: 30 }, description: '限产30%' })],
    }));

  it.each(['csv', 'xlsx'] as const)(
    'imports a %s of five enterprises across three chunks, one import record and its audit entry last',
    async (format) => {
      const items = five();
      const before = await counts();
      const res = await upload(await toBuffer(format, sheet(items)), `清单.${format}`).expect(200);
      expect(res.body).toMatchObject({ imported: 5, updated: 0, unchanged: 0, measures: 10, warnings: [] });
      expect(await counts()).toEqual({
        enterprises: before.enterprises + 5,
        versions: before.versions + 5,
        measures: before.measures + 10,
        audit: before.audit + 6,
        imports: before.imports + 1,
      });
      const record = (
        await t.dataSource.query(
          'SELECT rows, created, updated, unchanged, measures, format FROM enterprise_import WHERE id = $1',
          [res.body.importId],
        )
      )[0];
      expect(record).toEqual({ rows: 10, created: 5, updated: 0, unchanged: 0, measures: 10, format });
      const entries = await t.dataSource
        .getRepository(AuditEntry)
        .createQueryBuilder('a')
        .where(`a.data->>'importId' = :id OR a.subject_id = :id`, { id: res.body.importId })
        .orderBy('a.id')
        .getMany();
      expect(entries.map((e) => [e.action, e.data.creditCode ?? null])).toEqual([
        ...items.map((i) => ['enterprise.created', i.input.creditCode]),
        ['enterprise.import', null],
      ]);
      expect(entries.at(-1)!.data).toMatchObject({ rows: 10, created: 5, updated: 0, measures: 10 });
      const versions = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM plan_version WHERE import_id = $1 AND is_current`,
        [res.body.importId],
      );
      expect(versions[0].n).toBe(5);
    },
  );

  it('refuses a file whose last chunk has a bad row, naming it, and leaves the earlier chunks unwritten', async () => {
    const items = five();
    items[4].input = { ...items[4].input, countyCode: '999999' };
    const before = await counts();
    const res = await upload(await toBuffer('xlsx', sheet(items)), 'late.xlsx').expect(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    // Rows 2–9 are the first four enterprises (two rows each); the fifth starts on row 10.
    expect(res.body.errors).toEqual([
      expect.objectContaining({ row: 10, field: 'countyCode', message: expect.stringMatching(/^第10行 /) }),
    ]);
    expect(await counts()).toEqual(before);
    const written = await t.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM enterprise WHERE credit_code = ANY($1)',
      [items.map((i) => i.input.creditCode)],
    );
    expect(written[0].n).toBe(0);
  });

  it('counts a re-import across chunks: one change in the last chunk, the rest unchanged; nothing changed writes nothing', async () => {
    const items = five();
    await upload(await toBuffer('csv', sheet(items)), 'first.csv').expect(200);
    const again = await toBuffer('csv', sheet(items));
    const before = await counts();
    const same = await upload(again, 'same.csv').expect(200);
    expect(same.body).toMatchObject({ importId: null, imported: 0, updated: 0, unchanged: 5, measures: 0 });
    expect(await counts()).toEqual(before);

    items[4].input = { ...items[4].input, grade: 'C' };
    const res = await upload(await toBuffer('csv', sheet(items)), 'changed.csv').expect(200);
    expect(res.body).toMatchObject({ imported: 0, updated: 1, unchanged: 4, measures: 0 });
    expect(await counts()).toEqual({ ...before, audit: before.audit + 2, imports: before.imports + 1 });
    const record = (
      await t.dataSource.query('SELECT created, updated, unchanged FROM enterprise_import WHERE id = $1', [
        res.body.importId,
      ])
    )[0];
    expect(record).toEqual({ created: 0, updated: 1, unchanged: 4 });
  });

  it('imports what a preview showed across chunks, and refuses (writing nothing) once a late enterprise changed', async () => {
    const items = five();
    const csv = await toBuffer('csv', sheet(items));
    const { body: preview } = await upload(csv, 'preview.csv', '?dryRun=true').expect(200);
    expect(preview).toMatchObject({
      added: 5,
      errorCount: 0,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const { body: done } = await upload(csv, 'preview.csv', `?expectedDigest=${preview.digest}`).expect(200);
    expect(done).toMatchObject({ imported: 5 });

    const next = items.map((i) => ({ ...i, input: { ...i.input, grade: 'C' as const } }));
    const changed = await toBuffer('csv', sheet(next));
    const { body: second } = await upload(changed, 'stale.csv', '?dryRun=true').expect(200);
    expect(second).toMatchObject({ updated: 5 });
    // The last enterprise (third chunk) is edited after the preview: the first two chunks were already written
    // by the time the import finds out, and must go back.
    const last = (
      await t.dataSource.query<Array<{ id: string }>>('SELECT id FROM enterprise WHERE credit_code = $1', [
        items[4].input.creditCode,
      ])
    )[0];
    await admin
      .patch(`/api/enterprises/${last.id}`)
      .set('X-Requested-With', 'XMLHttpRequest')
      .send({ name: '预览之后改名有限公司' })
      .expect(200);
    const before = await counts();
    const res = await upload(changed, 'stale.csv', `?expectedDigest=${second.digest}`).expect(409);
    expect(res.body.error.code).toBe('IMPORT_PREVIEW_STALE');
    expect(await counts()).toEqual(before);
    const grades = await t.dataSource.query<Array<{ grade: string }>>(
      'SELECT DISTINCT grade FROM enterprise WHERE credit_code = ANY($1)',
      [items.map((i) => i.input.creditCode)],
    );
    expect(grades).toEqual([{ grade: 'B' }]);
  });
});
