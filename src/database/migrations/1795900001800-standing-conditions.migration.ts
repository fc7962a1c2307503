import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Standing conditions (issue 18, seed item 5): limits an enterprise's outlets must meet at all times (the deep-treatment
 * caps of 山西中阳钢铁 and 山西福裕焦化 from 2023-01-01), and what the CEMS readings show against them. Written only by
 * src/standing-conditions/; no entities (raw SQL, like telemetry_discrepancy): findings are replaced set-wise on every
 * check, keyed by what they are about.
 */
export class StandingConditions1795900001800 implements MigrationInterface {
  name = 'StandingConditions1795900001800';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "standing_condition" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enterprise_id" uuid NOT NULL,
                "county_code" varchar(12) NOT NULL,
                "name" text NOT NULL,
                "basis" text NOT NULL,
                "outlet_codes" text[] NOT NULL DEFAULT '{}',
                "limit_so2" numeric(12,3),
                "limit_nox" numeric(12,3),
                "limit_pm" numeric(12,3),
                "limit_vocs" numeric(12,3),
                "valid_from" date NOT NULL,
                "valid_to" date,
                "created_by_name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "updated_by_name" text NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "archived_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "pk_standing_condition" PRIMARY KEY ("id"),
                CONSTRAINT "ck_standing_condition_limits" CHECK (COALESCE("limit_so2", "limit_nox", "limit_pm", "limit_vocs") IS NOT NULL),
                CONSTRAINT "ck_standing_condition_validity" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from"),
                CONSTRAINT "fk_standing_condition_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_standing_condition_county" FOREIGN KEY ("county_code") REFERENCES "county"("code")
            )
        `);
    // Kept by name among the enterprise's current conditions (a PUT updates the one of the same name in place).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_standing_condition_name" ON "standing_condition" ("enterprise_id", "name") WHERE "archived_at" IS NULL`,
    );
    await queryRunner.query(`
            CREATE TABLE "standing_condition_finding" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "condition_id" uuid NOT NULL,
                "enterprise_id" uuid NOT NULL,
                "county_code" varchar(12) NOT NULL,
                "point_id" uuid NOT NULL,
                "metric" text NOT NULL,
                "kind" text NOT NULL,
                "from_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "to_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "hours" integer NOT NULL,
                "allowed" double precision NOT NULL,
                "observed_max" double precision,
                "observed_avg" double precision,
                "first_found_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_standing_condition_finding" PRIMARY KEY ("id"),
                CONSTRAINT "uq_standing_condition_finding_key" UNIQUE ("condition_id", "point_id", "metric", "kind", "from_at"),
                CONSTRAINT "ck_standing_condition_finding_kind" CHECK ("kind" IN ('EXCEEDED', 'MISSING_DATA')),
                CONSTRAINT "ck_standing_condition_finding_span" CHECK ("to_at" > "from_at" AND "hours" > 0),
                CONSTRAINT "fk_standing_condition_finding_condition" FOREIGN KEY ("condition_id") REFERENCES "standing_condition"("id"),
                CONSTRAINT "fk_standing_condition_finding_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_standing_condition_finding_county" FOREIGN KEY ("county_code") REFERENCES "county"("code"),
                CONSTRAINT "fk_standing_condition_finding_point" FOREIGN KEY ("point_id") REFERENCES "metering_point"("id")
            )
        `);
    // A county's list, newest first; an enterprise's latest.
    await queryRunner.query(
      `CREATE INDEX "idx_standing_condition_finding_county" ON "standing_condition_finding" ("county_code", "from_at" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_standing_condition_finding_enterprise" ON "standing_condition_finding" ("enterprise_id", "from_at" DESC)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "standing_condition_finding"`);
    await queryRunner.query(`DROP TABLE "standing_condition"`);
  }
}
