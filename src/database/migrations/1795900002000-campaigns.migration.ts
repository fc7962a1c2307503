import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns (issue 18): a seasonal control is kept as an alert of kind CAMPAIGN, so drafting, two-person approval,
 * revisions, document numbers, orders, the outbox, acknowledgement links, reminders, the assessment and the evidence
 * are the warning's own. `campaign` holds what only a campaign has: its kind, name and the scope its rules run over.
 */
export class Campaigns1795900002000 implements MigrationInterface {
  name = 'Campaigns1795900002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alert" ADD "kind" text NOT NULL DEFAULT 'WARNING'`);
    await queryRunner.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "chk_alert_kind" CHECK ("kind" IN ('WARNING', 'CAMPAIGN'))`,
    );
    await queryRunner.query(`ALTER TABLE "alert" ADD "campaign" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "alert" ADD CONSTRAINT "chk_alert_campaign" CHECK (("kind" = 'CAMPAIGN') = ("campaign" IS NOT NULL))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_alert_kind_status" ON "alert" ("kind", "status")`);
    // Why an order carries its measures, for the notice: a campaign's decision (grade, tags, place).
    await queryRunner.query(`ALTER TABLE "reduction_order" ADD "reasons" text array NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reduction_order" DROP COLUMN "reasons"`);
    await queryRunner.query(`DROP INDEX "idx_alert_kind_status"`);
    await queryRunner.query(`ALTER TABLE "alert" DROP CONSTRAINT "chk_alert_campaign"`);
    await queryRunner.query(`ALTER TABLE "alert" DROP COLUMN "campaign"`);
    await queryRunner.query(`ALTER TABLE "alert" DROP CONSTRAINT "chk_alert_kind"`);
    await queryRunner.query(`ALTER TABLE "alert" DROP COLUMN "kind"`);
  }
}
