import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tags and places that bite (issue 18): the level whose plan measures an order carries (the warning's, or the next
 * one up for an escalated enterprise) and why it was escalated, kept on the order for the notice and the record.
 */
export class OrderEscalation1795900001900 implements MigrationInterface {
  name = 'OrderEscalation1795900001900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" ADD "measure_level" text`);
    await queryRunner.query(
      `ALTER TABLE "reduction_order" ADD "escalated_by" text array NOT NULL DEFAULT '{}'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" DROP COLUMN "escalated_by"`);
    await queryRunner.query(`ALTER TABLE "reduction_order" DROP COLUMN "measure_level"`);
  }
}
