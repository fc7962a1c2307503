import { MigrationInterface, QueryRunner } from 'typeorm';

/** Throttle episodes per username and address: refused logins are counted here, only the first is logged at once. */
export class LoginThrottle1795890312417 implements MigrationInterface {
  name = 'LoginThrottle1795890312417';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "login_throttle" (
                "username" text NOT NULL,
                "ip" text NOT NULL,
                "refused_since" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_refused_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "refusals" integer NOT NULL,
                CONSTRAINT "pk_login_throttle" PRIMARY KEY ("username", "ip")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_login_throttle_since" ON "login_throttle" ("refused_since")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idx_login_throttle_since"
        `);
    await queryRunner.query(`
            DROP TABLE "login_throttle"
        `);
  }
}
