import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation schema: reference data (counties, industries, rulesets), users and sessions, and the
 * append-only hash-chained audit log. The audit triggers are written by hand (TypeORM does not model them).
 */
export class Foundation1795867319605 implements MigrationInterface {
  name = 'Foundation1795867319605';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_entry" (
                "id" BIGSERIAL NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "actor_type" text NOT NULL,
                "actor_id" text,
                "actor_name" text,
                "action" text NOT NULL,
                "subject_type" text,
                "subject_id" text,
                "alert_id" uuid,
                "request_id" text,
                "ip" text,
                "data" jsonb NOT NULL,
                "prev_hash" character(64) NOT NULL,
                "hash" character(64) NOT NULL,
                CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_audit_entry_hash" ON "audit_entry" ("hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_audit_entry_actor" ON "audit_entry" ("actor_name")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_audit_entry_alert" ON "audit_entry" ("alert_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_audit_entry_subject" ON "audit_entry" ("subject_type", "subject_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_audit_entry_action" ON "audit_entry" ("action")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_audit_entry_occurred_at" ON "audit_entry" ("occurred_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_chain_head" (
                "id" integer NOT NULL,
                "last_id" bigint,
                "hash" character(64) NOT NULL,
                "entry_count" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_9211408bf584034de409b1bbec5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "login_failure" (
                "id" BIGSERIAL NOT NULL,
                "username" text NOT NULL,
                "ip" text NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_5df78140d5d3f4afc249d879cdf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_login_failure_ip" ON "login_failure" ("ip", "at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_login_failure_username" ON "login_failure" ("username", "at")
        `);
    await queryRunner.query(`
            CREATE TABLE "app_user" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "username" text NOT NULL,
                "display_name" text NOT NULL,
                "password_hash" text NOT NULL,
                "roles" text array NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_app_user_username" ON "app_user" ("username")
        `);
    await queryRunner.query(`
            CREATE TABLE "user_session" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" character(64) NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "ip" text,
                "user_agent" text,
                CONSTRAINT "PK_adf3b49590842ac3cf54cac451a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_user_session_token_hash" ON "user_session" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_user_session_user" ON "user_session" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "industry" (
                "code" character varying(40) NOT NULL,
                "name" text NOT NULL,
                "name_en" text NOT NULL,
                "category" text NOT NULL,
                "key_industry" boolean NOT NULL,
                "sort_order" integer NOT NULL,
                CONSTRAINT "PK_d76e293720ae8ab8fe7afffdc98" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "county" (
                "code" character varying(12) NOT NULL,
                "name" text NOT NULL,
                "name_en" text NOT NULL,
                "kind" text NOT NULL,
                "joint_control_area" boolean NOT NULL DEFAULT false,
                "sort_order" integer NOT NULL,
                CONSTRAINT "PK_7173be2c5b2ff6434042412edd1" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "ruleset" (
                "id" character varying(40) NOT NULL,
                "name" text NOT NULL,
                "source" text NOT NULL,
                "effective_from" date NOT NULL,
                "effective_to" date,
                "levels" text array NOT NULL,
                "definition" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_71dd9f178c463aefd683b506588" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "user_session"
            ADD CONSTRAINT "fk_user_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
    await queryRunner.query(`
            CREATE FUNCTION audit_entry_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "audit_entry"
            FOR EACH ROW EXECUTE FUNCTION audit_entry_reject_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "audit_entry"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_reject_change()
        `);
    // One head row; its row lock serialises appends so the chain never forks.
    await queryRunner.query(`
            INSERT INTO "audit_chain_head" ("id", "last_id", "hash", "entry_count") VALUES (1, NULL, repeat('0', 64), 0)
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_chain_head" ADD CONSTRAINT "ck_audit_chain_head_single" CHECK ("id" = 1)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "user_session" DROP CONSTRAINT "fk_user_session_user"
        `);
    await queryRunner.query(`
            DROP TABLE "ruleset"
        `);
    await queryRunner.query(`
            DROP TABLE "county"
        `);
    await queryRunner.query(`
            DROP TABLE "industry"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_user_session_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_user_session_token_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "user_session"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_app_user_username"
        `);
    await queryRunner.query(`
            DROP TABLE "app_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_login_failure_username"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_login_failure_ip"
        `);
    await queryRunner.query(`
            DROP TABLE "login_failure"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_chain_head"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_audit_entry_occurred_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_audit_entry_action"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_audit_entry_subject"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_audit_entry_alert"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_audit_entry_actor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_audit_entry_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_entry"
        `);
    await queryRunner.query(`
            DROP FUNCTION audit_entry_reject_change()
        `);
  }
}
