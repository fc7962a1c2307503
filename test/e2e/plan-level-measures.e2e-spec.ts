import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The same aggregation the migration back-fills with, over the measure rows. */
const FROM_ROWS = `
  SELECT plan_version_id, jsonb_object_agg(level, list) AS lists
    FROM (SELECT pm.plan_version_id, pm.level,
                 jsonb_agg(jsonb_build_object('line', pm.line, 'action', pm.action, 'params', pm.params,
                   'description', pm.description,
                   'reduction', jsonb_build_object('so2', pm.reduction_so2::float8, 'nox', pm.reduction_nox::float8,
                                                   'pm', pm.reduction_pm::float8, 'vocs', pm.reduction_vocs::float8),
                   'verification', pm.verification, 'fromHour', pm.from_hour, 'toHour', pm.to_hour) ORDER BY pm.seq) AS list
            FROM plan_measure pm WHERE pm.to_hour IS DISTINCT FROM 0
           GROUP BY pm.plan_version_id, pm.level) l
   GROUP BY plan_version_id`;

describe('plan versions keep their measures per level in the orders’ shape', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('stores exactly what aggregating the measure rows gives, for every version', async () => {
    const enterprises = t.app.get(EnterprisesService);
    const a = await enterprises.create(
      enterpriseInput({ baseline: { so2: 500, nox: 500, pm: 500, vocs: 500 } }),
      SYSTEM_ACTOR,
    );
    await enterprises.putPlan(
      a.id,
      {
        measures: [
          measure({
            level: 'ORANGE',
            description: '  限产20% ',
            reduction: { so2: 12.5, nox: 0.1, pm: 3, vocs: 0 },
          }),
          measure({
            level: 'ORANGE',
            line: null,
            action: 'OTHER',
            params: {},
            description: '道路洒水',
            fromHour: 24,
          }),
          measure({ level: 'RED', action: 'STOP', params: {}, description: '停产', toHour: 48 }),
          measure({ level: 'RED', action: 'OTHER', params: {}, description: '从不生效', toHour: 0 }),
        ],
      },
      SYSTEM_ACTOR,
    );
    const b = await enterprises.create(enterpriseInput(), SYSTEM_ACTOR);
    await enterprises.putPlan(b.id, { measures: [] }, SYSTEM_ACTOR);

    const rows = await t.dataSource.query<
      Array<{ id: string; same: boolean; stored: Record<string, unknown[]> }>
    >(
      `SELECT pv.id, pv.level_measures = COALESCE(x.lists, '{}'::jsonb) AS same, pv.level_measures AS stored
         FROM plan_version pv LEFT JOIN (${FROM_ROWS}) x ON x.plan_version_id = pv.id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => !r.same)).toEqual([]);
    const stored = rows.map((r) => r.stored).find((s) => s.RED)!;
    expect(stored.ORANGE.map((m) => (m as { description: string }).description)).toEqual([
      '限产20%',
      '道路洒水',
    ]);
    expect(stored.RED).toHaveLength(1); // the measure that ends at hour 0 never applies

    // The sums the adequacy report reads: per version and level, the measures in force at hour 0 (the ORANGE
    // measure from hour 24 and the RED one ending at hour 0 are left out), and no row where none is.
    const sums = await t.dataSource.query<Array<{ level: string; so2: string; pm: string }>>(
      `SELECT sr.level, sr.so2, sr.pm FROM plan_start_reduction sr
         JOIN plan_version pv ON pv.id = sr.plan_version_id AND pv.is_current
        WHERE pv.enterprise_id = $1 ORDER BY sr.level`,
      [a.id],
    );
    expect(sums).toEqual([
      { level: 'ORANGE', so2: '12.500', pm: '3.000' },
      { level: 'RED', so2: '20.000', pm: '10.000' }, // 停产 until hour 48, the factory's reduction
    ]);
    const none = await t.dataSource.query(
      `SELECT 1 FROM plan_start_reduction sr JOIN plan_version pv ON pv.id = sr.plan_version_id
        WHERE pv.enterprise_id = $1`,
      [b.id],
    );
    expect(none).toEqual([]);
  });
});
