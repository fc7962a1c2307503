import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rulesets recorded before grade minimums were ruleset data get the one every standard since 2019 sets
 * (domain.md §3): a D-grade enterprise stops production and road transport at every level. Plan checks warn
 * when a plan falls short of it. Seeded rows get the same value from seeds/rulesets.json on a fresh database.
 */
export class GradeMinimums1795900000300 implements MigrationInterface {
  name = 'GradeMinimums1795900000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE ruleset SET definition = definition || $1::jsonb WHERE NOT definition ? 'gradeMinimums'`,
      [JSON.stringify({ gradeMinimums: { D: { allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] } } })],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE ruleset SET definition = definition - 'gradeMinimums'`);
  }
}
