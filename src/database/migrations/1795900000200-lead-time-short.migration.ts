import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A proposal that takes effect sooner than its ruleset's lead time (提前量) keeps how short it was, so the approval
 * card and the record show it next to the reason given. The dashboard looks for notices not yet released: the
 * queued, retrying and sending ones have partial indexes already, the failed ones get theirs.
 */
export class LeadTimeShort1795900000200 implements MigrationInterface {
  name = 'LeadTimeShort1795900000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE alert_change ADD COLUMN lead_time_short jsonb`);
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_message_failed" ON "outbox_message" ("alert_id") WHERE state = 'FAILED'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_outbox_message_failed"`);
    await queryRunner.query(`ALTER TABLE alert_change DROP COLUMN lead_time_short`);
  }
}
