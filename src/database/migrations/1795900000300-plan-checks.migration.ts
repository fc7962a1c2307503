import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans never relax on an upgrade (issue 14).
 * - Rulesets recorded before grade minimums were ruleset data get the one every standard since 2019 sets
 *   (domain.md §3): a D-grade enterprise stops production and road transport at every level. Seeded rows get
 *   the same value from seeds/rulesets.json on a fresh database.
 * - Each plan version keeps the warnings of its own measures where a higher level drops or relaxes a lower
 *   level's measure (`relaxations`, written with the version, which never changes), so the adequacy report
 *   reads them instead of re-checking every measure of the list. NULL: a version written before this column;
 *   its warnings are computed when read.
 */
export class PlanChecks1795900000300 implements MigrationInterface {
  name = 'PlanChecks1795900000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE ruleset SET definition = definition || $1::jsonb WHERE NOT definition ? 'gradeMinimums'`,
      [JSON.stringify({ gradeMinimums: { D: { allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] } } })],
    );
    await queryRunner.query(`ALTER TABLE "plan_version" ADD "relaxations" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plan_version" DROP COLUMN "relaxations"`);
    await queryRunner.query(`UPDATE ruleset SET definition = definition - 'gradeMinimums'`);
  }
}
