import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who created each account and who set its current password, when (for the two-person check), and the concern
 * recorded on an approval. Existing accounts and revisions get NULL: not known.
 */
export class TwoPersonAccounts1795890312418 implements MigrationInterface {
  name = 'TwoPersonAccounts1795890312418';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user"
                ADD "created_by" uuid,
                ADD "password_set_by" uuid,
                ADD "password_set_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_revision" ADD "two_person_concern" jsonb
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "alert_revision" DROP COLUMN "two_person_concern"
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
                DROP COLUMN "password_set_at",
                DROP COLUMN "password_set_by",
                DROP COLUMN "created_by"
        `);
  }
}
