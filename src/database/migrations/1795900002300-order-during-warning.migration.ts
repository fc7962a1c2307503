import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign approved while a warning is in force (issue 18): what its order's notice says of that warning (its
 * code, and the stricter of the two measures that applies while it lasts), fixed when the order is written; null for
 * an order under no warning, and for every order written before.
 */
export class OrderDuringWarning1795900002300 implements MigrationInterface {
  name = 'OrderDuringWarning1795900002300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" ADD "during_warning" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" DROP COLUMN "during_warning"`);
  }
}
