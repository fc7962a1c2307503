import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tags and places that bite (issue 18), "treat as one grade lower": the grade a warning's order treated its enterprise
 * as (its own, or lower for a GRADE_LOWER reason), kept for the notice and the record; null for orders written before.
 */
export class OrderGradeTaken1795900002100 implements MigrationInterface {
  name = 'OrderGradeTaken1795900002100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" ADD "grade_taken" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" DROP COLUMN "grade_taken"`);
  }
}
