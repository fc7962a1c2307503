import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The parties a warning's plan names besides the enterprises (issue 15): city departments as reference data, and
 * one notice per county bureau or department per warning revision (or expiry), with its receipt and signer.
 */
export class Parties1795900000600 implements MigrationInterface {
  name = 'Parties1795900000600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "department" (
                "code" character varying(20) NOT NULL,
                "name" text NOT NULL,
                "email" text,
                "phone" text,
                "sort_order" integer NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_department" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "party_notice" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "alert_id" uuid NOT NULL,
                "revision_id" uuid,
                "notice_kind" text NOT NULL,
                "party_kind" text NOT NULL,
                "party_code" character varying(20) NOT NULL,
                "party_name" text NOT NULL,
                "level" text NOT NULL,
                "duties" jsonb NOT NULL,
                "summary" jsonb,
                "recipients" text array NOT NULL,
                "state" text NOT NULL,
                "message_id" uuid,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "receipt_due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE,
                "signer_name" text,
                "signer_phone" text,
                "reminded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_party_notice" PRIMARY KEY ("id"),
                CONSTRAINT "fk_party_notice_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id"),
                CONSTRAINT "fk_party_notice_revision" FOREIGN KEY ("revision_id") REFERENCES "alert_revision"("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_party_notice_alert" ON "party_notice" ("alert_id")`);
    await queryRunner.query(`CREATE INDEX "idx_party_notice_message" ON "party_notice" ("message_id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_party_notice_unconfirmed" ON "party_notice" ("receipt_due_at") WHERE state IN ('PENDING', 'SENT')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "party_notice"`);
    await queryRunner.query(`DROP TABLE "department"`);
  }
}
