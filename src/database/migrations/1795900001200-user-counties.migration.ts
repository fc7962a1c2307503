import { MigrationInterface, QueryRunner } from 'typeorm';

/** County bureau officers (县级分局, issue 17): the counties an account answers for. */
export class UserCounties1795900001200 implements MigrationInterface {
  name = 'UserCounties1795900001200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user" ADD "county_codes" character varying(12) array NOT NULL DEFAULT '{}'
        `);
    // A county officer without counties would see nothing and could not be told apart from a mistake.
    await queryRunner.query(`
            ALTER TABLE "app_user" ADD CONSTRAINT "chk_app_user_county_officer_counties"
              CHECK (NOT ('COUNTY_OFFICER' = ANY ("roles")) OR cardinality("county_codes") > 0)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP CONSTRAINT "chk_app_user_county_officer_counties"
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP COLUMN "county_codes"
        `);
  }
}
