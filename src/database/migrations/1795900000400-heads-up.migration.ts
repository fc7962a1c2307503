import { MigrationInterface, QueryRunner } from 'typeorm';

/** Heads-up notices (预警提示) sent from a consultation's outlook: who sent what to which counties. */
export class HeadsUp1795900000400 implements MigrationInterface {
  name = 'HeadsUp1795900000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "heads_up" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid NOT NULL,
                "county_codes" character varying(12) array NOT NULL,
                "outlook" jsonb NOT NULL,
                "note" text,
                "enterprises" integer NOT NULL,
                "messages" integer NOT NULL,
                "sent_by" text NOT NULL,
                "sent_by_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_heads_up" PRIMARY KEY ("id"),
                CONSTRAINT "fk_heads_up_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultation"("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_heads_up_consultation" ON "heads_up" ("consultation_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "heads_up"`);
  }
}
