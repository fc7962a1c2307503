import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign's order written while a warning is in force names that warning's order for the enterprise (issue 18):
 * its notice composes, from the two orders' measures, what applies while the warning lasts (duringWarningSentence).
 * The approval wrote that sentence per order before (`during_warning`, 1795900002300): reading every warning order
 * into the service and composing 7,692 sentences took 216 of the campaign approval's ≈600 ms at 10,000 enterprises;
 * one join in the orders' INSERT takes a few. Orders written before keep their sentence. No foreign key: an order
 * is never deleted, and a check per written row would cost the INSERT what the join saved.
 */
export class OrderDuringWarningOrder1795900002500 implements MigrationInterface {
  name = 'OrderDuringWarningOrder1795900002500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" ADD "during_warning_order_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" DROP COLUMN "during_warning_order_id"`);
  }
}
