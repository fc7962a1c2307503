import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Document numbers (文号) of released notices: the yearly counter and the number on each release (an approved
 * revision, a warning's expiry, a heads-up). Notices released before this have none (they were sent without one;
 * no number is given to them after the fact).
 */
export class DocumentNumbers1795900000500 implements MigrationInterface {
  name = 'DocumentNumbers1795900000500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "document_number_counter" (
                "prefix" text NOT NULL,
                "year" integer NOT NULL,
                "last_number" integer NOT NULL,
                CONSTRAINT "pk_document_number_counter" PRIMARY KEY ("prefix", "year"),
                CONSTRAINT "chk_document_number_counter_last" CHECK ("last_number" >= 1)
            )
        `);
    await queryRunner.query(`ALTER TABLE "alert_revision" ADD "document_number" text`);
    await queryRunner.query(`ALTER TABLE "alert" ADD "expiry_document_number" text`);
    await queryRunner.query(`ALTER TABLE "heads_up" ADD "document_number" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_alert_revision_document_number" ON "alert_revision" ("document_number") WHERE "document_number" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_alert_expiry_document_number" ON "alert" ("expiry_document_number") WHERE "expiry_document_number" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_heads_up_document_number" ON "heads_up" ("document_number") WHERE "document_number" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_heads_up_document_number"`);
    await queryRunner.query(`DROP INDEX "uq_alert_expiry_document_number"`);
    await queryRunner.query(`DROP INDEX "uq_alert_revision_document_number"`);
    await queryRunner.query(`ALTER TABLE "heads_up" DROP COLUMN "document_number"`);
    await queryRunner.query(`ALTER TABLE "alert" DROP COLUMN "expiry_document_number"`);
    await queryRunner.query(`ALTER TABLE "alert_revision" DROP COLUMN "document_number"`);
    await queryRunner.query(`DROP TABLE "document_number_counter"`);
  }
}
