import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provincial directives (调度令 / 区域预警) as records of their own; the directives each warning answers; and
 * proposals of the system (the lift that follows a directive's lift), which have no proposing account: their
 * `proposed_by_id` is NULL (`proposed_by` 'system'), so no commander is ever their proposer.
 */
export class Directives1795900000100 implements MigrationInterface {
  name = 'Directives1795900000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "directive" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "number" text NOT NULL,
                "issuer" text NOT NULL,
                "kind" text NOT NULL,
                "level" text NOT NULL,
                "whole_city" boolean NOT NULL,
                "county_codes" character varying(12) array NOT NULL,
                "start_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "end_at" TIMESTAMP WITH TIME ZONE,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ruleset_id" character varying(40) NOT NULL,
                "note" text,
                "recorded_by" text NOT NULL,
                "recorded_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "lifted_at" TIMESTAMP WITH TIME ZONE,
                "lifted_by" text,
                "lifted_by_id" uuid,
                "lift_recorded_at" TIMESTAMP WITH TIME ZONE,
                "lift_reason" text,
                CONSTRAINT "PK_399676ede08f26af35a9c460a09" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_directive_number" ON "directive" ("number")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_directive_start" ON "directive" ("start_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "alert" ADD "directive_ids" uuid array NOT NULL DEFAULT '{}'
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_change" ALTER COLUMN "proposed_by_id" DROP NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // System proposals had no account; the nil uuid keeps them (and matches no user) under the old constraint.
    await queryRunner.query(`
            UPDATE "alert_change" SET "proposed_by_id" = '00000000-0000-0000-0000-000000000000'
             WHERE "proposed_by_id" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_change" ALTER COLUMN "proposed_by_id" SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "alert" DROP COLUMN "directive_ids"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_directive_start"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_directive_number"
        `);
    await queryRunner.query(`
            DROP TABLE "directive"
        `);
  }
}
