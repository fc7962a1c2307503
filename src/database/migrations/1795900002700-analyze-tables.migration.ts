import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `analyze_tables(names)`: ANALYZE of the tables a bulk write fills (an import, a city-wide approval), for
 * TableStatistics. ANALYZE needs the table's owner (PostgreSQL 17's MAINTAIN privilege aside); the service's login
 * owns nothing, so this function, owned by the schema's owner (SECURITY DEFINER), analyses those tables and no other.
 */
export class AnalyzeTables1795900002700 implements MigrationInterface {
  name = 'AnalyzeTables1795900002700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION "analyze_tables"("names" text[])
            RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
            DECLARE
                t text;
                analysed integer := 0;
            BEGIN
                FOREACH t IN ARRAY names LOOP
                    IF t <> ALL (ARRAY['enterprise', 'plan_version', 'plan_measure', 'plan_start_reduction',
                                       'reduction_order', 'outbox_message']) THEN
                        RAISE EXCEPTION 'not analysed here: %', t;
                    END IF;
                    EXECUTE format('ANALYZE %I', t);
                    analysed := analysed + 1;
                END LOOP;
                RETURN analysed;
            END
            $fn$
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "analyze_tables"(text[])`);
  }
}
