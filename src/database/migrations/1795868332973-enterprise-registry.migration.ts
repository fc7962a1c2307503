import { MigrationInterface, QueryRunner } from 'typeorm';

/** Enterprises, versioned plans (一企一策) and their measures, the emission inventory, import records. */
export class EnterpriseRegistry1795868332973 implements MigrationInterface {
  name = 'EnterpriseRegistry1795868332973';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "emission_inventory" (
                "area_code" character varying(12) NOT NULL,
                "so2" numeric(16, 3) NOT NULL,
                "nox" numeric(16, 3) NOT NULL,
                "pm" numeric(16, 3) NOT NULL,
                "vocs" numeric(16, 3) NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7dcf063a3ed6c5c83909cef766e" PRIMARY KEY ("area_code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "enterprise" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "credit_code" character varying(18) NOT NULL,
                "name" text NOT NULL,
                "industry_code" character varying(40) NOT NULL,
                "county_code" character varying(12) NOT NULL,
                "address" text,
                "longitude" double precision,
                "latitude" double precision,
                "grade" text NOT NULL,
                "is_protected" boolean NOT NULL DEFAULT false,
                "protected_reason" text,
                "protected_max_load" numeric(5, 2),
                "control_tags" text array NOT NULL DEFAULT '{}',
                "contacts" jsonb NOT NULL,
                "lines" jsonb NOT NULL,
                "baseline_so2" numeric(14, 3) NOT NULL,
                "baseline_nox" numeric(14, 3) NOT NULL,
                "baseline_pm" numeric(14, 3) NOT NULL,
                "baseline_vocs" numeric(14, 3) NOT NULL,
                "archived" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_09687cd306dc5d486c0e227c471" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_enterprise_credit_code" ON "enterprise" ("credit_code")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_enterprise_industry" ON "enterprise" ("industry_code")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_enterprise_county" ON "enterprise" ("county_code")
        `);
    await queryRunner.query(`
            CREATE TABLE "enterprise_import" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "filename" text NOT NULL,
                "format" text NOT NULL,
                "sha256" character(64) NOT NULL,
                "rows" integer NOT NULL,
                "created" integer NOT NULL,
                "updated" integer NOT NULL,
                "measures" integer NOT NULL,
                "warnings" jsonb NOT NULL,
                "created_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ed1a6792f02401a618d619a9047" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "plan_version" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enterprise_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "season" text NOT NULL,
                "is_current" boolean NOT NULL,
                "source" text NOT NULL,
                "import_id" uuid,
                "created_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_253721b12e51a0be8fffb64ded9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_plan_version_current" ON "plan_version" ("enterprise_id")
            WHERE "is_current"
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_plan_version_number" ON "plan_version" ("enterprise_id", "version")
        `);
    await queryRunner.query(`
            CREATE TABLE "plan_measure" (
                "id" BIGSERIAL NOT NULL,
                "plan_version_id" uuid NOT NULL,
                "level" text NOT NULL,
                "seq" integer NOT NULL,
                "line" text,
                "action" text NOT NULL,
                "params" jsonb NOT NULL,
                "description" text NOT NULL,
                "from_hour" integer,
                "to_hour" integer,
                "reduction_so2" numeric(14, 3) NOT NULL,
                "reduction_nox" numeric(14, 3) NOT NULL,
                "reduction_pm" numeric(14, 3) NOT NULL,
                "reduction_vocs" numeric(14, 3) NOT NULL,
                "verification" text NOT NULL,
                CONSTRAINT "PK_3ff1127bfe53ecb6799ad54a832" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_plan_measure_version" ON "plan_measure" ("plan_version_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "enterprise"
            ADD CONSTRAINT "fk_enterprise_industry" FOREIGN KEY ("industry_code") REFERENCES "industry"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enterprise"
            ADD CONSTRAINT "fk_enterprise_county" FOREIGN KEY ("county_code") REFERENCES "county"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_version"
            ADD CONSTRAINT "fk_plan_version_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_measure"
            ADD CONSTRAINT "fk_plan_measure_version" FOREIGN KEY ("plan_version_id") REFERENCES "plan_version"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "plan_measure" DROP CONSTRAINT "fk_plan_measure_version"
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_version" DROP CONSTRAINT "fk_plan_version_enterprise"
        `);
    await queryRunner.query(`
            ALTER TABLE "enterprise" DROP CONSTRAINT "fk_enterprise_county"
        `);
    await queryRunner.query(`
            ALTER TABLE "enterprise" DROP CONSTRAINT "fk_enterprise_industry"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_plan_measure_version"
        `);
    await queryRunner.query(`
            DROP TABLE "plan_measure"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_plan_version_number"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_plan_version_current"
        `);
    await queryRunner.query(`
            DROP TABLE "plan_version"
        `);
    await queryRunner.query(`
            DROP TABLE "enterprise_import"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_enterprise_county"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_enterprise_industry"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_enterprise_credit_code"
        `);
    await queryRunner.query(`
            DROP TABLE "enterprise"
        `);
    await queryRunner.query(`
            DROP TABLE "emission_inventory"
        `);
  }
}
