import { MigrationInterface, QueryRunner } from 'typeorm';

/** County ecology-environment bureaus: where overdue enterprises are escalated. */
export class CountyBureau1795872048818 implements MigrationInterface {
  name = 'CountyBureau1795872048818';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "county"
            ADD "bureau_name" text
        `);
    await queryRunner.query(`
            ALTER TABLE "county"
            ADD "bureau_email" text
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "county" DROP COLUMN "bureau_email"
        `);
    await queryRunner.query(`
            ALTER TABLE "county" DROP COLUMN "bureau_name"
        `);
  }
}
