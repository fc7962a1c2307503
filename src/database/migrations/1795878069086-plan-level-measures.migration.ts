import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each plan version keeps its measures per level in the shape orders carry (see reduction-list.writer
 * replacePlans), so approving a warning copies one value per enterprise. Existing versions are filled
 * from their measure rows with the same shape.
 */
export class PlanLevelMeasures1795878069086 implements MigrationInterface {
  name = 'PlanLevelMeasures1795878069086';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "plan_version"
            ADD "level_measures" jsonb NOT NULL DEFAULT '{}'::jsonb
        `);
    await queryRunner.query(`
            UPDATE plan_version pv SET level_measures = x.lists
              FROM (SELECT plan_version_id, jsonb_object_agg(level, list) AS lists
                      FROM (SELECT pm.plan_version_id, pm.level,
                                   jsonb_agg(jsonb_build_object('line', pm.line, 'action', pm.action, 'params', pm.params,
                                     'description', pm.description,
                                     'reduction', jsonb_build_object('so2', pm.reduction_so2::float8, 'nox', pm.reduction_nox::float8,
                                                                     'pm', pm.reduction_pm::float8, 'vocs', pm.reduction_vocs::float8),
                                     'verification', pm.verification, 'fromHour', pm.from_hour, 'toHour', pm.to_hour)
                                     ORDER BY pm.seq) AS list
                              FROM plan_measure pm WHERE pm.to_hour IS DISTINCT FROM 0
                             GROUP BY pm.plan_version_id, pm.level) l
                     GROUP BY plan_version_id) x
             WHERE pv.id = x.plan_version_id
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "plan_version" DROP COLUMN "level_measures"
        `);
  }
}
