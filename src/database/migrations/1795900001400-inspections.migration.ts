import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspections and consequences (issue 17): a warning's inspection plans and their picks, the inspections of orders
 * with their photos and rectification, and the grade reviews a violation opens.
 */
export class Inspections1795900001400 implements MigrationInterface {
  name = 'Inspections1795900001400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "inspection_plan" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "alert_id" uuid NOT NULL,
                "number" integer NOT NULL,
                "seed" bigint NOT NULL,
                "size" integer NOT NULL,
                "population" integer NOT NULL,
                "weights" jsonb NOT NULL,
                "drawn_by_id" uuid NOT NULL,
                "drawn_by_name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_inspection_plan" PRIMARY KEY ("id"),
                CONSTRAINT "uq_inspection_plan_number" UNIQUE ("alert_id", "number"),
                CONSTRAINT "fk_inspection_plan_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id"),
                CONSTRAINT "fk_inspection_plan_user" FOREIGN KEY ("drawn_by_id") REFERENCES "app_user"("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "inspection_plan_item" (
                "plan_id" uuid NOT NULL,
                "rank" integer NOT NULL,
                "order_id" uuid NOT NULL,
                "enterprise_id" uuid NOT NULL,
                "weight" double precision NOT NULL,
                "sample_key" double precision NOT NULL,
                "reasons" text[] NOT NULL,
                "reason_text" text NOT NULL,
                CONSTRAINT "pk_inspection_plan_item" PRIMARY KEY ("plan_id", "rank"),
                CONSTRAINT "fk_inspection_plan_item_plan" FOREIGN KEY ("plan_id") REFERENCES "inspection_plan"("id"),
                CONSTRAINT "fk_inspection_plan_item_order" FOREIGN KEY ("order_id") REFERENCES "reduction_order"("id"),
                CONSTRAINT "fk_inspection_plan_item_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "inspection" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "alert_id" uuid NOT NULL,
                "enterprise_id" uuid NOT NULL,
                "inspected_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "inspectors" text[] NOT NULL,
                "findings" text NOT NULL,
                "result" text NOT NULL,
                "rectification_required" boolean NOT NULL DEFAULT false,
                "rectification_deadline" TIMESTAMP WITH TIME ZONE,
                "rectification_closed_at" TIMESTAMP WITH TIME ZONE,
                "rectification_note" text,
                "rectification_closed_by_name" text,
                "recorded_by_id" uuid NOT NULL,
                "recorded_by_name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_inspection" PRIMARY KEY ("id"),
                CONSTRAINT "fk_inspection_order" FOREIGN KEY ("order_id") REFERENCES "reduction_order"("id"),
                CONSTRAINT "fk_inspection_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id"),
                CONSTRAINT "fk_inspection_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_inspection_user" FOREIGN KEY ("recorded_by_id") REFERENCES "app_user"("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "idx_inspection_order" ON "inspection" ("order_id", "inspected_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_inspection_alert" ON "inspection" ("alert_id", "inspected_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_inspection_enterprise_result" ON "inspection" ("enterprise_id", "result")`,
    );
    await queryRunner.query(`
            CREATE TABLE "inspection_photo" (
                "inspection_id" uuid NOT NULL,
                "n" integer NOT NULL,
                "media_type" text NOT NULL,
                "bytes" integer NOT NULL,
                "sha256" text NOT NULL,
                "storage_key" text NOT NULL,
                "original_name" text,
                "uploaded_by_name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_inspection_photo" PRIMARY KEY ("inspection_id", "n"),
                CONSTRAINT "fk_inspection_photo_inspection" FOREIGN KEY ("inspection_id") REFERENCES "inspection"("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "grade_review" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enterprise_id" uuid NOT NULL,
                "inspection_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "alert_id" uuid NOT NULL,
                "grade_at_review" text NOT NULL,
                "state" text NOT NULL DEFAULT 'PENDING',
                "decision" text,
                "new_grade" text,
                "reason" text,
                "decided_by_id" uuid,
                "decided_by_name" text,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_grade_review" PRIMARY KEY ("id"),
                CONSTRAINT "uq_grade_review_inspection" UNIQUE ("inspection_id"),
                CONSTRAINT "fk_grade_review_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id"),
                CONSTRAINT "fk_grade_review_inspection" FOREIGN KEY ("inspection_id") REFERENCES "inspection"("id"),
                CONSTRAINT "fk_grade_review_order" FOREIGN KEY ("order_id") REFERENCES "reduction_order"("id"),
                CONSTRAINT "fk_grade_review_alert" FOREIGN KEY ("alert_id") REFERENCES "alert"("id"),
                CONSTRAINT "fk_grade_review_user" FOREIGN KEY ("decided_by_id") REFERENCES "app_user"("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "idx_grade_review_state" ON "grade_review" ("state", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "grade_review"`);
    await queryRunner.query(`DROP TABLE "inspection_photo"`);
    await queryRunner.query(`DROP TABLE "inspection"`);
    await queryRunner.query(`DROP TABLE "inspection_plan_item"`);
    await queryRunner.query(`DROP TABLE "inspection_plan"`);
  }
}
