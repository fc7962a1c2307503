import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service's login must update the chain head on every append, so it keeps UPDATE on
 * `audit_chain_head`; this trigger lets the head only move forward, to an entry that exists with that hash.
 * Without it the service's own login could roll the head back to hide a tail it cannot delete anyway, or
 * point it at nothing.
 */
export class AuditHeadForwardOnly1795890000000 implements MigrationInterface {
  name = 'AuditHeadForwardOnly1795890000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'UPDATE' THEN
                    RAISE EXCEPTION 'audit_chain_head: % is not allowed', TG_OP;
                END IF;
                IF NEW.id <> OLD.id OR NEW.entry_count < OLD.entry_count
                   OR (OLD.last_id IS NOT NULL AND (NEW.last_id IS NULL OR NEW.last_id < OLD.last_id)) THEN
                    RAISE EXCEPTION 'audit_chain_head only moves forward';
                END IF;
                IF NEW.last_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.last_id AND hash = NEW.hash) THEN
                    RAISE EXCEPTION 'audit_chain_head must name an existing entry with its hash';
                END IF;
                RETURN NEW;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON "audit_chain_head"
            FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON "audit_chain_head"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_chain_head_no_truncate ON "audit_chain_head"`);
    await queryRunner.query(`DROP TRIGGER audit_chain_head_forward_only ON "audit_chain_head"`);
    await queryRunner.query(`DROP FUNCTION audit_chain_head_forward_only()`);
  }
}
