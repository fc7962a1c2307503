import { MigrationInterface, QueryRunner } from 'typeorm';

/** Copies of the audit chain head taken over time; append-only like the log they anchor. */
export class AuditAnchor1795881567056 implements MigrationInterface {
  name = 'AuditAnchor1795881567056';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_anchor" (
                "id" BIGSERIAL NOT NULL,
                "anchored_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "entry_id" bigint NOT NULL,
                "entry_hash" character(64) NOT NULL,
                "entry_count" bigint NOT NULL,
                CONSTRAINT "PK_0ea407435eebceee6956a062dda" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON "audit_anchor"
            FOR EACH ROW EXECUTE FUNCTION audit_entry_reject_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON "audit_anchor"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_reject_change()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_anchor_no_truncate ON "audit_anchor"`);
    await queryRunner.query(`DROP TRIGGER audit_anchor_append_only ON "audit_anchor"`);
    await queryRunner.query(`
            DROP TABLE "audit_anchor"
        `);
  }
}
