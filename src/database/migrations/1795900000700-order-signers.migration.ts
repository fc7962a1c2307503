import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who signed for an order's notice (签收人) and who reported its measures, with their phones. */
export class OrderSigners1795900000700 implements MigrationInterface {
  name = 'OrderSigners1795900000700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "reduction_order"
                ADD "received_by_name" text,
                ADD "received_by_phone" text,
                ADD "reported_by_name" text,
                ADD "reported_by_phone" text
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "reduction_order"
                DROP COLUMN "reported_by_phone",
                DROP COLUMN "reported_by_name",
                DROP COLUMN "received_by_phone",
                DROP COLUMN "received_by_name"
        `);
  }
}
