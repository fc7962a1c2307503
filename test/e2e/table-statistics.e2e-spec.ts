import { TableStatistics } from '../../src/common/sql/table-statistics.service';
import { toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { scenario } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * After a bulk write commits, the tables it filled are analysed (TableStatistics, through the schema owner's
 * analyze_tables): the planner's row counts (pg_class.reltuples) then include the new rows, rather than waiting for
 * autovacuum (off on the CI server).
 */
describe('planner statistics after bulk writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-28T10:00:00+08:00');
  });
  afterAll(() => t.close());

  const planned = async (table: string): Promise<{ tuples: number; analysedAt: Date | null }> => {
    const [row] = await t.dataSource.query<Array<{ tuples: number; analysed_at: Date | null }>>(
      `SELECT c.reltuples::int AS tuples, s.last_analyze AS analysed_at
         FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace`,
      [table],
    );
    return { tuples: row.tuples, analysedAt: row.analysed_at };
  };

  it('analyses the enterprises and plans an import wrote, once it has committed', async () => {
    const admin = await t.signIn(['ADMIN']);
    const before = await planned('enterprise');
    const rows = Array.from({ length: 40 }, () => enterpriseInput()).flatMap((input) =>
      toRows(input, '2025-2026', [measure(), measure({ level: 'ORANGE', params: { percent: 30 } })]),
    );
    await admin
      .post('/api/enterprises/import')
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', await toBuffer('csv', rows), 'list.csv')
      .expect(200);
    await t.app.get(TableStatistics).settled();

    const after = await planned('enterprise');
    expect(after.tuples).toBeGreaterThanOrEqual(40);
    expect(after.analysedAt).not.toBeNull();
    expect(after.analysedAt!.getTime()).toBeGreaterThan(before.analysedAt?.getTime() ?? 0);
    expect((await planned('plan_version')).tuples).toBeGreaterThanOrEqual(40);
    expect((await planned('plan_measure')).tuples).toBeGreaterThanOrEqual(80);
    expect((await planned('plan_start_reduction')).tuples).toBeGreaterThanOrEqual(80);
  });

  it('analyses the orders and messages an approval wrote', async () => {
    await scenario(t)
      .enterprises(['jia', 'yi', 'bing'].map((key) => ({ key, measures: [measure({ level: 'ORANGE' })] })))
      .warning({ level: 'ORANGE' })
      .approved();
    await t.app.get(TableStatistics).settled();
    expect((await planned('reduction_order')).tuples).toBeGreaterThanOrEqual(3);
    expect((await planned('outbox_message')).tuples).toBeGreaterThanOrEqual(3);
  });

  it('analyses those tables and no other through the owner’s function', async () => {
    await expect(t.dataSource.query(`SELECT analyze_tables(ARRAY['audit_entry'])`)).rejects.toThrow(
      'not analysed here: audit_entry',
    );
    // the service's own login may not analyse a table it does not own
    const [{ owner }] = await t.dataSource.query<Array<{ owner: boolean }>>(
      `SELECT pg_has_role(current_user, relowner, 'USAGE') AS owner FROM pg_class WHERE relname = 'enterprise'`,
    );
    expect(owner).toBe(false);
  });
});
