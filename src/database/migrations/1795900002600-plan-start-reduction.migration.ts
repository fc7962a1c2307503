import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per plan version and level, the summed reductions of the measures in force at the start of a response (elapsed
 * hour 0), written with the plan (reduction-list.writer replacePlans). The adequacy report read and summed every
 * measure row for this (900,000 wide rows at 100,000 enterprises, 2-4 s); these are 300,000 narrow ones. A version
 * with no measure in force at hour 0 at a level has no row there. Existing versions are filled from their measures.
 */
export class PlanStartReduction1795900002600 implements MigrationInterface {
  name = 'PlanStartReduction1795900002600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "plan_start_reduction" (
                "plan_version_id" uuid NOT NULL,
                "level" text NOT NULL,
                "so2" numeric(16, 3) NOT NULL,
                "nox" numeric(16, 3) NOT NULL,
                "pm" numeric(16, 3) NOT NULL,
                "vocs" numeric(16, 3) NOT NULL,
                CONSTRAINT "pk_plan_start_reduction" PRIMARY KEY ("plan_version_id", "level"),
                CONSTRAINT "fk_plan_start_reduction_version" FOREIGN KEY ("plan_version_id")
                    REFERENCES "plan_version"("id") ON DELETE CASCADE ON UPDATE NO ACTION
            )
        `);
    await queryRunner.query(`
            INSERT INTO plan_start_reduction (plan_version_id, level, so2, nox, pm, vocs)
            SELECT pm.plan_version_id, pm.level, sum(pm.reduction_so2), sum(pm.reduction_nox), sum(pm.reduction_pm),
                   sum(pm.reduction_vocs)
              FROM plan_measure pm
             WHERE (pm.from_hour IS NULL OR pm.from_hour = 0) AND (pm.to_hour IS NULL OR pm.to_hour > 0)
             GROUP BY pm.plan_version_id, pm.level
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "plan_start_reduction"`);
  }
}
