import { MigrationInterface, QueryRunner } from 'typeorm';

/** Follow-up records of reduction orders (issue 17): phone calls, visits and notes, with their outcome. */
export class OrderFollowUps1795900000800 implements MigrationInterface {
  name = 'OrderFollowUps1795900000800';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "order_follow_up" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "alert_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "outcome" text NOT NULL,
                "note" text,
                "contact_name" text,
                "happened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_by_id" uuid NOT NULL,
                "recorded_by_name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                CONSTRAINT "pk_order_follow_up" PRIMARY KEY ("id"),
                CONSTRAINT "fk_order_follow_up_order" FOREIGN KEY ("order_id") REFERENCES "reduction_order"("id"),
                CONSTRAINT "fk_order_follow_up_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id"),
                CONSTRAINT "fk_order_follow_up_user" FOREIGN KEY ("recorded_by_id") REFERENCES "app_user"("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "idx_order_follow_up_order" ON "order_follow_up" ("order_id", "happened_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_order_follow_up_alert" ON "order_follow_up" ("alert_id", "happened_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "order_follow_up"`);
  }
}
