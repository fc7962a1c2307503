import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reduction orders, the email outbox and its delivery history. */
export class OrdersOutbox1795870905159 implements MigrationInterface {
  name = 'OrdersOutbox1795870905159';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "outbox_message" (
                "id" uuid NOT NULL,
                "order_id" uuid,
                "alert_id" uuid,
                "kind" text NOT NULL,
                "recipients" text array NOT NULL,
                "context" jsonb,
                "state" text NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "lease_until" TIMESTAMP WITH TIME ZONE,
                "last_error" text,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_outbox_message_order" ON "outbox_message" ("order_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_outbox_message_lease" ON "outbox_message" ("lease_until")
            WHERE state = 'SENDING'
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_outbox_message_due" ON "outbox_message" ("next_attempt_at")
            WHERE state IN ('QUEUED', 'RETRYING')
        `);
    await queryRunner.query(`
            CREATE TABLE "outbox_message_history" (
                "id" BIGSERIAL NOT NULL,
                "message_id" uuid NOT NULL,
                "from_state" text,
                "to_state" text NOT NULL,
                "attempt" integer NOT NULL,
                "detail" text,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a86436d9c437711f4996fb11f2a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_outbox_message_history_message" ON "outbox_message_history" ("message_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "reduction_order" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "alert_id" uuid NOT NULL,
                "revision_id" uuid NOT NULL,
                "enterprise_id" uuid NOT NULL,
                "county_code" character varying(12) NOT NULL,
                "level" text NOT NULL,
                "notice_type" text NOT NULL,
                "state" text NOT NULL,
                "problem" text,
                "measures" jsonb NOT NULL,
                "recipients" text array NOT NULL,
                "effective_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "receipt_due_at" TIMESTAMP WITH TIME ZONE,
                "report_due_at" TIMESTAMP WITH TIME ZONE,
                "supersedes_order_id" uuid,
                "received_at" TIMESTAMP WITH TIME ZONE,
                "executed_at" TIMESTAMP WITH TIME ZONE,
                "measures_in_place_at" TIMESTAMP WITH TIME ZONE,
                "report_note" text,
                "reminded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f6662f94b073f59e4b6cadefe26" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_reduction_order_enterprise" ON "reduction_order" ("enterprise_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_reduction_order_alert_state" ON "reduction_order" ("alert_id", "state")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_reduction_order_revision_enterprise" ON "reduction_order" ("revision_id", "enterprise_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."uq_reduction_order_revision_enterprise"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_reduction_order_alert_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_reduction_order_enterprise"
        `);
    await queryRunner.query(`
            DROP TABLE "reduction_order"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_outbox_message_history_message"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_message_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_outbox_message_due"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_outbox_message_lease"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_outbox_message_order"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_message"
        `);
  }
}
