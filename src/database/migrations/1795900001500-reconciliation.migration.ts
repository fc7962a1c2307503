import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation (issue 17): the discrepancies the meters show against the orders in force, and each warning's
 * latest run. Written only by src/reconciliation/; no entities (raw SQL, like meter_reading): the rows are
 * replaced set-wise on every run, keyed by what they are about so an officer's review survives the next run.
 */
export class Reconciliation1795900001500 implements MigrationInterface {
  name = 'Reconciliation1795900001500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "telemetry_discrepancy" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "alert_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "enterprise_id" uuid NOT NULL,
                "county_code" varchar(12) NOT NULL,
                "point_id" uuid NOT NULL,
                "measure_index" integer NOT NULL,
                "action" text NOT NULL,
                "metric" text NOT NULL,
                "kind" text NOT NULL,
                "from_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "to_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "hours" integer NOT NULL,
                "allowed" double precision NOT NULL,
                "reference" double precision NOT NULL,
                "observed_max" double precision,
                "observed_avg" double precision,
                "self_reported" boolean NOT NULL,
                "first_found_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "review_outcome" text,
                "review_note" text,
                "reviewed_by_id" uuid,
                "reviewed_by_name" text,
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "pk_telemetry_discrepancy" PRIMARY KEY ("id"),
                CONSTRAINT "uq_telemetry_discrepancy_key" UNIQUE ("order_id", "point_id", "measure_index", "metric", "kind", "from_at"),
                CONSTRAINT "ck_telemetry_discrepancy_kind" CHECK ("kind" IN ('EXCEEDED', 'MISSING_DATA')),
                CONSTRAINT "ck_telemetry_discrepancy_span" CHECK ("to_at" > "from_at" AND "hours" > 0),
                CONSTRAINT "ck_telemetry_discrepancy_review" CHECK ("review_outcome" IS NULL OR "review_outcome" IN ('CONFIRMED', 'EXPLAINED')),
                CONSTRAINT "fk_telemetry_discrepancy_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id"),
                CONSTRAINT "fk_telemetry_discrepancy_order" FOREIGN KEY ("order_id") REFERENCES "reduction_order"("id"),
                CONSTRAINT "fk_telemetry_discrepancy_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_telemetry_discrepancy_county" FOREIGN KEY ("county_code") REFERENCES "county"("code"),
                CONSTRAINT "fk_telemetry_discrepancy_point" FOREIGN KEY ("point_id") REFERENCES "metering_point"("id"),
                CONSTRAINT "fk_telemetry_discrepancy_reviewer" FOREIGN KEY ("reviewed_by_id") REFERENCES "app_user"("id")
            )
        `);
    // The warning's list (by county), a county's queue across warnings, and an enterprise's history.
    await queryRunner.query(
      `CREATE INDEX "idx_telemetry_discrepancy_alert" ON "telemetry_discrepancy" ("alert_id", "county_code", "from_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_telemetry_discrepancy_county" ON "telemetry_discrepancy" ("county_code", "from_at" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_telemetry_discrepancy_enterprise" ON "telemetry_discrepancy" ("enterprise_id", "from_at")`,
    );
    await queryRunner.query(`
            CREATE TABLE "telemetry_reconciliation" (
                "alert_id" uuid NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "duration_ms" integer NOT NULL,
                "tolerances" jsonb NOT NULL,
                "orders" integer NOT NULL,
                "checks" integer NOT NULL,
                "unmetered" integer NOT NULL,
                "hours_checked" integer NOT NULL,
                "hours_passed" integer NOT NULL,
                "by_county" jsonb NOT NULL,
                CONSTRAINT "pk_telemetry_reconciliation" PRIMARY KEY ("alert_id"),
                CONSTRAINT "fk_telemetry_reconciliation_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "telemetry_reconciliation"`);
    await queryRunner.query(`DROP TABLE "telemetry_discrepancy"`);
  }
}
