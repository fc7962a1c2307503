import { MigrationInterface, QueryRunner } from 'typeorm';

/** Consultations with their forecasts, and warnings with their proposed changes and approved revisions. */
export class AlertLifecycle1795870053308 implements MigrationInterface {
  name = 'AlertLifecycle1795870053308';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "alert" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" text NOT NULL,
                "status" text NOT NULL,
                "level" text NOT NULL,
                "county_codes" character varying(12) array NOT NULL,
                "effective_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expected_end_at" TIMESTAMP WITH TIME ZONE,
                "lifted_at" TIMESTAMP WITH TIME ZONE,
                "ruleset_id" character varying(40) NOT NULL,
                "created_by" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ad91cad659a3536465d564a4b2f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_alert_code" ON "alert" ("code")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_alert_status" ON "alert" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "alert_change" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "alert_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "status" text NOT NULL,
                "level" text NOT NULL,
                "county_codes" character varying(12) array NOT NULL,
                "effective_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expected_end_at" TIMESTAMP WITH TIME ZONE,
                "reason" text NOT NULL,
                "consultation_id" uuid,
                "recommendation" jsonb,
                "lift_check" jsonb,
                "proposed_by" text NOT NULL,
                "proposed_by_id" uuid NOT NULL,
                "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "decided_by" text,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "decision_reason" text,
                CONSTRAINT "PK_9533933be865c41dd475073aa62" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_alert_change_pending" ON "alert_change" ("alert_id")
            WHERE status = 'PENDING'
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_alert_change_alert" ON "alert_change" ("alert_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "alert_revision" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "alert_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "kind" text NOT NULL,
                "level" text NOT NULL,
                "county_codes" character varying(12) array NOT NULL,
                "effective_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expected_end_at" TIMESTAMP WITH TIME ZONE,
                "reason" text NOT NULL,
                "consultation_id" uuid,
                "previous_revision_id" uuid,
                "change_id" uuid NOT NULL,
                "proposed_by" text NOT NULL,
                "approved_by" text NOT NULL,
                "approved_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "applied_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_a60a2d67f2268a539e6651057c3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_alert_revision_due" ON "alert_revision" ("effective_at")
            WHERE applied_at IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_alert_revision_seq" ON "alert_revision" ("alert_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "consultation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "held_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "participants" text array NOT NULL,
                "opinion" text NOT NULL,
                "ruleset_id" character varying(40) NOT NULL,
                "directive" jsonb,
                "recommendations" jsonb NOT NULL,
                "created_by" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5203569fac28a4a626c42abe70b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_consultation_held_at" ON "consultation" ("held_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "consultation_forecast" (
                "consultation_id" uuid NOT NULL,
                "county_code" character varying(12) NOT NULL,
                "date" date NOT NULL,
                "aqi" integer NOT NULL,
                "primary_pollutant" text NOT NULL,
                CONSTRAINT "PK_b5a54ed36bb0ab829269955bd48" PRIMARY KEY ("consultation_id", "county_code", "date")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_change"
            ADD CONSTRAINT "fk_alert_change_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_revision"
            ADD CONSTRAINT "fk_alert_revision_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consultation_forecast"
            ADD CONSTRAINT "fk_consultation_forecast_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultation"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Warning numbers (2026-001, …) come from one sequence so concurrent drafts never share a number.
    await queryRunner.query(`CREATE SEQUENCE "alert_number_seq"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "alert_number_seq"`);
    await queryRunner.query(`
            ALTER TABLE "consultation_forecast" DROP CONSTRAINT "fk_consultation_forecast_consultation"
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_revision" DROP CONSTRAINT "fk_alert_revision_alert"
        `);
    await queryRunner.query(`
            ALTER TABLE "alert_change" DROP CONSTRAINT "fk_alert_change_alert"
        `);
    await queryRunner.query(`
            DROP TABLE "consultation_forecast"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_consultation_held_at"
        `);
    await queryRunner.query(`
            DROP TABLE "consultation"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_alert_revision_seq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_alert_revision_due"
        `);
    await queryRunner.query(`
            DROP TABLE "alert_revision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_alert_change_alert"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_alert_change_pending"
        `);
    await queryRunner.query(`
            DROP TABLE "alert_change"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_alert_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_alert_code"
        `);
    await queryRunner.query(`
            DROP TABLE "alert"
        `);
  }
}
