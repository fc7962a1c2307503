import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Telemetry in (issue 17): metering points of the enterprises' lines and outlets, the sources that push
 * readings with their API keys, and the readings themselves, range-partitioned by month (Beijing time) on
 * measured_at so a warning's queries read only its months.
 */
export class Telemetry1795900001300 implements MigrationInterface {
  name = 'Telemetry1795900001300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "metering_point" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enterprise_id" uuid NOT NULL,
                "county_code" character varying(12) NOT NULL,
                "kind" text NOT NULL,
                "code" character varying(40) NOT NULL,
                "name" text,
                "normal_power_kw" numeric(14,3),
                "limit_so2" numeric(12,3),
                "limit_nox" numeric(12,3),
                "limit_pm" numeric(12,3),
                "limit_vocs" numeric(12,3),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_metering_point_code" UNIQUE ("enterprise_id", "code"),
                CONSTRAINT "pk_metering_point" PRIMARY KEY ("id"),
                CONSTRAINT "fk_metering_point_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_metering_point_county" FOREIGN KEY ("county_code") REFERENCES "county"("code")
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_metering_point_county" ON "metering_point" ("county_code")`);
    await queryRunner.query(`
            CREATE TABLE "telemetry_source" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "county_code" character varying(12),
                "enterprise_id" uuid,
                "key_hash" character varying(64) NOT NULL,
                "key_prefix" character varying(16) NOT NULL,
                "created_by_id" uuid NOT NULL,
                "created_by_name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revoked_by_name" text,
                CONSTRAINT "uq_telemetry_source_key_hash" UNIQUE ("key_hash"),
                CONSTRAINT "pk_telemetry_source" PRIMARY KEY ("id"),
                CONSTRAINT "fk_telemetry_source_county" FOREIGN KEY ("county_code") REFERENCES "county"("code"),
                CONSTRAINT "fk_telemetry_source_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_telemetry_source_user" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id")
            )
        `);
    // A source is scoped to exactly one county or one enterprise.
    await queryRunner.query(`ALTER TABLE "telemetry_source" ADD CONSTRAINT "chk_telemetry_source_scope"
            CHECK (("county_code" IS NULL) <> ("enterprise_id" IS NULL))`);

    // No entity for the readings: TypeORM cannot declare a partitioned table; one module writes it in SQL.
    // No foreign keys either: the ingest resolves every point first, and a point with readings is never deleted.
    await queryRunner.query(`
            CREATE TABLE "meter_reading" (
                "source_id" uuid NOT NULL,
                "point_id" uuid NOT NULL,
                "metric" text NOT NULL,
                "measured_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "value" numeric NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_meter_reading" PRIMARY KEY ("source_id", "point_id", "metric", "measured_at")
            ) PARTITION BY RANGE ("measured_at")
        `);
    await queryRunner.query(
      `CREATE INDEX "idx_meter_reading_at_brin" ON "meter_reading" USING brin ("measured_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_meter_reading_point" ON "meter_reading" ("point_id", "metric", "measured_at")`,
    );
    // Creates the monthly partitions (months by Beijing time) covering [from, to]. SECURITY DEFINER: the service's
    // login may not create tables; this function, owned by the schema's owner, creates only partitions of
    // meter_reading. An advisory lock makes two ingests asking for the same new month wait for one another.
    await queryRunner.query(`
            CREATE FUNCTION "telemetry_ensure_partitions"("from_at" timestamptz, "to_at" timestamptz)
            RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
            DECLARE
                m date := date_trunc('month', from_at AT TIME ZONE 'Asia/Shanghai')::date;
                last date := date_trunc('month', to_at AT TIME ZONE 'Asia/Shanghai')::date;
                part text;
                created integer := 0;
            BEGIN
                IF last - m > 800 THEN RAISE EXCEPTION 'too many months: % to %', from_at, to_at; END IF;
                WHILE m <= last LOOP
                    part := 'meter_reading_' || to_char(m, 'YYYYMM');
                    IF to_regclass(part) IS NULL THEN
                        PERFORM pg_advisory_xact_lock(hashtext('meter_reading partitions'));
                        IF to_regclass(part) IS NULL THEN
                            EXECUTE format('CREATE TABLE %I PARTITION OF meter_reading FOR VALUES FROM (%L) TO (%L)',
                                part, m::timestamp AT TIME ZONE 'Asia/Shanghai',
                                (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai');
                            created := created + 1;
                        END IF;
                    END IF;
                    m := (m + interval '1 month')::date;
                END LOOP;
                RETURN created;
            END
            $fn$
        `);
    // A window around the migration's time; the ingest creates the others on demand.
    await queryRunner.query(
      `SELECT telemetry_ensure_partitions(now() - interval '3 months', now() + interval '3 months')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "telemetry_ensure_partitions"(timestamptz, timestamptz)`);
    await queryRunner.query(`DROP TABLE "meter_reading"`);
    await queryRunner.query(`DROP TABLE "telemetry_source"`);
    await queryRunner.query(`DROP TABLE "metering_point"`);
  }
}
