import { MigrationInterface, QueryRunner } from 'typeorm';

/** Import with a preview: the upload kept until it is confirmed, and how many enterprises an import left alone. */
export class ImportPreview1795900001100 implements MigrationInterface {
  name = 'ImportPreview1795900001100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "enterprise_import_preview" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "filename" text NOT NULL,
                "content" bytea NOT NULL,
                "digest" character(64) NOT NULL,
                "created_by" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_enterprise_import_preview" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_enterprise_import_preview_expires" ON "enterprise_import_preview" ("expires_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "enterprise_import" ADD "unchanged" integer NOT NULL DEFAULT 0
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enterprise_import" DROP COLUMN "unchanged"`);
    await queryRunner.query(`DROP INDEX "idx_enterprise_import_preview_expires"`);
    await queryRunner.query(`DROP TABLE "enterprise_import_preview"`);
  }
}
