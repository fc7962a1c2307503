import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log filtered by kind of actor (系统, 企业 …), newest first, without reading the whole log. */
export class AuditActorType1795900000900 implements MigrationInterface {
  name = 'AuditActorType1795900000900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "idx_audit_entry_actor_type_id" ON "audit_entry" ("actor_type", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idx_audit_entry_actor_type_id"
        `);
  }
}
